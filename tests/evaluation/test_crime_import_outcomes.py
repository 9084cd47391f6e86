"""What an import reports, the same on the command line and the web (issue 17): a run in which no row
loads has failed (but one whose rows were all held already has not); a Crime ID repeated within a
file is reported with its lines, not as "already held"; a file that stops being readable part-way
says how many lines were not read; and a command-line import is a run in "Recent imports"."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from evaluation.services import crime_import as service
from evaluation.services.crime_import import REPEATED_CRIME_ID, crime_import_run
from evaluation.services.crime_uploads import crime_import_execute
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db


def _by_command(
    tmp_path: Path, content: bytes, name: str = "2026-03-street.csv"
) -> tuple[CrimeImportRun, str, str, CommandError | None]:
    """Import `content` with the command: the run it recorded, its output, its errors, and the
    CommandError it raised (its non-zero exit) or None."""
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        call_command("import_police_csv", str(path), "--no-progress", stdout=out, stderr=err)
    except CommandError as error:
        failure = error
    return CrimeImportRun.objects.latest("id"), out.getvalue(), err.getvalue(), failure


def _by_web(world: World, content: bytes, capture: Any) -> tuple[CrimeImportRun, str]:
    """Upload `content` as the analyst, run the worker's task, and read the run's page."""
    client = sign_in(Client(), world.users["analyst"])
    upload = SimpleUploadedFile("2026-03-street.csv", content, content_type="text/csv")
    with capture():
        response = client.post(reverse("crime-import"), {"file": upload})
    assert response.status_code == 302, response.content
    run = CrimeImportRun.objects.latest("id")
    crime_import_execute(run_id=run.pk)
    run.refresh_from_db()
    page = client.get(reverse("crime-import-detail", kwargs={"pk": run.pk}))
    assert page.status_code == 200
    return run, html.unescape(page.content.decode())


def _all_malformed() -> bytes:
    return police_csv(
        [
            crime_row(crime_id=crime_id(1), month="March 2026"),
            crime_row(crime_id=crime_id(2), crime_type=""),
            crime_row(longitude="west", latitude="52.1"),
        ]
    )


FAILED_ALL_MALFORMED = (
    "Import failed: none of the 3 rows could be read, so nothing was imported; 3 malformed rows not imported."
)


def test_an_all_malformed_file_fails_the_command_with_a_non_zero_exit(tmp_path: Path) -> None:
    run, _, err, failure = _by_command(tmp_path, _all_malformed())

    assert str(failure) == "1 file could not be imported"
    assert (run.state, run.message, run.rows_loaded) == (ImportState.FAILED, FAILED_ALL_MALFORMED, 0)
    assert FAILED_ALL_MALFORMED in err
    assert "Line 2: the month 'March 2026' is not of the form YYYY-MM." in err
    assert AuditEvent.objects.filter(verb="evaluation.crime_import.failed", target_id=str(run.pk)).exists()
    assert CrimeRecord.objects.count() == 0


def test_an_all_malformed_upload_shows_a_failed_import_not_a_green_finished(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    run, page = _by_web(world, _all_malformed(), django_capture_on_commit_callbacks)

    assert run.state == ImportState.FAILED
    assert f'<p class="alert alert-danger" data-import-result>{FAILED_ALL_MALFORMED}</p>' in page
    assert "Import finished" not in page


def test_a_file_with_a_header_and_no_rows_fails() -> None:
    run = crime_import_run(run=CrimeImportRun.objects.create(file_name="empty.csv"), stream=io.BytesIO(police_csv([])))

    assert run.state == ImportState.FAILED
    assert run.message == service.NO_ROWS


def test_a_file_whose_rows_are_all_held_already_is_not_a_failure(tmp_path: Path) -> None:
    content = police_csv([crime_row(crime_id=crime_id(1)), crime_row()])
    _by_command(tmp_path, content)

    run, out, _, failure = _by_command(tmp_path, content)

    assert failure is None
    assert (run.state, run.rows_loaded, run.rows_skipped) == (ImportState.DONE, 0, 2)
    assert "0 new rows imported; 2 already held." in out


def _repeats(held_before: bool) -> bytes:
    rows = [
        crime_row(crime_id=crime_id(1), location="On or near First Street"),  # line 2
        crime_row(crime_id=crime_id(2)),  # line 3
        crime_row(crime_id=crime_id(1), location="On or near Second Street"),  # line 4
        crime_row(),  # line 5
        crime_row(crime_id=crime_id(1), location="On or near Third Street"),  # line 6
    ]
    if held_before:
        rows.append(crime_row(crime_id=crime_id(9)))  # line 7, held from an earlier file
    return police_csv(rows)


REPEAT_ERRORS = [
    REPEATED_CRIME_ID.format(line=4, crime_id=crime_id(1), first=2),
    REPEATED_CRIME_ID.format(line=6, crime_id=crime_id(1), first=2),
]
REPEAT_SUMMARY = "2 rows repeating a Crime ID given earlier in the file not imported"


@pytest.mark.parametrize("held_before", [False, True], ids=["first-import", "rows-held"])
def test_a_crime_id_repeated_in_a_file_is_reported_with_its_lines_on_the_command_line(
    tmp_path: Path, held_before: bool
) -> None:
    if held_before:
        _by_command(tmp_path, police_csv([crime_row(crime_id=crime_id(9))]), name="earlier.csv")

    run, out, err, failure = _by_command(tmp_path, _repeats(held_before))

    assert failure is None
    assert run.state == ImportState.DONE
    assert (run.rows_loaded, run.rows_skipped) == (3, 1 if held_before else 0)
    assert [error["message"] for error in run.errors] == REPEAT_ERRORS
    assert [line.removeprefix("2026-03-street.csv: ") for line in err.splitlines()] == REPEAT_ERRORS
    expected = f"3 new rows imported; {1 if held_before else 0} already held; {REPEAT_SUMMARY}."
    assert expected in out
    assert CrimeRecord.objects.get(key=crime_id(1)).location == "On or near First Street"


def test_a_crime_id_repeated_in_a_file_is_reported_with_its_lines_on_the_web(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    run, page = _by_web(world, _repeats(False), django_capture_on_commit_callbacks)

    assert run.state == ImportState.DONE
    assert f"3 new rows imported; 0 already held; {REPEAT_SUMMARY}." in page
    for message in REPEAT_ERRORS:
        assert message in page


def test_the_portable_loader_reports_the_same_repeats_as_postgresql() -> None:
    content = _repeats(False)
    on_postgresql = crime_import_run(run=CrimeImportRun.objects.create(file_name="a.csv"), stream=io.BytesIO(content))
    portable = CrimeImportRun.objects.create(file_name="portable.csv")
    reading = service._Reading(run=portable)
    reader = service.csv.reader(io.StringIO(content.decode()))
    next(reader)
    CrimeRecord.objects.all().delete()

    service._load_portable(portable, service._rows(reader, reading, check=True), lambda: None, reading)

    assert portable.errors == on_postgresql.errors
    assert reading.repeated == 2


def _breaks_after(good_rows: int, tail: bytes, *, lines_after: int) -> bytes:
    """`good_rows` good rows, then `tail` (a line the file cannot be read from), then `lines_after`
    more good lines that are not read."""
    rows = [crime_row(crime_id=crime_id(n), location=f"On or near Street {n}") for n in range(good_rows)]
    after = police_csv([crime_row(crime_id=crime_id(10_000 + n)) for n in range(lines_after)]).split(b"\n", 1)[1]
    return police_csv(rows) + tail + after


NOT_UTF8 = b"\xff\xfe broken,line\n"


def test_a_file_that_stops_being_utf8_reports_the_lines_not_read_on_the_command_line(tmp_path: Path) -> None:
    # Lines 2-4 read; line 5 is not UTF-8; it and the 3 lines after it are not read.
    run, out, err, failure = _by_command(tmp_path, _breaks_after(3, NOT_UTF8, lines_after=3))

    message = service.UNREADABLE.format(line=5, reason="it is not UTF-8 text", unread=4, s="s", were="were")
    assert (run.state, failure) == (ImportState.DONE, None)
    assert run.errors == [{"line": 5, "message": message}]
    assert message in err
    assert "3 new rows imported; 0 already held; 4 lines not read (the file cannot be read from line 5)." in out
    assert CrimeRecord.objects.count() == 3


def test_a_file_that_stops_being_utf8_reports_the_lines_not_read_on_the_web(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The upload form reads the first 64 KB as text: the break comes after them.
    content = _breaks_after(800, NOT_UTF8, lines_after=3)
    assert content.index(b"\xff") > 64 * 1024

    run, page = _by_web(world, content, django_capture_on_commit_callbacks)

    message = service.UNREADABLE.format(line=802, reason="it is not UTF-8 text", unread=4, s="s", were="were")
    assert run.state == ImportState.DONE
    assert message in page
    assert "800 new rows imported; 0 already held; 4 lines not read (the file cannot be read from line 802)." in page
    assert 'class="alert alert-warning"' in page


def test_a_csv_error_part_way_reports_the_lines_not_read_from_the_record_it_began(tmp_path: Path) -> None:
    # A quote never closed: the csv module reads on past its field size limit, over many lines,
    # and stops; the lines not read are counted from the line the record began on (line 4).
    never_closed = b'"' + b"x" * 100 + b"\n" + (b"x" * 100 + b"\n") * 2_000  # lines 4 to 2004
    run, out, _, _ = _by_command(tmp_path, _breaks_after(2, never_closed, lines_after=5))

    assert run.state == ImportState.DONE
    assert (run.rows_loaded, run.errors[-1]["line"]) == (2, 4)
    assert "field larger than field limit" in run.errors[-1]["message"]
    assert "2,006 lines from here to the end were not read" in run.errors[-1]["message"]
    assert "2,006 lines not read (the file cannot be read from line 4)." in out


def test_a_file_unreadable_from_its_first_row_fails(tmp_path: Path) -> None:
    run, _, err, failure = _by_command(tmp_path, _breaks_after(0, NOT_UTF8, lines_after=2))

    assert failure is not None
    assert run.state == ImportState.FAILED
    assert run.message == (
        "Import failed: none of the 3 rows could be read, so nothing was imported; "
        "3 lines not read (the file cannot be read from line 2)."
    )
    assert run.message in err


def test_a_command_line_import_is_a_run_in_every_analysts_recent_imports(tmp_path: Path, world: World) -> None:
    run, _, _, _ = _by_command(tmp_path, police_csv([crime_row(crime_id=crime_id(1))]))
    client = sign_in(Client(), world.users["analyst"])

    page = client.get(reverse("crime-import")).content.decode()
    detail = client.get(reverse("crime-import-detail", kwargs={"pk": run.pk}))

    assert (run.state, run.organisation, run.started_by) == (ImportState.DONE, None, None)
    assert AuditEvent.objects.filter(verb="evaluation.crime_import.started", target_id=str(run.pk)).exists()
    assert "2026-03-street.csv" in page
    assert "Command line" in page
    assert "1 new rows imported; 0 already held." in page
    assert detail.status_code == 200
