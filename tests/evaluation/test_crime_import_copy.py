"""The import's two ways of staging a file on PostgreSQL (evaluation.services.crime_import_copy):
COPY of the file's bytes, and row by row with the csv module when COPY cannot number the lines
as the file does. Both must load the same rows with the same keys and report the same lines."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from evaluation.services import crime_rows as row_rules
from evaluation.services.crime_import import REPEATED_CRIME_ID, WRONG_FIELD_COUNT, crime_import_run
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db


class _OneWay(io.BytesIO):
    """A stream that cannot seek (as a pipe): only the row-by-row way can read it."""

    def seekable(self) -> bool:
        return False


def _import(stream: io.BytesIO) -> CrimeImportRun:
    run = CrimeImportRun.objects.create(file_name="street.csv", rows_total=0)
    return crime_import_run(run=run, stream=stream)


def _keys() -> list[tuple[Any, ...]]:
    return sorted(CrimeRecord.objects.values_list("key", "location", "month"))


def _sample() -> bytes:
    return police_csv(
        [
            crime_row(crime_id=crime_id(1)),
            crime_row(crime_id=crime_id(2), location="On or near Station Road, Eastgate"),
            crime_row(),
            crime_row(),
            crime_row(crime_id=crime_id(3), month="March 2026"),  # line 6
            crime_row(month="2026-04", longitude="", latitude="", location="No location"),
        ]
    )


def test_copy_of_the_bytes_and_the_row_by_row_way_load_the_same_keys_and_report_the_same_lines() -> None:
    copied = _import(io.BytesIO(_sample()))
    copied_keys = _keys()
    CrimeRecord.objects.all().delete()

    by_row = _import(_OneWay(_sample()))

    assert _keys() == copied_keys
    assert len(copied_keys) == 5
    assert (
        copied.errors
        == by_row.errors
        == [{"line": 6, "message": row_rules.BAD_MONTH.format(line=6, value="March 2026")}]
    )
    assert (copied.rows_done, copied.rows_loaded) == (by_row.rows_done, by_row.rows_loaded) == (6, 5)


def test_a_quoted_field_over_two_lines_keeps_the_line_numbers_of_the_file() -> None:
    content = police_csv(
        [
            crime_row(crime_id=crime_id(1), location="On or near\nHigh Street"),  # lines 2 and 3
            crime_row(crime_id=crime_id(2), month="2026-13"),  # line 4
            crime_row(crime_id=crime_id(3)),
        ]
    )

    run = _import(io.BytesIO(content))

    assert run.state == ImportState.DONE
    assert run.errors == [{"line": 4, "message": row_rules.BAD_MONTH.format(line=4, value="2026-13")}]
    assert CrimeRecord.objects.get(key=crime_id(1)).location == "On or near\nHigh Street"
    assert CrimeRecord.objects.count() == 2


def test_a_blank_line_in_the_middle_is_no_row_and_the_lines_after_it_keep_their_numbers() -> None:
    head, tail = (
        police_csv([crime_row(crime_id=crime_id(1))]),
        police_csv([crime_row(crime_id=crime_id(2), crime_type="")]),
    )
    content = head + b"\n" + tail.split(b"\n", 1)[1]  # line 3 blank, line 4 the row with no type

    run = _import(io.BytesIO(content))

    assert run.errors == [{"line": 4, "message": row_rules.NO_CRIME_TYPE.format(line=4)}]
    assert list(CrimeRecord.objects.values_list("key", flat=True)) == [crime_id(1)]


def test_the_search_indexes_are_there_after_an_import_that_rebuilt_them() -> None:
    _import(io.BytesIO(_sample()))

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [CrimeRecord._meta.db_table])
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY(c.conkey) WHERE c.conrelid = %s::regclass AND c.contype = 'p'",
            [CrimeRecord._meta.db_table],
        )
        primary_key = [row[0] for row in cursor.fetchall()]
    assert {"crime_lsoa_month_idx", "crime_lat_long_idx"} <= names
    assert len(names) == 3  # and the primary key's; no LIKE-pattern index
    assert primary_key == ["key"]


@pytest.mark.parametrize("held_before", [0, 4], ids=["first-import", "key-kept"])
def test_a_crime_id_given_twice_in_a_file_goes_in_once_from_its_first_line(held_before: int) -> None:
    # With nothing held the primary key is built after the rows go in, and finds the repeat; with
    # rows held (and the table's size known) it is kept, and the rows go in each key once.
    if held_before:
        _import(io.BytesIO(police_csv([crime_row(crime_id=crime_id(n)) for n in range(10, 10 + held_before)])))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CrimeRecord._meta.db_table}")  # the estimate the import reads: 4 rows
    content = police_csv(
        [
            crime_row(crime_id=crime_id(1), location="On or near First Street"),
            crime_row(crime_id=crime_id(1), location="On or near Second Street"),
            crime_row(),
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        run = _import(io.BytesIO(content))

    assert run.state == ImportState.DONE
    # The repeat is reported as such, with its line and the line it repeats; not as "held".
    assert (run.rows_loaded, run.rows_skipped, run.error_count) == (2, 0, 1)
    assert run.errors == [
        {"line": 3, "message": REPEATED_CRIME_ID.format(line=3, crime_id=crime_id(1), first=2)},
    ]
    assert CrimeRecord.objects.get(key=crime_id(1)).location == "On or near First Street"
    assert CrimeRecord.objects.count() == held_before + 2
    # Which way the rows went in: a first import tries every row unsorted, the rebuilt key finds
    # the repeat and the rows go in again each once; with rows held, each once from the start.
    crime_inserts = [
        "DISTINCT ON" in query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("INSERT INTO evaluation_crimerecord") and "crime_id <> ''" in query["sql"]
    ]
    assert crime_inserts == ([True] if held_before else [False, True])


def test_an_empty_field_is_empty_text_not_null_in_the_copied_rows() -> None:
    _import(io.BytesIO(_sample()))

    row = CrimeRecord.objects.get(location="No location")
    assert (row.crime_id, row.context, row.latitude) == ("", "", None)


def test_a_well_formed_file_is_staged_by_copy_in_chunks_and_a_multi_line_field_is_sent_back_to_the_row_by_row_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from evaluation.services.crime_import_copy import staging

    monkeypatch.setattr(staging, "BLOCK_BYTES", 100)  # a row or so per read, so progress steps show
    progress: list[tuple[str, int]] = []
    multi_line = police_csv([crime_row(crime_id=crime_id(1), location="On or near\nHigh Street")])
    tables = staging.Staging(run_id=41)
    with connection.cursor() as cursor:
        staged = staging.stage_file(
            cursor, io.BytesIO(_sample()), tables, chunk_rows=4, after_chunk=lambda *step: progress.append(step)
        )
        months = []
        for table in tables.tables:
            cursor.execute(f'SELECT line_no, month FROM "{table}" ORDER BY line_no')  # noqa: S608
            months.append(cursor.fetchall())
        with pytest.raises(staging.NeedsRowByRow):
            staging.stage_file(cursor, io.BytesIO(multi_line), tables, chunk_rows=4, after_chunk=lambda *step: None)
        tables.drop(cursor)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'crime\\_import\\_staging\\_41\\_%'")
        left = cursor.fetchone()[0]

    assert staged == 6
    # A table per COPY of at least 4 rows, cut at line ends, each numbered by the file's lines.
    assert progress == [("crime_import_staging_41_1", 4), ("crime_import_staging_41_2", 6)]
    assert months == [
        [(2, "2026-03"), (3, "2026-03"), (4, "2026-03"), (5, "2026-03")],
        [(6, "March 2026"), (7, "2026-04")],
    ]
    assert left == 0


def test_a_file_ending_with_a_chunk_gets_no_empty_chunk_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluation.services.crime_import_copy import staging

    monkeypatch.setattr(staging, "BLOCK_BYTES", 100)  # a row or so per read
    content = police_csv([crime_row(crime_id=crime_id(n)) for n in range(1, 5)])
    progress: list[tuple[str, int]] = []
    tables = staging.Staging(run_id=42)
    with connection.cursor() as cursor:
        staged = staging.stage_file(
            cursor, io.BytesIO(content), tables, chunk_rows=4, after_chunk=lambda *step: progress.append(step)
        )
        kept = list(tables.tables)
        tables.drop(cursor)

    assert staged == 4
    assert progress == [("crime_import_staging_42_1", 4)]
    assert kept == ["crime_import_staging_42_1"]


def test_a_line_of_backslash_dot_is_reported_by_its_line_and_the_rows_after_it_load() -> None:
    # "\." alone on a line ends COPY's data; counted against the lines sent, it sends the file the
    # row-by-row way, which reports the line.
    rows = [crime_row(crime_id=crime_id(n)) for n in range(1, 11)]
    content = police_csv(rows[:3]) + b"\\.\n" + police_csv(rows[3:]).split(b"\n", 1)[1]

    run = _import(io.BytesIO(content))

    assert run.state == ImportState.DONE
    assert CrimeRecord.objects.count() == 10
    assert run.errors == [{"line": 5, "message": WRONG_FIELD_COUNT.format(line=5, count=1)}]
