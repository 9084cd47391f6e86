"""Pages that read crime data never wait for an import (issue 17, DESIGN.md: background work never
stalls pages). While the loader's transaction is open, from its first chunk to the moment it
switches a new table in, a reader on another connection with a short lock_timeout reads the crime
table at once and sees the rows held before; after the commit it sees the new ones. Deterministic:
the reader runs at fixed points of the load (after each chunk, before the end, and just before the
switch), not against the clock; a lock wait would be refused after 100 ms.

These tests commit (transaction=True), as the worker does: the load runs on a second connection
in a thread, and the reader on a third."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import DatabaseError, connection

from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from evaluation.services.crime_import import crime_import_run
from evaluation.services.crime_import_copy import loading, staging
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db(transaction=True)

CRIMES = CrimeRecord._meta.db_table


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BLOCK_BYTES", 4096)  # chunks of about 1,000 rows


def _file(first: int, count: int) -> bytes:
    rows = []
    for n in range(first, first + count):
        if n % 3 == 0:
            rows.append(crime_row(location=f"On or near Street {n}", month=f"2025-{n % 12 + 1:02d}"))
        else:
            rows.append(crime_row(crime_id=crime_id(n), crime_type="Burglary", month=f"2025-{n % 12 + 1:02d}"))
    return police_csv(rows)


def _import(content: bytes) -> CrimeImportRun:
    run = CrimeImportRun.objects.create(file_name="street.csv", rows_total=content.count(b"\n") - 1)
    return crime_import_run(run=run, stream=io.BytesIO(content))


def _read_at_once() -> int | str:
    """What a page would read, on a connection of its own that refuses to wait 100 ms for a lock:
    the rows held, or the error."""
    reader = connection.copy()
    try:
        with reader.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
            cursor.execute(f"SELECT count(*) FROM {CRIMES} WHERE lsoa_code = %s", ["E01099101"])  # noqa: S608
            return int(cursor.fetchone()[0])
    except DatabaseError as error:
        return f"{type(error).__name__}: {error}"
    finally:
        reader.close()


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int | str]]:
    """The reader's results at each point of the load: after each chunk, as the load finishes, and
    just before the switch (when the load goes into a new table)."""
    seen: list[tuple[str, int | str]] = []
    take, finish = loading.ChunkLoader.take, loading.ChunkLoader.finish
    lock_for_switch = getattr(loading.ChunkLoader, "_lock_for_switch", None)

    def take_then_read(loader: Any, table: str) -> None:
        take(loader, table)
        seen.append(("after a chunk", _read_at_once()))

    def read_then_finish(loader: Any) -> Any:
        seen.append(("as the load finishes", _read_at_once()))
        return finish(loader)

    def read_then_switch(loader: Any) -> None:
        seen.append(("before the switch", _read_at_once()))
        assert lock_for_switch is not None
        lock_for_switch(loader)

    monkeypatch.setattr(loading.ChunkLoader, "take", take_then_read)
    monkeypatch.setattr(loading.ChunkLoader, "finish", read_then_finish)
    monkeypatch.setattr(loading.ChunkLoader, "_lock_for_switch", read_then_switch, raising=False)
    return seen


@pytest.mark.parametrize(
    ("held", "new", "switched"),
    [(0, 3_500, True), (1_500, 3_500, True), (3_500, 200, False)],
    ids=["first-import", "large-file-over-rows-held", "small-file-into-many-rows"],
)
def test_a_reader_never_waits_for_the_import_and_sees_the_rows_held_until_it_commits(
    readings: list[tuple[str, int | str]], held: int, new: int, switched: bool
) -> None:
    if held:
        _import(_file(0, held))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CRIMES}")  # the estimate the import reads
    readings.clear()

    run = _import(_file(held // 2, new))  # half of it held already, when rows are held

    total = max(held, held // 2 + new)
    assert (run.state, CrimeRecord.objects.count()) == (ImportState.DONE, total)
    points = [point for point, _ in readings]
    assert readings == [(point, held) for point in points]  # read at once, the rows held before
    assert points.count("after a chunk") >= 1
    assert ("before the switch" in points) is switched
    assert _read_at_once() == total


def test_the_table_switched_in_keeps_the_models_name_collations_key_and_indexes() -> None:
    def shape() -> tuple[Any, ...]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, format_type(atttypid, atttypmod), attnotnull, collname FROM pg_attribute a "
                "LEFT JOIN pg_collation c ON c.oid = a.attcollation AND c.collname <> 'default' "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                [CRIMES],
            )
            columns = cursor.fetchall()
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [CRIMES])
            indexes = cursor.fetchall()
            cursor.execute("SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass", [CRIMES])
            constraints = sorted(cursor.fetchall())
            cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE %s", [f"{CRIMES}%"])
            relations = sorted(row[0] for row in cursor.fetchall())
        return columns, indexes, constraints, relations

    before = shape()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT oid FROM pg_class WHERE relname = '{CRIMES}'")  # noqa: S608
        old_oid = cursor.fetchone()[0]

    _import(_file(0, 1_200))

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT oid FROM pg_class WHERE relname = '{CRIMES}'")  # noqa: S608
        assert cursor.fetchone()[0] != old_oid  # a new table was switched in
    assert shape() == before
    assert ("key", "character varying(80)", True, "C") in before[0]
    assert {name for name, _ in before[1]} >= {"crime_lsoa_month_idx", "crime_lat_long_idx"}
    assert CrimeRecord.objects.filter(key=crime_id(1)).exists()
