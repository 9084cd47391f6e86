"""Moving staged rows into `CrimeRecord`, a chunk (staging table) at a time, in one transaction:
`ChunkLoader`. Each chunk is checked in SQL (the malformed rows reported by line and dropped), its
crimes inserted, and its rows without a Crime ID hashed by the ASB rule into a pending table; at
the end those are numbered and inserted.

The transaction has synchronous commit off (a crash just after the commit can lose the import,
which is then run again: imports are idempotent) and room to sort in memory.

Readers of the crime table (the problem page, the impact report) never wait for the load: from
`begin` to the end the loader holds only SHARE ROW EXCLUSIVE on it, which keeps other importers
out and lets every reader in; readers see the rows held before until the commit. Two ways in, by
the rows expected against the rows already held:
- When the file is large against the rows held (at least half as many; always on a first import),
  the rows go into a new table with no index (`NEXT`, made LIKE the crime table, so with its
  columns, collations and defaults), whose primary key and search indexes are built once at the
  end: several times cheaper than maintaining them row by row (500,000 rows: 6.5 s of index
  maintenance against about 0.7 s to build; the primary key 2.2 s against 0.3 s). The rows held
  are copied in after the new ones, then the new table replaces the crime table: its old table
  dropped, the new one renamed to the model's table name and its indexes and key to the model's
  names, all in the last moments of the transaction. Only that switch takes ACCESS EXCLUSIVE: a
  reader waits for a few catalogue updates and the commit, not for the load. (Before 2026-11-27
  the live table's indexes and primary key were dropped and rebuilt, and readers waited from the
  first chunk to the commit: the problem page took 21 s during a 500,000-row import.) When
  nothing is new (a re-import), the new table is dropped and the crime table left alone.
- Otherwise the rows go straight into the crime table, its indexes kept up to date.

Into an empty table (a first import) the crimes of each chunk go in as it comes, tested for
nothing: a Crime ID given twice in the file makes the key's build fail with IntegrityError, and
the caller loads the chunks again with `fresh=False`. Otherwise the crimes go in at the end, by
one statement over all the chunks: each Crime ID once (its first line; the later lines are
reported as repeats, `repeats_sql`), in key order, skipping the keys held. One statement, because
the test of the keys held is a hash anti-join that reads the whole crime table: once per chunk,
re-importing 500,000 rows took 4 s instead of 0.8 s (probing the key's index row by row was no
faster). ON CONFLICT DO NOTHING would cost a speculative insertion per row (about 4 s more for
500,000 rows), so the test is NOT EXISTS, under the lock that keeps other importers out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import psycopg
from django.db import OperationalError, connection, transaction

from evaluation.models import CrimeRecord
from evaluation.models.crime import ASB_KEY_PREFIX
from evaluation.services.crime_rows import MAX_ERRORS_KEPT, drop_problems_sql, good_months_sql, problems_sql

CRIMES = CrimeRecord._meta.db_table
# The table a large load fills, to replace CRIMES at the end (created and renamed in the load's
# transaction: a load that fails or is interrupted leaves none behind). Its indexes and key carry
# this suffix until the switch.
NEXT_SUFFIX = "_next"
NEXT = CRIMES + NEXT_SUFFIX
PENDING_ASB = "crime_import_pending_asb"
# Load into a new table when the file has at least this share of the rows already held.
REBUILD_SHARE = 0.5
# How long the switch waits for the readers of the crime table before it lets them in again and
# tries once more (a waiting ACCESS EXCLUSIVE request holds back the readers queued behind it).
SWITCH_LOCK_TIMEOUT = "500ms"
SWITCH_TRIES = 20

TARGET_COLUMNS = (
    "key, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, lsoa_name, crime_type, "
    "last_outcome, context, import_run_id"
)
ROW_COLUMNS = (
    "reported_by, falls_within, longitude, latitude, location, lsoa_code, lsoa_name, crime_type, last_outcome, context"
)
CONVERTED = f"to_date(month, 'YYYY-MM'), {ROW_COLUMNS}"
# The ASB rule (evaluation.models.crime): coordinates written in their shortest form (the loader
# sets extra_float_digits = 1, PostgreSQL's default, for that).
HASHED = (
    "month, reported_by, falls_within, coalesce(longitude::text, ''), coalesce(latitude::text, ''), location, "
    "lsoa_code, lsoa_name, crime_type, last_outcome, context"
)
# The rows without a Crime ID, hashed and converted as they arrive (on the loader's connection, in
# parallel with the staging of the next chunk); numbered when all have arrived. Temporary: no WAL.
CREATE_PENDING = (
    f'CREATE TEMPORARY TABLE {PENDING_ASB} (h text COLLATE "C", line_no integer, month date, reported_by text, '
    "falls_within text, longitude float8, latitude float8, location text, lsoa_code text, lsoa_name text, "
    "crime_type text, last_outcome text, context text)"
)
NOT_HELD = " AND NOT EXISTS (SELECT 1 FROM " + CRIMES + " r WHERE r.key = {key})"  # noqa: S608


@dataclass
class LoadResult:
    inserted: int = 0
    # (line, problem, month) of the first MAX_ERRORS_KEPT malformed rows, and how many in all.
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    problem_count: int = 0
    # (line, Crime ID, its first line) of the first MAX_ERRORS_KEPT rows repeating a Crime ID given
    # earlier in the file, and how many in all.
    repeats: list[tuple[int, str, int]] = field(default_factory=list)
    repeat_count: int = 0
    # The earliest and latest months (YYYY-MM) of the rows loaded.
    months: list[str] = field(default_factory=list)
    # Seconds of each step, summed over the chunks (the benchmark's breakdown).
    timings: dict[str, float] = field(default_factory=dict)


@cache
def _search_indexes() -> list[tuple[str, str]]:
    """CREATE statements of CrimeRecord's search indexes on the new table (`NEXT`), each with the
    name it takes there and the model's name; from the model, so they stay those of the
    migrations."""
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        indexes = CrimeRecord._meta.indexes
        creates = [str(index.create_sql(CrimeRecord, editor)) for index in indexes]
    found = []
    for index, sql in zip(indexes, creates, strict=True):
        quoted_table, quoted_name = f'"{CRIMES}"', f'"{index.name}"'
        if sql.count(quoted_table) != 1 or sql.count(quoted_name) != 1:
            raise RuntimeError(f"Cannot name the new table's index in: {sql}")
        temporary = index.name + NEXT_SUFFIX
        found.append((sql.replace(quoted_table, f'"{NEXT}"').replace(quoted_name, f'"{temporary}"'), index.name))
    return found


def _primary_key_name(cursor: Any) -> str:
    """The crime table's primary key's name, as the database has it (the new table's takes it)."""
    cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [CRIMES])
    return str(cursor.fetchone()[0])


