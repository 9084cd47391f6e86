"""The crime import pages and the unit costs page: happy paths, refusals, invalid input, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluation.forms.crime import FILE_TOO_LARGE, NOT_CSV
from evaluation.models import POLICE_CRIME_TYPES, CrimeImportRun, CrimeRecord, CrimeUnitCost, ImportState
from evaluation.services.crime_import import expected_header
from evaluation.services.crime_uploads import crime_import_execute
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db


def _file(content: bytes, name: str = "2026-03-northshire-street.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _three_rows() -> bytes:
    return police_csv([crime_row(crime_id=crime_id(1)), crime_row(crime_id=crime_id(2)), crime_row()])


def test_an_analyst_uploads_a_file_and_it_is_imported_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in(Client(), world.users["analyst"])

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("crime-import"), {"file": _file(_three_rows())})

    run = CrimeImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("crime-import-detail", kwargs={"pk": run.pk})
    assert (run.state, run.rows_total, run.started_by, run.organisation) == (
        ImportState.QUEUED,
        3,
        world.users["analyst"],
        world.force,
    )
    assert len(callbacks) == 1  # the task is queued only once the run is committed
    # What the task does, run here in-process (a real worker runs it in test_crime_worker.py).
    crime_import_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.rows_loaded, run.stored_path) == (ImportState.DONE, 3, "")
    assert CrimeRecord.objects.count() == 3


def test_the_progress_fragment_polls_until_the_run_has_finished(world: World) -> None:
    client = sign_in(Client(), world.users["analyst"])
    run = CrimeImportRun.objects.create(
        organisation=world.force, file_name="a.csv", state=ImportState.RUNNING, rows_total=200, rows_done=50
    )
    url = reverse("crime-import-progress", kwargs={"pk": run.pk})

    running = client.get(url).content.decode()
    CrimeImportRun.objects.filter(pk=run.pk).update(
        state=ImportState.DONE, rows_done=200, message="200 new rows imported."
    )
    done = client.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in running
    assert 'value="25"' in running
    assert "hx-trigger" not in done
    assert 'value="100"' in done
    assert "Import finished: 200 new rows imported." in done


def test_a_wrong_header_is_refused_at_once_saying_what_was_expected(world: World) -> None:
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(reverse("crime-import"), {"file": _file(police_csv([], header=["id", "when"]))})

    assert response.status_code == 200
    assert expected_header() in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert not CrimeImportRun.objects.exists()


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00binary", b""])
def test_a_file_that_is_not_csv_text_is_refused(world: World, content: bytes) -> None:
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(reverse("crime-import"), {"file": _file(content, "crimes.csv")})

    assert response.status_code == 200
    assert NOT_CSV in response.content.decode()
    assert not CrimeImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("evaluation.forms.crime.MAX_UPLOAD_BYTES", 100)
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(reverse("crime-import"), {"file": _file(_three_rows())})

    assert FILE_TOO_LARGE in response.content.decode()
    assert not CrimeImportRun.objects.exists()


def test_an_officer_may_not_import(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])

    response = client.post(reverse("crime-import"), {"file": _file(_three_rows())})

    assert response.status_code == 403
    assert not CrimeImportRun.objects.exists()


def test_a_partner_gets_404_on_the_import_page(world: World) -> None:
    client = sign_in(Client(), world.users["partner_member"])

    assert client.get(reverse("crime-import")).status_code == 404


def _runs(world: World, n: int) -> None:
    for i in range(n):
        CrimeImportRun.objects.create(organisation=world.force, started_by=world.users["analyst"], file_name=f"{i}.csv")


def test_the_import_page_keeps_the_same_query_count_with_1_and_with_5_runs(
    world: World, django_assert_num_queries: Any
) -> None:
    client = sign_in(Client(), world.users["analyst"])

    def count_queries(rows: int) -> None:
        _runs(world, rows - CrimeImportRun.objects.count())
        client.get(reverse("crime-import"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the runs with who
        # started them (one JOIN).
        with django_assert_num_queries(4):
            response = client.get(reverse("crime-import"))
        assert response.content.decode().count("data-import-run") == rows

    count_queries(1)
    count_queries(5)


def test_unit_costs_list_every_police_crime_type_with_no_figure(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])

    page = client.get(reverse("crime-unit-costs")).content.decode()

    for kind in POLICE_CRIME_TYPES:
        assert f'data-unit-cost="{kind}"' in page
    assert page.count("Not entered") == len(POLICE_CRIME_TYPES)
    assert "unit-cost-burglary" not in page  # an officer reads; there is no form to change a cost


def test_a_supervisor_saves_a_unit_cost(world: World) -> None:
    client = sign_in(Client(), world.users["supervisor"])

    response = client.post(
        reverse("crime-unit-costs"),
        {"crime_type": "Burglary", "cost": "12.50", "source": "Force finance", "year": "2025"},
    )

    assert response.status_code == 302
    unit = CrimeUnitCost.objects.get(crime_type="Burglary")
    assert (str(unit.cost), unit.source, unit.year) == ("12.50", "Force finance", 2025)


def test_a_unit_cost_without_a_source_shows_the_error_and_keeps_what_was_typed(world: World) -> None:
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("crime-unit-costs"), {"crime_type": "Robbery", "cost": "99.99", "source": "", "year": ""}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Say where the unit cost of Robbery comes from." in page
    assert 'value="99.99"' in page
    assert not CrimeUnitCost.objects.filter(cost__isnull=False).exists()


def test_the_unit_costs_page_keeps_the_same_query_count_with_1_and_with_5_costs(
    world: World, django_assert_num_queries: Any
) -> None:
    client = sign_in(Client(), world.users["analyst"])

    def count_queries(rows: int) -> None:
        for kind in POLICE_CRIME_TYPES[CrimeUnitCost.objects.count() : rows]:
            CrimeUnitCost.objects.create(
                crime_type=kind, cost=1, source="Test figure", updated_by=world.users["analyst"]
            )
        client.get(reverse("crime-unit-costs"))
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the unit costs with
        # who last changed them (one JOIN).
        with django_assert_num_queries(4):
            response = client.get(reverse("crime-unit-costs"))
        assert response.content.decode().count('value="1.00"') == rows

    count_queries(1)
    count_queries(5)


def test_an_upload_with_the_queue_down_fails_with_a_message_and_keeps_no_file(
    world: World, broker_down: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.storage import default_storage

    from core.queueing import QUEUE_UNAVAILABLE

    client = sign_in(Client(), world.users["analyst"])
    stored_before = (
        set(default_storage.listdir("crime-imports")[1]) if default_storage.exists("crime-imports") else set()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crime-import"), {"file": _file(_three_rows())})

    run = CrimeImportRun.objects.get()
    assert response.status_code == 302  # not a server error: the upload was saved, then refused
    assert (run.state, run.message, run.stored_path) == (ImportState.FAILED, QUEUE_UNAVAILABLE, "")
    assert set(default_storage.listdir("crime-imports")[1]) == stored_before  # its file is gone
    page = client.get(response["Location"]).text
    assert QUEUE_UNAVAILABLE in page
    assert "being imported" not in page, "a refused upload says only that it failed"
    assert CrimeRecord.objects.count() == 0
