"""The upload's import runs in a real Celery worker (against the local Redis and the test
database), and the progress the page polls reaches the end."""

from __future__ import annotations

import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
from tests.conftest import World, sign_in
from tests.core.test_celery_worker import celery_worker_process  # noqa: F401  (the fixture)
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv


@pytest.mark.celery_worker
def test_an_uploaded_file_is_imported_by_a_real_worker(
    world: World,
    celery_worker_process: subprocess.Popen[str],  # noqa: F811
) -> None:
    rows = [crime_row(crime_id=crime_id(n)) for n in range(1, 41)] + [crime_row() for _ in range(10)]
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("crime-import"), {"file": SimpleUploadedFile("street.csv", police_csv(rows), content_type="text/csv")}
    )
    run = CrimeImportRun.objects.get()
    progress_url = reverse("crime-import-progress", kwargs={"pk": run.pk})

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the worker stopped"
        run.refresh_from_db()
        if run.finished:
            break
        time.sleep(0.5)
    fragment = client.get(progress_url).content.decode()

    assert response.status_code == 302
    assert run.state == ImportState.DONE, run.message
    assert (run.rows_loaded, run.rows_done, run.stored_path) == (50, 50, "")
    assert CrimeRecord.objects.count() == 50
    assert 'value="100"' in fragment
    assert "hx-trigger" not in fragment