def _has_rows(cursor: Any) -> bool:
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {CRIMES})")  # noqa: S608
    return bool(cursor.fetchone()[0])


def _rows_held(cursor: Any) -> float:
    """The planner's estimate of the crime table's rows (no count of a large table); 0 when it has
    never been analysed."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [CRIMES])
    return max(float(cursor.fetchone()[0]), 0.0)


def insert_crimes_sql(tables: list[str], *, fresh: bool, target: str = CRIMES) -> str:
    """The rows with a Crime ID, into `target`. Into an empty table (`fresh`, one chunk at a time),
    every row, unsorted, with no test (the primary key, built afterwards, finds a repeat);
    otherwise (all the chunks at once) each Crime ID once, from its first line, in key order, if
    not held in the crime table."""
    if fresh:
        (table,) = tables
        return (
            f"INSERT INTO {target} ({TARGET_COLUMNS}) "  # noqa: S608  (fixed SQL, no user text)
            f"SELECT crime_id, {CONVERTED}, %s FROM \"{table}\" WHERE crime_id <> ''"
        )
    staged = " UNION ALL ".join(f'SELECT * FROM "{table}"' for table in tables)  # noqa: S608
    return (
        f"INSERT INTO {target} ({TARGET_COLUMNS}) "  # noqa: S608
        f"SELECT DISTINCT ON (crime_id) crime_id, {CONVERTED}, %s FROM ({staged}) AS s "
        f"WHERE crime_id <> ''{NOT_HELD.format(key='s.crime_id')} ORDER BY crime_id, line_no"
    )


def repeats_sql(tables: list[str]) -> str:
    """The rows repeating a Crime ID given on an earlier line of the file (line, Crime ID, the
    first line, and how many in all), the first MAX_ERRORS_KEPT by line. A hashed grouping of the
    Crime IDs: only those given more than once are sorted."""
    staged = " UNION ALL ".join(f'SELECT crime_id, line_no FROM "{table}"' for table in tables)  # noqa: S608
    return (
        "SELECT line_no, crime_id, lines[1], count(*) OVER () FROM ("  # noqa: S608
        f"SELECT crime_id, array_agg(line_no ORDER BY line_no) AS lines FROM ({staged}) AS s "
        "WHERE crime_id <> '' GROUP BY crime_id HAVING count(*) > 1) AS r, "
        f"unnest(lines[2:]) AS line_no ORDER BY line_no LIMIT {MAX_ERRORS_KEPT}"
    )


def pend_asb_sql(table: str) -> str:
    return (
        f"INSERT INTO {PENDING_ASB} "  # noqa: S608
        f'SELECT md5(concat_ws(chr(31), {HASHED})) COLLATE "C", line_no, {CONVERTED} '
        f"FROM \"{table}\" WHERE crime_id = ''"
    )


def insert_asb_sql(*, fresh: bool, target: str = CRIMES) -> str:
    """The pending rows without a Crime ID, numbered among identical rows by line (the ASB rule),
    into `target`. No ORDER BY: the numbering already sorts the rows by hash, which is nearly key
    order."""
    held = "" if fresh else NOT_HELD.format(key="k.key")
    return (
        f"INSERT INTO {target} ({TARGET_COLUMNS}) "  # noqa: S608
        f"SELECT k.key, month, {ROW_COLUMNS}, %s FROM (SELECT *, "
        f"'{ASB_KEY_PREFIX}' || h || '-' || row_number() OVER (PARTITION BY h ORDER BY line_no) AS key "
        f"FROM {PENDING_ASB}) AS k WHERE true{held}"
    )


class ChunkLoader:
    """Loads staged chunks, in the order of their lines, inside the caller's transaction:
    `begin`, then `take` each chunk, then `finish`. `rows_expected` (the file's rows, or 0 if not
    known) decides whether the rows go into a new table that replaces the crime table; `fresh=False`
    tests every key even when the table is empty (the second try after a Crime ID given twice)."""

    def __init__(self, cursor: Any, *, run_id: int, rows_expected: int, fresh: bool = True) -> None:
        self.cursor = cursor
        self.run_id = run_id
        self.rows_expected = rows_expected
        self.fresh = fresh
        self.result = LoadResult()
        # Where the rows go: the crime table, or a new one (`NEXT`) that replaces it.
        self.target = CRIMES
        self._tables: list[str] = []

    def _run(self, name: str, sql: str, params: list[Any] | None = None) -> int:
        began = time.perf_counter()
        self.cursor.execute(sql, params)
        laps = self.result.timings
        laps[name] = laps.get(name, 0.0) + time.perf_counter() - began
        return max(self.cursor.rowcount, 0)

    def begin(self) -> None:
        cursor = self.cursor
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL extra_float_digits = 1")
        # The ASB numbering and the index builds sort: in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # One import at a time (the inserts skip the keys held, so two at once could both add
        # one); readers are not held back by this lock.
        cursor.execute(f'LOCK TABLE "{CRIMES}" IN SHARE ROW EXCLUSIVE MODE')
        # An empty table is known exactly; otherwise the planner's estimate of its rows decides
        # (statistics can lag, which costs time, never correctness).
        empty = not _has_rows(cursor)
        held = 0.0 if empty else _rows_held(cursor)
        self.fresh = self.fresh and empty
        if self.rows_expected >= REBUILD_SHARE * held:
            self.target = NEXT
            cursor.execute(f'DROP TABLE IF EXISTS "{NEXT}"')
            # Columns, their collations ("C" on the key and LSOA code), NOT NULLs and defaults; no
            # index or key yet.
            cursor.execute(
                f'CREATE TABLE "{NEXT}" (LIKE "{CRIMES}" INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS)'
            )
        cursor.execute(f"DROP TABLE IF EXISTS {PENDING_ASB}")
        cursor.execute(CREATE_PENDING)

    def take(self, table: str) -> None:
        """Check one staged chunk, drop its malformed rows, hash its ASB rows and, into an empty
        table, insert its crimes."""
        cursor, result = self.cursor, self.result
        began = time.perf_counter()
        cursor.execute(good_months_sql(table))
        months = {"months": cursor.fetchone()[0]}
        cursor.execute(problems_sql(table), months)
        found = cursor.fetchall()
        if found:
            cursor.execute(drop_problems_sql(table), months)
            result.problems = (result.problems + [row[:3] for row in found])[:MAX_ERRORS_KEPT]
            result.problem_count += found[0][3]
            # The rows left may no longer span every good month (a month whose rows all had
            # another fault).
            cursor.execute(f'SELECT min(month), max(month) FROM "{table}"')  # noqa: S608
            chunk_months = [month for month in cursor.fetchone() if month is not None]
        else:
            chunk_months = months["months"]
        if chunk_months:
            result.months = [min([*result.months, *chunk_months]), max([*result.months, *chunk_months])]
        result.timings["check"] = result.timings.get("check", 0.0) + time.perf_counter() - began
        if self.fresh:
            sql = insert_crimes_sql([table], fresh=True, target=self.target)
            result.inserted += self._run("insert_crimes", sql, [self.run_id])
        self._tables.append(table)
        self._run("hash_asb", pend_asb_sql(table))

    def finish(self) -> LoadResult:
        """Insert the ASB rows and, into a new table, the rows held, build its key and indexes and
        switch it in; IntegrityError when a Crime ID was given twice into an empty table."""
        if not self.fresh and self._tables:
            # The insert takes each Crime ID once; the rows it leaves out as repeats are reported
            # (not counted as held).
            began = time.perf_counter()
            self.cursor.execute(repeats_sql(self._tables))
            found = self.cursor.fetchall()
            self.result.repeats = [(line, crime_id, first) for line, crime_id, first, _ in found]
            self.result.repeat_count = found[0][3] if found else 0
            self.result.timings["repeats"] = time.perf_counter() - began
            sql = insert_crimes_sql(self._tables, fresh=False, target=self.target)
            self.result.inserted += self._run("insert_crimes", sql, [self.run_id])
        sql = insert_asb_sql(fresh=self.fresh, target=self.target)
        self.result.inserted += self._run("insert_asb", sql, [self.run_id])
        self.cursor.execute(f"DROP TABLE {PENDING_ASB}")
        if self.target == NEXT:
            if self.result.inserted:
                self._replace()
            else:
                self.cursor.execute(f'DROP TABLE "{NEXT}"')  # nothing new: the crime table stays
        return self.result

    def _replace(self) -> None:
        """Copy the rows held into the new table, build its key and indexes, then switch it in for
        the crime table; only the switch keeps readers out."""
        cursor = self.cursor
        if not self.fresh:
            self._run("copy_held", f'INSERT INTO "{NEXT}" SELECT * FROM "{CRIMES}"')  # noqa: S608
        key = _primary_key_name(cursor)
        self._run("index_rebuild", f'ALTER TABLE "{NEXT}" ADD CONSTRAINT "{key}{NEXT_SUFFIX}" PRIMARY KEY ("key")')
        indexes = _search_indexes()
        for sql, _ in indexes:
            self._run("index_rebuild", sql)
        # No ANALYZE: 0.2-0.4 s on 500,000 rows, for statistics autovacuum gathers within a minute
        # or so (it counts the rows inserted); until then the planner has the table's size from
        # the index builds, and the crime pages' queries keep to their indexes (the benchmark
        # reads the problem page across the switch).
        began = time.perf_counter()
        self._lock_for_switch()
        cursor.execute(f'DROP TABLE "{CRIMES}"')
        cursor.execute(f'ALTER TABLE "{NEXT}" RENAME TO "{CRIMES}"')
        cursor.execute(f'ALTER TABLE "{CRIMES}" RENAME CONSTRAINT "{key}{NEXT_SUFFIX}" TO "{key}"')
        for _, name in indexes:
            cursor.execute(f'ALTER INDEX "{name}{NEXT_SUFFIX}" RENAME TO "{name}"')
        self.result.timings["switch"] = time.perf_counter() - began

    def _lock_for_switch(self) -> None:
        """ACCESS EXCLUSIVE on the crime table, for the switch. A request waiting for a long reader
        would hold back every reader queued behind it, so each try waits at most
        SWITCH_LOCK_TIMEOUT, then lets them by (its savepoint rolled back) and tries again; the
        last try waits as long as it takes."""
        cursor = self.cursor
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        for _ in range(SWITCH_TRIES - 1):
            try:
                with transaction.atomic():
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [SWITCH_LOCK_TIMEOUT])
                    cursor.execute(f'LOCK TABLE "{CRIMES}" IN ACCESS EXCLUSIVE MODE')
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
                return
            except OperationalError as error:
                if not isinstance(error.__cause__, psycopg.errors.LockNotAvailable):
                    raise
        cursor.execute(f'LOCK TABLE "{CRIMES}" IN ACCESS EXCLUSIVE MODE')
