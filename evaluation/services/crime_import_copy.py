"""The PostgreSQL side of the crime import (evaluation.services.crime_import): staging the file with
COPY and moving the staged rows into `CrimeRecord`.

Where the time went (500,000 rows, 2 cores, measured 2026-11-25): reading each row with Python's
csv module and sending it with `write_row` took 4.9 s, against 1.4 s for PostgreSQL to parse the
same bytes itself; the insert took 13.8 s, of which about 6.5 s was keeping the two search indexes
up to date row by row in random order (building them afresh afterwards takes about 1.5 s).
ON CONFLICT itself costs little (an anti-join insert took as long).

So:
- `stage_file`: the file's bytes go to COPY (FORMAT csv) unparsed, in whole lines, one COPY per
  progress step; COPY reads the coordinates as numbers. A row's line number is its place in the
  staging table plus one for the header, worked out only for rows to report. Anything COPY
  refuses (a wrong number of fields, a coordinate that is not a number, bytes that are not UTF-8,
  a blank line) or a quoted field running over several lines (places would no longer match lines)
  makes it return None: the caller then stages the file again row by row with Python's csv
  module, which reports such lines by number. Real police.uk files take the fast way.
- `insert_staged`: one transaction with synchronous commit off (a crash just after the commit can
  lose the import, which is then run again: imports are idempotent) and room to sort in memory.
  When the file is large against the rows already held (at least half as many), the two search
  indexes are dropped and built again after the insert, which is several times cheaper than
  maintaining them row by row; meanwhile the crime table is locked against readers (seconds).
  When it is at least twice the rows held (a first import), the primary key is dropped and built
  again too (500,000 rows: keeping it up to date cost 2.2 s, building it 0.3 s). Without it the
  inserts still add only keys not held (their NOT EXISTS becomes a hash anti-join, left out when
  the table was empty); a Crime ID given twice in the file makes the rebuilt key fail, and the
  rows go in again, each Crime ID once. A small monthly file into a large table keeps the indexes
  and maintains them.

Later (2026-11-26, the same 500,000 rows, outside a test transaction as the worker runs): 5.0 s
against a 0.7 s raw COPY (7x) became 2.7-2.8 s (about 4x) when the natural key became the primary
key (no surrogate id and its sequence, the Crime ID stored once: one index and a fifth of each row
less), key and LSOA code took the "C" collation (byte-order sorts), COPY read the coordinates (the
checks lost their regular expressions: 0.56 s to 0.17 s), the staged rows lost their numbering
(0.1 s), and the inserts lost a sort and a held-key test they did not need.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import cache
from typing import IO, Any

import psycopg
from django.db import DatabaseError, IntegrityError, connection, transaction

from evaluation.models import CrimeRecord
from evaluation.models.crime import ASB_KEY_PREFIX

STAGING = "crime_import_staging"
FILE_COLUMNS = (
    "crime_id, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, "
    "lsoa_name, crime_type, last_outcome, context"
)
TEXT_COLUMNS = (
    "crime_id, month, reported_by, falls_within, location, lsoa_code, lsoa_name, crime_type, last_outcome, context"
)
CREATE_STAGING = (
    # Temporary: no WAL, no constraints, gone with the session. The rows are in the file's order,
    # staged in that order and never updated, so their physical order (ctid) is the file's: rows
    # staged by COPY carry no line number (numbering each row cost a tenth of the import), and it
    # is worked out from that order only when a row has to be reported (crime_import.SQL_PROBLEMS);
    # the row-by-row way writes the reader's line numbers, which can differ (a blank line).
    # The coordinates are numbers already: COPY reads them (a file with one that is not a number
    # takes the row-by-row way, which reports it by line), so checking them in SQL costs a
    # comparison, not a regular expression per row. The Crime ID is in byte order, as the key.
    f"CREATE TEMPORARY TABLE {STAGING} (line_no integer, "
    'crime_id text COLLATE "C", month text, reported_by text, falls_within text, longitude float8, '
    "latitude float8, location text, lsoa_code text, lsoa_name text, crime_type text, last_outcome text, "
    "context text)"
)
# An empty text field is '' as in the csv module, not NULL (COPY's default for an unquoted empty
# field); an empty coordinate is NULL, quoted or not.
COPY_FILE = (
    f"COPY {STAGING} ({FILE_COLUMNS}) FROM STDIN "
    f"(FORMAT csv, FORCE_NOT_NULL ({TEXT_COLUMNS}), FORCE_NULL (longitude, latitude))"
)
MULTI_LINE = f"SELECT EXISTS (SELECT 1 FROM {STAGING} WHERE concat({TEXT_COLUMNS}) ~ '[\\r\\n]')"  # noqa: S608
BLOCK_BYTES = 1 << 20
# Rebuild the search indexes when the file has at least this share of the rows already held, and
# the primary and unique keys too when it has at least REBUILD_KEYS_SHARE of them.
REBUILD_SHARE = 0.5
REBUILD_KEYS_SHARE = 2.0


def create_staging(cursor: Any) -> None:
    """A fresh staging table. Temporary tables are cached in the session's own buffers, 8 MB by
    default, which a large file overflows at every pass; PostgreSQL lets that be raised only before
    the session's first temporary table, so a session that has had one keeps its size (the import
    is then a little slower, not wrong)."""
    try:
        with transaction.atomic():
            cursor.execute("SET temp_buffers = '256MB'")
    except (psycopg.Error, DatabaseError):
        pass
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    cursor.execute(CREATE_STAGING)


def stage_file(cursor: Any, stream: IO[bytes], *, chunk_rows: int, after_chunk: Callable[[int], None]) -> int | None:
    """COPY the file's rows (after its header) into the staging table; the number of rows, or None
    when the file needs the row-by-row way (the staging table is then emptied)."""
    stream.seek(0)
    stream.readline()  # the header, already checked
    pending = b""  # read but not yet sent: part of a line
    total = 0
    # A field can run over lines only inside quotes; most police.uk files have no quote at all,
    # and then the staged rows need no search for line breaks.
    quoted = False
    try:
        while True:
            sent, final = 0, False
            # A savepoint per COPY: a refused block rolls back alone, and progress written between
            # blocks is seen at once by the page polling it.
            with transaction.atomic(), cursor.copy(COPY_FILE) as copy:
                while sent < chunk_rows:
                    block = stream.read(BLOCK_BYTES)
                    if not block:
                        final = True
                        if pending:
                            copy.write(pending)
                            sent += 1
                        break
                    quoted = quoted or b'"' in block
                    data = pending + block
                    cut = data.rfind(b"\n") + 1
                    if cut:
                        copy.write(data[:cut])
                        sent += data.count(b"\n", 0, cut)
                    pending = data[cut:]
            total += sent
            after_chunk(total)
            if final:
                break
        if not quoted:
            return total
        cursor.execute(MULTI_LINE)
        if not cursor.fetchone()[0]:
            return total
    except (psycopg.Error, DatabaseError):
        pass
    cursor.execute(f"TRUNCATE {STAGING}")
    return None


def stage_rows(
    cursor: Any, rows: Iterator[tuple[int, list[str]]], *, chunk: int, after_chunk: Callable[[], None]
) -> None:
    """The row-by-row way: each row parsed by the csv module, sent with its line number."""
    more = True
    while more:
        more = False
        # One COPY per chunk: the connection is busy during a COPY, so progress is written
        # between chunks.
        with cursor.copy(f"COPY {STAGING} (line_no, {FILE_COLUMNS}) FROM STDIN") as copy:
            for written, (line, row) in enumerate(rows, start=1):
                copy.write_row((line, *row))
                if written >= chunk:
                    more = True
                    break
        after_chunk()


@cache
def _search_indexes() -> tuple[list[str], list[str]]:
    """DROP and CREATE statements of CrimeRecord's search indexes, from the model (so they stay
    those of the migrations)."""
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        indexes = CrimeRecord._meta.indexes
        drops = [str(index.remove_sql(CrimeRecord, editor)) for index in indexes]
        creates = [str(index.create_sql(CrimeRecord, editor)) for index in indexes]
    return drops, creates


def _primary_key(cursor: Any) -> tuple[str, str]:
    """DROP and ADD statements of the crime table's primary key (its name as the database has it).
    No foreign key points at the crime table, so its primary key can be dropped."""
    table = CrimeRecord._meta.db_table
    cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [table])
    name = cursor.fetchone()[0]
    return (
        f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"',
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" PRIMARY KEY ("key")',
    )


def _rows_held(cursor: Any) -> float:
    """The planner's estimate of the crime table's rows (no count of a large table); 0 when it has
    never been analysed."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [CrimeRecord._meta.db_table])
    return max(float(cursor.fetchone()[0]), 0.0)


