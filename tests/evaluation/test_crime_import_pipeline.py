"""The import as the worker and the command run it (evaluation.services.crime_import_copy): outside
any transaction, so a second connection loads each staged chunk while the next is staged. It must
give what the inline way (all chunks staged, then loaded on one connection, as inside a
transaction) gives: the same rows, keys and reported lines; and leave no staging table behind.

These tests commit (transaction=True); their files are a few thousand rows, read in small blocks so
that they are staged in several chunks (a chunk is at least 1,000 rows and one block)."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from evaluation.services import crime_rows as row_rules
from evaluation.services.crime_import import REPEATED_CRIME_ID, WRONG_FIELD_COUNT, crime_import_run
from evaluation.services.crime_import_copy import staging
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 3_500  # four chunks of about 1,000 rows (the last one about 500)


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BLOCK_BYTES", 4096)  # about 20 rows a read: chunks end near 1,000 rows


def _rows() -> list[list[str]]:
    """Crimes and ASB rows; two identical ASB rows far apart (lines 11 and 3001, in different
    chunks), and malformed rows in the first and third chunks."""
    rows = []
    for n in range(ROWS):
        if n % 3 == 0:
            rows.append(crime_row(location=f"On or near Street {n}", month=f"2025-{n % 12 + 1:02d}"))
        else:
            rows.append(crime_row(crime_id=crime_id(n), crime_type="Burglary", month=f"2025-{n % 12 + 1:02d}"))
    rows[9] = rows[2999] = crime_row(location="On or near The Green")  # lines 11 and 3001
    rows[3] = crime_row(crime_id=crime_id(3), month="March 2025")  # line 5
    rows[2500] = crime_row(crime_id=crime_id(2500), latitude="")  # line 2502
    return rows


def _import(content: bytes, steps: list[int] | None = None) -> CrimeImportRun:
    run = CrimeImportRun.objects.create(file_name="street.csv", rows_total=content.count(b"\n") - 1)
    progress = None if steps is None else lambda run: steps.append(run.rows_done)
    return crime_import_run(run=run, stream=io.BytesIO(content), progress=progress)


def _held() -> list[tuple[Any, ...]]:
    return sorted(CrimeRecord.objects.values_list("key", "month", "location", "latitude"))


def _staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE starts_with(tablename, %s)", [staging.TABLE_PREFIX])
        return sorted(row[0] for row in cursor.fetchall())


def _crime_inserts(queries: CaptureQueriesContext) -> int:
    return sum(1 for query in queries.captured_queries if query["sql"].startswith("INSERT INTO evaluation_crimerecord"))


def test_a_file_of_several_chunks_is_loaded_on_a_second_connection_as_the_inline_way_loads_it() -> None:
    content = police_csv(_rows())

    steps: list[int] = []
    with CaptureQueriesContext(connection) as queries:
        pipelined = _import(content, steps)
    pipelined_rows = _held()
    CrimeRecord.objects.all().delete()
    with transaction.atomic():  # inside a transaction: inline, on this connection
        inline = _import(content)
    inline_rows = _held()

    # Four chunks staged, and no insert into the crime table ran on this connection: the second one
    # did them all.
    assert len(steps) == 5  # a step per chunk, and the last when done
    assert steps[-1] == ROWS
    assert 1_000 <= steps[0] < 1_100
    assert _crime_inserts(queries) == 0
    assert pipelined.state == inline.state == ImportState.DONE
    assert pipelined_rows == inline_rows
    assert len(pipelined_rows) == ROWS - 2
    assert (pipelined.rows_loaded, pipelined.rows_skipped, pipelined.rows_done) == (ROWS - 2, 0, ROWS)
    keys = {row[0] for row in pipelined_rows}
    the_green = row_rules.asb_key(crime_row(location="On or near The Green")[1:], 1)
    assert {the_green, the_green.removesuffix("1") + "2"} <= keys
    assert (
        pipelined.errors
        == inline.errors
        == [
            {"line": 5, "message": row_rules.BAD_MONTH.format(line=5, value="March 2025")},
            {"line": 2502, "message": row_rules.BAD_COORDINATES.format(line=2502)},
        ]
    )
    assert (pipelined.first_month, pipelined.last_month) == (inline.first_month, inline.last_month)
    assert str(pipelined.first_month) == "2025-01-01"
    assert _staging_tables() == []


def test_reimporting_a_file_of_several_chunks_adds_nothing() -> None:
    content = police_csv(_rows())
    _import(content)
    before = _held()

    again = _import(content)

    assert (again.state, again.rows_loaded, again.rows_skipped) == (ImportState.DONE, 0, ROWS - 2)
    assert _held() == before


def test_a_crime_id_repeated_in_a_later_chunk_goes_in_once_from_its_first_line() -> None:
    rows = _rows()
    rows[3200] = crime_row(crime_id=crime_id(1), crime_type="Burglary", location="On or near Later Lane")
    # The first import into an empty table tries every row on the second connection; the rebuilt
    # key finds the repeat, and the chunks are loaded again on this one, each Crime ID once.
    with CaptureQueriesContext(connection) as queries:
        run = _import(police_csv(rows))

    assert run.state == ImportState.DONE
    assert (run.rows_loaded, run.rows_skipped) == (ROWS - 3, 0)
    assert {"line": 3202, "message": REPEATED_CRIME_ID.format(line=3202, crime_id=crime_id(1), first=3)} in run.errors
    assert "1 row repeating a Crime ID given earlier in the file not imported" in run.message
    assert CrimeRecord.objects.get(key=crime_id(1)).location == "On or near Eastgate Parade"
    assert _crime_inserts(queries) == 2  # the crimes of all chunks at once, then the ASB rows


def test_a_row_copy_refuses_in_a_later_chunk_sends_the_whole_file_the_row_by_row_way() -> None:
    rows = _rows()
    rows[2700] = rows[2700][:11]  # line 2702: eleven fields; COPY refuses its chunk, the third

    run = _import(police_csv(rows))

    assert run.state == ImportState.DONE
    assert CrimeRecord.objects.count() == ROWS - 3  # nothing of the first chunks twice
    assert [error["line"] for error in run.errors] == [5, 2502, 2702]
    assert run.errors[2]["message"] == WRONG_FIELD_COUNT.format(line=2702, count=11)
    assert _staging_tables() == []


def test_an_import_drops_the_staging_tables_of_a_dead_import_but_not_of_a_running_one() -> None:
    dead, running = staging.Staging(run_id=900_001), staging.Staging(run_id=900_002)
    other = connection.copy()  # the running import's own session, holding its lock
    try:
        with connection.cursor() as cursor:
            dead.create(cursor, first_line=2)
        with other.cursor() as cursor:
            running.hold(cursor)
            running.create(cursor, first_line=2)

        _import(police_csv([crime_row(crime_id=crime_id(1))]))

        assert _staging_tables() == ["crime_import_staging_900002_1"]
    finally:
        with other.cursor() as cursor:
            running.drop(cursor)
            running.release(cursor)
        other.close()


class _Interrupted(Exception):
    """As Celery's soft time limit or Ctrl-C in the command: raised in the staging thread."""


