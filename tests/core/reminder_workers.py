"""Real Celery worker processes for the reminder tests, and reading what they sent.

Each worker is `celery -A config worker --pool solo` against the local Redis (this helper's db,
CELERY_BROKER_URL) and the test database, writing emails as files to `mail_dir`."""

from __future__ import annotations

import json
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
from core.models import Reminder, ReminderState
from core.reminders import LOCK_CLASS, REMINDER_HEADER, reminder_message_id

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


def start_worker(
    mail_dir: Path,
    log: Path,
    *,
    broker_url: str | None = None,
    claim_timeout: float = CLAIM_TIMEOUT_SECONDS,
    mail_delay: float = 0.0,
    hold_at: int | None = None,
    control_dir: Path | None = None,
    sweep_schedule: dict[str, dict[str, object]] | None = None,
) -> subprocess.Popen[bytes]:
    """A worker writing its emails to `mail_dir`, each taking `mail_delay` seconds; with `hold_at`,
    its hold_at-th email waits for the test (tests/core/slow_mail_backend.py)."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.reminder_worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        "REMINDER_TEST_MAIL_DIR": str(mail_dir),
        "REMINDER_CLAIM_TIMEOUT_SECONDS": str(int(claim_timeout)),
        "REMINDER_TEST_MAIL_DELAY": str(mail_delay),
        "REMINDER_TEST_SWEEP_SCHEDULE": json.dumps(sweep_schedule or {}),
    }
    if hold_at is not None:
        assert control_dir is not None
        control_dir.mkdir(exist_ok=True)
        env["REMINDER_TEST_MAIL_HOLD_AT"] = str(hold_at)
        env["REMINDER_TEST_CONTROL_DIR"] = str(control_dir)
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


def held_reminder(control_dir: Path, worker: subprocess.Popen[bytes]) -> int | None:
    """The reminder whose email `worker` is holding (see slow_mail_backend), once it holds one."""
    marker = control_dir / f"held-{worker.pid}"
    text = marker.read_text() if marker.exists() else ""
    return int(text) if text else None


def release_held(control_dir: Path, worker: subprocess.Popen[bytes]) -> None:
    (control_dir / f"release-{worker.pid}").touch()


def sends_in_flight() -> int:
    """Reminders some worker is sending right now: the send locks held (core.reminders)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND granted",
            [LOCK_CLASS],
        )
        return int(cursor.fetchone()[0])


def settled(expected: int) -> Callable[[], bool]:
    """Every reminder sent and none being sent: from then on nothing can be emailed again (a
    claim needs a row that is not sent), so the test may count the emails."""

    def check() -> bool:
        return Reminder.objects.filter(state=ReminderState.SENT).count() == expected and sends_in_flight() == 0

    return check


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
    meanwhile: Callable[[], object] | None = None,
    every: float = 1.0,
) -> None:
    """Poll `condition` until it holds. The timeout is a limit for a broken run, never a pause a
    passing run waits out. `meanwhile` runs every `every` seconds while waiting (the part beat's
    dispatcher plays in production)."""
    deadline = time.monotonic() + timeout
    next_meanwhile = time.monotonic() + every
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"a worker stopped: {log.read_text() if log else ''}")
        if meanwhile is not None and time.monotonic() >= next_meanwhile:
            meanwhile()
            next_meanwhile = time.monotonic() + every
        time.sleep(0.1)
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