TARGET_COLUMNS = (
    "key, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, lsoa_name, crime_type, "
    "last_outcome, context, import_run_id"
)
CONVERTED = (
    "to_date(month, 'YYYY-MM'), reported_by, falls_within, longitude, latitude, location, lsoa_code, lsoa_name, "
    "crime_type, last_outcome, context, %s"
)
# Plain inserts of the rows whose key is not held yet (insert_staged locks the table against other
# writers first): ON CONFLICT DO NOTHING costs a speculative insertion per row, about 4 s more for
# 500,000 rows. Into an empty table (a first import) the test is left out: with the primary key
# dropped it would hash every row inserted so far.
NOT_HELD = " AND NOT EXISTS (SELECT 1 FROM evaluation_crimerecord r WHERE r.key = {key})"
# The ASB rule (evaluation.models.crime), numbered with a window so that Python holds nothing per
# row; coordinates written in their shortest form (insert_staged sets extra_float_digits = 1,
# PostgreSQL's default, for that).
HASHED = (
    "month, reported_by, falls_within, coalesce(longitude::text, ''), coalesce(latitude::text, ''), location, "
    "lsoa_code, lsoa_name, crime_type, last_outcome, context"
)


def _insert_crimes(*, once: bool, skip_held: bool) -> str:
    """The rows with a Crime ID. `once`: each Crime ID once (its first line) and in key order, so
    that a primary key kept up to date fills page by page instead of at random (several times
    faster for a large file of random hex IDs). Otherwise every row, unsorted: for a load whose
    primary key is built afterwards, which then finds any Crime ID given twice (and the load runs
    again with `once`); sorting half a million wide rows to drop repeats that police.uk files do
    not have cost a fifth of the import."""
    held = NOT_HELD.format(key="s.crime_id") if skip_held else ""
    select = f"SELECT DISTINCT ON (crime_id) crime_id, {CONVERTED}" if once else f"SELECT crime_id, {CONVERTED}"
    order = " ORDER BY crime_id, ctid" if once else ""
    return (
        f"INSERT INTO evaluation_crimerecord ({TARGET_COLUMNS}) "
        f"{select} FROM {STAGING} s WHERE crime_id <> ''{held}{order}"
    )


