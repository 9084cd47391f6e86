"""A real Celery worker against the local Redis: a task's round trip, seen through /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from config.celery import app as celery_app
from core.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(os.sys.executable).parent / "celery"  # type: ignore[attr-defined]


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[subprocess.Popen[str]]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # The worker must see the rows this test commits: point it at the test database.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    # Pings left in the queue by earlier tests would make the worker write a heartbeat too early.
    celery_app.control.purge()
    process = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    # Close the worker's connections before the test database is flushed. Its log is printed:
    # pytest shows it ("Captured stdout teardown") only when the test failed.
    output, _ = process.communicate(timeout=5)
    sys.stdout.write(output[-20_000:])


@pytest.mark.celery_worker
def test_health_check_task_round_trips_through_a_real_worker(celery_worker_process: subprocess.Popen[str]) -> None:
    assert not WorkerHeartbeat.objects.exists()
    client = Client()
    first = client.get("/healthz").json()
    assert first["broker"] == "ok"

    deadline = time.monotonic() + 60
    report = first
    while time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the worker stopped"
        report = client.get("/healthz").json()
        if report["worker"]["status"] == "ok":
            break
        time.sleep(0.5)
    assert report["worker"]["status"] == "ok", report
    assert WorkerHeartbeat.objects.get(name="worker").seen_at.isoformat() == report["worker"]["last_seen"]
