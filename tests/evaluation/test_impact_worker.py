"""A large impact report made by a real Celery worker: queued when the request commits, its
progress visible on the progress endpoint, then downloaded as a real PDF."""

from __future__ import annotations

import io
import subprocess
import time
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from evaluation.models import ReportRun
from tests.conftest import sign_in
from tests.core.test_celery_worker import celery_worker_process  # noqa: F401  (the real worker)
from tests.evaluation.factories_impact import impact_world, report_params


@pytest.mark.celery_worker
def test_large_report_is_made_by_the_worker_and_downloaded(
    celery_worker_process: subprocess.Popen[str],  # noqa: F811
    world: Any,
    settings: Any,
) -> None:
    data = impact_world(world)
    # Any report with more than one problem goes to the background.
    settings.IMPACT_REPORT_SYNC_MAX_PROBLEMS = 1
    client = sign_in(Client(), world.users["supervisor"])
    assert b"prepared in the background" in client.get("/reports/impact/pdf/", report_params(data.eastgate)).content

    response = client.post("/reports/impact/runs/", {**report_params(data.eastgate), "format": "pdf"})
    run = ReportRun.objects.get()
    assert response["Location"] == f"/reports/impact/runs/{run.pk}/"
    assert client.get(response["Location"]).status_code == 200

    deadline = time.monotonic() + 90
    seen: list[int] = []
    progress: dict[str, Any] = {}
    while time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the worker stopped"
        progress = client.get(f"/reports/impact/runs/{run.pk}/progress/").json()
        seen.append(progress["progress"])
        if progress["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert progress["state"] == "done", progress
    assert progress["progress"] == 100
    assert seen == sorted(seen), "progress never goes backwards"

    download = client.get(progress["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Impact report: Eastgate" in text