def test_an_import_interrupted_while_the_loader_finishes_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    real_join = threading.Thread.join
    interrupted: list[str] = []

    def join(thread: threading.Thread, timeout: float | None = None) -> None:
        if thread.name.startswith("crime-import-") and not interrupted:
            interrupted.append(thread.name)
            raise _Interrupted  # while the loader is still at work on its last steps
        real_join(thread, timeout)

    monkeypatch.setattr(threading.Thread, "join", join)

    with pytest.raises(_Interrupted):
        _import(police_csv(_rows()))

    assert interrupted
    assert CrimeRecord.objects.count() == 0
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("crime-import-")]
    assert _staging_tables() == []
    with connection.cursor() as cursor:  # the indexes the loader dropped are back (rolled back)
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [CrimeRecord._meta.db_table])
        assert cursor.fetchone()[0] == 3


def test_an_error_while_staging_stops_the_loader_and_adds_nothing() -> None:
    content = police_csv(_rows())
    run = CrimeImportRun.objects.create(file_name="street.csv", rows_total=ROWS)

    def progress(run: CrimeImportRun) -> None:
        if run.rows_done > 2_000:  # the loader has taken two chunks by now, or is taking them
            raise _Interrupted

    with pytest.raises(_Interrupted):
        crime_import_run(run=run, stream=io.BytesIO(content), progress=progress)

    assert CrimeRecord.objects.count() == 0
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("crime-import-")]
    assert _staging_tables() == []
