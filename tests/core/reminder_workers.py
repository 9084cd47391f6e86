"""Real Celery worker processes for the reminder tests, and reading what they sent.

Each worker is `celery -A config worker --pool solo` against the local Redis (this helper's db,
CELERY_BROKER_URL) and the test database, writing emails as files to `mail_dir`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from email import message_from_bytes
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from core.reminders import REMINDER_HEADER, reminder_message_id

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(os.sys.executable).parent / "celery"  # type: ignore[attr-defined]
# Short enough for a test to see a dead worker's claim taken back, long enough never to be
# reached by a live worker's send.
CLAIM_TIMEOUT_SECONDS = 3


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def queued_tasks() -> int:
    """Messages waiting in the default queue of this test's Redis database."""
    return int(broker().llen("celery"))


def purge() -> None:
    celery_app.control.purge()
    broker().flushdb()


def start_worker(mail_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.reminder_worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REMINDER_TEST_MAIL_DIR": str(mail_dir),
        "REMINDER_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS),
    }
    mail_dir.mkdir(exist_ok=True)
    # A file, not a pipe: a pipe nobody reads fills up and blocks the worker.
    with log.open("ab") as out:
        return subprocess.Popen(
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
                "--hostname",
                f"reminders-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def kill_worker(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no shutdown, no acknowledgement, no chance to tidy up."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    workers: Sequence[subprocess.Popen[bytes]] = (),
    log: Path | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"a worker stopped: {log.read_text() if log else ''}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: {log.read_text()[-3000:] if log else ''}")


def emails_by_reminder(mail_dir: Path) -> Counter[int]:
    """How many emails each reminder row produced, read from the files the workers wrote (the
    file backend writes each message followed by a line of 79 dashes)."""
    sent: Counter[int] = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = message_from_bytes(chunk)
            if message[REMINDER_HEADER]:
                pk = int(message[REMINDER_HEADER])
                # Every copy of one reminder's email carries that reminder's own Message-ID.
                assert message["Message-ID"] == reminder_message_id(pk)
                sent[pk] += 1
    return sent
