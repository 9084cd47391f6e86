"""Importing data.police.uk street-level files: counts, idempotence, wrong headers, malformed rows,
the ASB key rule, and the command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from evaluation.services import crime_import as service
from evaluation.services import crime_rows as row_rules
from evaluation.services.crime_import import crime_import_run, expected_header
from evaluation.services.crime_rows import asb_key
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db


def _import(content: bytes) -> CrimeImportRun:
    run = CrimeImportRun.objects.create(file_name="2026-03-northshire-street.csv", rows_total=0)
    return crime_import_run(run=run, stream=io.BytesIO(content))


def _mixed_file() -> bytes:
    """Three crimes (one without coordinates, one with a quoted comma in its location) and three
    ASB rows, two of them identical (police.uk does publish identical ASB rows)."""
    return police_csv(
        [
            crime_row(crime_id=crime_id(1), crime_type="Burglary", outcome="Under investigation"),
            crime_row(
                crime_id=crime_id(2), crime_type="Shoplifting", longitude="", latitude="", location="No location"
            ),
            crime_row(crime_id=crime_id(3), crime_type="Robbery", location="On or near Station Road, Eastgate"),
            crime_row(),
            crime_row(),
            crime_row(month="2026-04"),
        ]
    )


def test_a_file_in_the_police_uk_format_imports_every_row() -> None:
    run = _import(_mixed_file())

    assert run.state == ImportState.DONE
    assert (run.rows_done, run.rows_loaded, run.rows_skipped, run.error_count) == (6, 6, 0, 0)
    assert CrimeRecord.objects.count() == 6
    assert CrimeRecord.objects.filter(crime_type="Anti-social behaviour").count() == 3
    no_location = CrimeRecord.objects.get(key=crime_id(2))
    assert (no_location.latitude, no_location.longitude) == (None, None)
    assert CrimeRecord.objects.get(key=crime_id(3)).location == "On or near Station Road, Eastgate"
    burglary = CrimeRecord.objects.get(key=crime_id(1))
    assert (burglary.month.isoformat(), burglary.latitude, burglary.lsoa_code) == ("2026-03-01", 52.123456, "E01099101")
    assert run.message == "6 new rows imported; 0 already held."
    assert AuditEvent.objects.filter(verb="evaluation.crime_import.finished", target_id=str(run.pk)).exists()


def test_reimporting_the_same_file_adds_nothing() -> None:
    _import(_mixed_file())
    keys = set(CrimeRecord.objects.values_list("key", flat=True))

    again = _import(_mixed_file())

    assert (again.rows_loaded, again.rows_skipped) == (0, 6)
    assert set(CrimeRecord.objects.values_list("key", flat=True)) == keys


def test_identical_asb_rows_are_numbered_by_occurrence_with_the_documented_key() -> None:
    _import(_mixed_file())
    fields = crime_row()[1:]

    keys = set(CrimeRecord.objects.filter(key__startswith="asb-").values_list("key", flat=True))

    assert keys == {asb_key(fields, 1), asb_key(fields, 2), asb_key(crime_row(month="2026-04")[1:], 1)}


def test_a_later_file_with_one_more_identical_asb_row_adds_only_that_row() -> None:
    _import(police_csv([crime_row(), crime_row()]))

    run = _import(police_csv([crime_row(), crime_row(), crime_row()]))

    assert (run.rows_loaded, run.rows_skipped) == (1, 2)


def test_the_portable_loader_gives_the_same_keys_as_postgresql_copy() -> None:
    first = _import(_mixed_file())
    copy_keys = set(CrimeRecord.objects.values_list("key", flat=True))
    CrimeRecord.objects.all().delete()
    reading = service._Reading(run=first)
    reader = service.csv.reader(io.StringIO(_mixed_file().decode()))
    next(reader)

    inserted = service._load_portable(first, service._rows(reader, reading, check=True), lambda: None)

    assert inserted == 6
    assert set(CrimeRecord.objects.values_list("key", flat=True)) == copy_keys


# Coordinates in the forms whose shortest writing differs (PostgreSQL's and Python's must agree).
ODD_COORDINATES = [("-0.0", "52.100000"), ("5", "0.00001"), ("1e1", "-0.0001"), ("179.999999", "-1.50")]


def test_the_asb_key_writes_coordinates_as_postgresql_does_so_both_loaders_agree() -> None:
    content = police_csv([crime_row(longitude=lon, latitude=lat) for lon, lat in ODD_COORDINATES])
    run = _import(content)
    copy_keys = set(CrimeRecord.objects.values_list("key", flat=True))
    CrimeRecord.objects.all().delete()
    reading = service._Reading(run=run)
    reader = service.csv.reader(io.StringIO(content.decode()))
    next(reader)

    service._load_portable(run, service._rows(reader, reading, check=True), lambda: None)

    assert len(copy_keys) == len(ODD_COORDINATES)
    assert set(CrimeRecord.objects.values_list("key", flat=True)) == copy_keys
    assert row_rules.coordinate_text(row_rules.coordinate("-0.0")) == "-0"
    assert row_rules.coordinate_text(row_rules.coordinate("52.100000")) == "52.1"


def test_a_redownload_writing_the_coordinates_differently_adds_no_asb_row() -> None:
    _import(police_csv([crime_row(longitude="-1.500000", latitude="52.100000")]))

    again = _import(police_csv([crime_row(longitude="-1.5", latitude="52.1")]))

    assert (again.rows_loaded, again.rows_skipped) == (0, 1)


def test_a_wrong_header_loads_nothing_and_says_what_was_expected() -> None:
    content = police_csv([crime_row(crime_id=crime_id(1))], header=["id", "month", "type"])

    run = _import(content)

    assert run.state == ImportState.FAILED
    assert CrimeRecord.objects.count() == 0
    assert expected_header() in run.message
    assert run.message.startswith("The first line is not the data.police.uk street-level header")
    assert run.errors == [{"line": 1, "message": run.message}]


def test_a_malformed_row_is_reported_by_its_line_and_the_rest_loads() -> None:
    rows = [
        crime_row(crime_id=crime_id(1)),
        crime_row(crime_id=crime_id(2), month="March 2026"),  # line 3
        crime_row(crime_id=crime_id(3))[:5],  # line 4: five fields
        crime_row(crime_id=crime_id(4), longitude="west", latitude="52.1"),  # line 5
        crime_row(crime_id=crime_id(5), crime_type=""),  # line 6
        crime_row(crime_id=crime_id(6)),
    ]

    run = _import(police_csv(rows))

    assert run.state == ImportState.DONE
    assert sorted(CrimeRecord.objects.values_list("key", flat=True)) == [crime_id(1), crime_id(6)]
    assert run.errors == [
        {"line": 3, "message": row_rules.BAD_MONTH.format(line=3, value="March 2026")},
        {"line": 4, "message": service.WRONG_FIELD_COUNT.format(line=4, count=5)},
        {"line": 5, "message": row_rules.BAD_COORDINATES.format(line=5)},
        {"line": 6, "message": row_rules.NO_CRIME_TYPE.format(line=6)},
    ]
    assert run.message == "2 new rows imported; 0 already held; 4 malformed rows not imported."


def test_a_file_that_stops_being_text_keeps_the_rows_before_and_reports_the_line() -> None:
    content = police_csv([crime_row(crime_id=crime_id(1))]) + b"\xff\xfe\x00broken\n"

    run = _import(content)

    assert CrimeRecord.objects.count() == 1
    assert run.errors[0]["line"] == 3
    assert "not UTF-8 text" in run.errors[0]["message"]


def test_the_command_imports_files_and_shows_progress(tmp_path: Path) -> None:
    path = tmp_path / "2026-03-street.csv"
    path.write_bytes(_mixed_file())
    out = io.StringIO()

    call_command("import_police_csv", str(path), stdout=out)

    assert CrimeRecord.objects.count() == 6
    assert "[##############################] 6/6 rows" in out.getvalue()
    assert "6 new rows imported; 0 already held." in out.getvalue()


def test_the_command_fails_on_a_wrong_header_and_prints_the_expected_one(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_bytes(police_csv([], header=["Crime ID", "Month"]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 file could not be imported"):
        call_command("import_police_csv", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)

    assert expected_header() in err.getvalue()
    assert CrimeRecord.objects.count() == 0


def test_postgresql_and_the_portable_loader_refuse_the_same_rows_with_the_same_messages() -> None:
    rows = [
        crime_row(crime_id=crime_id(1)),
        crime_row(crime_id=crime_id(2), month="2026-13"),
        crime_row(crime_id=crime_id(3), longitude="1e5", latitude="52.1"),
        crime_row(crime_id=crime_id(4), longitude="-200.5", latitude="52.1"),
        crime_row(crime_id=crime_id(5), longitude="", latitude="52.1"),
        crime_row(crime_id=crime_id(6), lsoa_code="E0109910199"),
        crime_row(crime_id="x" * 65),
        crime_row(location="L" * 256),
        crime_row(crime_id=crime_id(9)),
    ]
    content = police_csv(rows)
    on_postgresql = _import(content)
    postgresql_errors = on_postgresql.errors

    portable = CrimeImportRun.objects.create(file_name="portable.csv")
    reading = service._Reading(run=portable)
    reader = service.csv.reader(io.StringIO(content.decode()))
    next(reader)
    list(service._rows(reader, reading, check=True))

    assert [error["line"] for error in postgresql_errors] == [3, 4, 5, 6, 7, 8, 9]
    assert postgresql_errors == portable.errors
    assert postgresql_errors[4]["message"] == row_rules.TOO_LONG.format(line=7, field="LSOA code", limit=9)
    assert on_postgresql.rows_loaded == 2


# Numbers only: staged by COPY, checked in SQL. The loaded ones come first, then the refused.
NUMBERS_ONLY = [
    ("180", "90"),
    ("-180.000", "-90.0"),
    ("179.999999", "89.999999"),
    ("0", "-0.5"),
    ("1.", "52.1"),
    (".5", "52.1"),
    (" 1.5", "52.1"),
    ("1e1", "52.1"),
    ("180.000001", "52.1"),
    ("-1.2", "90.5"),
    ("181", "52.1"),
    ("1.5", ""),
    ("NaN", "52.1"),
    ("Infinity", "52.1"),
]
# With coordinates that are not numbers: the file is staged row by row, Python reading them.
NOT_ALL_NUMBERS = [
    *NUMBERS_ONLY[:8],
    ("1,5", "52.1"),
    ("1_5", "52.1"),
    ("\u0661", "52.1"),  # an Arabic-Indic one, which Python's float() alone would take
    ("west", "52.1"),
    *NUMBERS_ONLY[8:],
]


@pytest.mark.parametrize("coordinates", [NUMBERS_ONLY, NOT_ALL_NUMBERS], ids=["copy", "row-by-row"])
def test_coordinates_at_the_limits_load_and_just_beyond_them_are_refused_by_both_loaders(
    coordinates: list[tuple[str, str]],
) -> None:
    # A coordinate is a number as PostgreSQL's float8 reads it; both ways of staging and the
    # portable loader must take and refuse the same rows, with the same messages.
    rows = [crime_row(crime_id=crime_id(n), longitude=lon, latitude=lat) for n, (lon, lat) in enumerate(coordinates)]
    on_postgresql = _import(police_csv(rows))

    portable = CrimeImportRun.objects.create(file_name="portable.csv")
    reading = service._Reading(run=portable)
    reader = service.csv.reader(io.StringIO(police_csv(rows).decode()))
    next(reader)
    list(service._rows(reader, reading, check=True))

    assert [error["line"] for error in on_postgresql.errors] == list(range(10, len(coordinates) + 2))
    assert on_postgresql.errors == portable.errors
    assert on_postgresql.rows_loaded == 8
    assert CrimeRecord.objects.get(key=crime_id(7)).longitude == 10.0
    assert CrimeRecord.objects.get(key=crime_id(1)).longitude == -180.0


def test_an_import_records_the_first_and_last_month_of_its_file_on_both_loaders() -> None:
    import datetime

    content = police_csv(
        [
            crime_row(month="2026-04"),
            crime_row(month="2025-11"),
            crime_row(month="2026-13"),  # not a month
            crime_row(month="2025-09", crime_type=""),  # a month, but the row does not load
        ]
    )
    on_postgresql = _import(content)

    portable = CrimeImportRun.objects.create(file_name="portable.csv")
    reading = service._Reading(run=portable)
    reader = service.csv.reader(io.StringIO(content.decode()))
    next(reader)
    service._load_portable(portable, service._rows(reader, reading, check=True), lambda: None)

    expected = (datetime.date(2025, 11, 1), datetime.date(2026, 4, 1))
    assert (on_postgresql.first_month, on_postgresql.last_month) == expected
    assert (portable.first_month, portable.last_month) == expected


@pytest.mark.parametrize("copy_way", [True, False], ids=["copy", "row-by-row"])
def test_the_month_crime_id_and_hexadecimal_rules_agree_between_postgresql_and_python(copy_way: bool) -> None:
    rows = [
        crime_row(crime_id="asb-0123", crime_type="Burglary"),  # line 2
        crime_row(crime_id=crime_id(3), longitude="0x1p0", latitude="0x1.8p5"),  # 1 and 48: numbers to both
        crime_row(crime_id=crime_id(4)),
    ]
    expected = [row_rules.RESERVED_CRIME_ID.format(line=2)]
    if not copy_way:
        # A quoted line break sends the file row by row (and is no part of a month); the record
        # takes lines 5 and 6 and is reported at 6, as the csv module counts.
        rows.append(crime_row(crime_id=crime_id(1), month="2026-03\n"))
        expected.append(row_rules.BAD_MONTH.format(line=6, value="2026-03\n"))
    content = police_csv(rows)
    on_postgresql = _import(content)

    portable = CrimeImportRun.objects.create(file_name="portable.csv")
    reading = service._Reading(run=portable)
    reader = service.csv.reader(io.StringIO(content.decode()))
    next(reader)
    list(service._rows(reader, reading, check=True))

    assert [error["message"] for error in on_postgresql.errors] == expected
    assert on_postgresql.errors == portable.errors
    hexadecimal = CrimeRecord.objects.get(key=crime_id(3))
    assert (hexadecimal.longitude, hexadecimal.latitude) == (1.0, 48.0)