def _insert_unnumbered(*, skip_held: bool) -> str:
    """The rows without a Crime ID, keyed by the ASB rule. No ORDER BY: the numbering already sorts
    the rows by hash, which is nearly key order."""
    held = NOT_HELD.format(key="k.key") if skip_held else ""
    return (
        f"INSERT INTO evaluation_crimerecord ({TARGET_COLUMNS}) "  # noqa: S608  (fixed SQL, no user text)
        f"SELECT k.key, {CONVERTED} "
        f"FROM (SELECT *, '{ASB_KEY_PREFIX}' || h || '-' || row_number() OVER (PARTITION BY h ORDER BY place) AS key "
        f'FROM (SELECT *, ctid AS place, md5(concat_ws(chr(31), {HASHED})) COLLATE "C" AS h '
        f"FROM {STAGING} WHERE crime_id = '') AS hashed) AS k WHERE true{held}"
    )


def insert_staged(cursor: Any, *, staged: int, run_id: int, timings: dict[str, float] | None = None) -> int:
    """Move the staged rows whose keys are not held into the crime table, in one transaction; the
    rows added. `timings`, if given, receives the seconds of each step (the benchmark's breakdown)."""
    laps = timings if timings is not None else {}

    def run(name: str, sql: str, params: list[Any] | None = None) -> int:
        began = time.perf_counter()
        cursor.execute(sql, params)
        laps[name] = laps.get(name, 0.0) + time.perf_counter() - began
        return max(cursor.rowcount, 0)

    with transaction.atomic():
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL extra_float_digits = 1")
        # The inserts sort the staged rows and the rebuild sorts the table: in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        held = _rows_held(cursor)
        rebuild = staged >= REBUILD_SHARE * held
        # The primary key too only for a file at least twice the rows held (a first import): the
        # inserts then find the keys held by hashing them all, cheap only while they are few (a
        # re-import of the same file keeps its index lookups).
        rebuild_key = staged >= REBUILD_KEYS_SHARE * held
        # One import at a time (the inserts skip the keys held, so two at once could both add
        # one); readers wait only when the indexes are rebuilt.
        mode = "ACCESS EXCLUSIVE" if rebuild else "SHARE ROW EXCLUSIVE"
        cursor.execute(f"LOCK TABLE {CrimeRecord._meta.db_table} IN {mode} MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {CrimeRecord._meta.db_table})")  # noqa: S608
        skip_held = cursor.fetchone()[0]
        drops, creates = _search_indexes() if rebuild else ([], [])
        for sql in drops:
            cursor.execute(sql)
        # The ASB rows first: their test of the keys held then hashes only those held before.
        asb = _insert_unnumbered(skip_held=skip_held)
        inserted = None
        if rebuild_key:
            drop_key, add_key = _primary_key(cursor)
            cursor.execute(drop_key)
            try:
                with transaction.atomic():
                    inserted = run("insert_asb", asb, [run_id])
                    inserted += run("insert_crimes", _insert_crimes(once=False, skip_held=skip_held), [run_id])
                    run("index_rebuild", add_key)
            except IntegrityError:
                inserted = None  # a Crime ID given twice in the file: load again, each once
        if inserted is None:
            inserted = run("insert_asb", asb, [run_id])
            inserted += run("insert_crimes", _insert_crimes(once=True, skip_held=skip_held), [run_id])
            if rebuild_key:
                run("index_rebuild", add_key)
        for sql in creates:
            run("index_rebuild", sql)
    return inserted
