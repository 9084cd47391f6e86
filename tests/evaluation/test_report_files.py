"""Files of background impact reports are deleted a set number of days after they were made
(they hold case details); the run stays and says so."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent
from evaluation.models import ReportRun, ReportState
from evaluation.services.reports import FILE_DELETED, FILES_DELETED_VERB, report_files_delete_expired
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _run(world: Any, *, finished_days_ago: int, name: str) -> ReportRun:
    run = ReportRun.objects.create(requested_by=world.users["supervisor"], format="csv", state=ReportState.DONE)
    run.result.save(name, ContentFile(b"section,item,measure,value\n"), save=False)
    run.finished_at = timezone.now() - datetime.timedelta(days=finished_days_ago)
    run.save()
    return run


def test_files_older_than_the_retention_are_deleted_and_newer_ones_kept(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = _run(world, finished_days_ago=8, name="old.csv")
    new = _run(world, finished_days_ago=6, name="new.csv")
    old_name, new_name = old.result.name, new.result.name

    with django_capture_on_commit_callbacks(execute=True):
        assert report_files_delete_expired() == 1

    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.result
    assert old.step == FILE_DELETED.format(days=django_settings.REPORT_FILE_RETENTION_DAYS)
    assert not default_storage.exists(old_name)
    assert new.result.name == new_name
    assert default_storage.exists(new_name)
    event = AuditEvent.objects.get(verb=FILES_DELETED_VERB)
    assert event.detail["runs"] == [old.pk]
    # Nothing more to do the next night.
    assert report_files_delete_expired() == 0
    default_storage.delete(new_name)


def test_the_retention_is_a_setting(world: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.REPORT_FILE_RETENTION_DAYS = 30
    run = _run(world, finished_days_ago=8, name="kept.csv")

    with django_capture_on_commit_callbacks(execute=True):
        assert report_files_delete_expired() == 0

    assert default_storage.exists(run.result.name)
    default_storage.delete(run.result.name)


def test_a_run_whose_file_was_deleted_says_so_and_offers_no_download(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(world, finished_days_ago=8, name="gone.csv")
    with django_capture_on_commit_callbacks(execute=True):
        report_files_delete_expired()
    client = sign_in(Client(), world.users["supervisor"])

    page = client.get(f"/reports/impact/runs/{run.pk}/")

    assert "The file was deleted 7 days after it was made" in page.text
    assert 'id="report-download" hidden' in page.text
    assert client.get(f"/reports/impact/runs/{run.pk}/progress/").json()["download_url"] == ""
    assert client.get(f"/reports/impact/runs/{run.pk}/download/").status_code == 404
