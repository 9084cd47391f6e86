"""Exactly once, with a real Celery worker against the local Redis (issue 6, "Done when").

Each test commits real rows (transactional_db), starts `celery worker` subprocesses on the test
database, and counts what was sent three ways: reminder rows marked sent, in-app notifications
(one per reminder, a database constraint) and the email files the workers wrote (each carries its
reminder's id in a header)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import Notification, Reminder, ReminderState
from core.reminders import sweep_run
from core.tasks import queue_pending_reminders, run_reminder_sweep
from problems.reminders import REVIEW_KINDS
from tests.core.factories_reminders import problems_due_today
from tests.core.reminder_workers import (
    CLAIM_TIMEOUT_SECONDS,
    broker,
    emails_by_reminder,
    kill_worker,
    purge,
    queued_tasks,
    start_worker,
    stop_worker,
    wait_until,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.usefixtures("transactional_db")]

DUE = 1000
# The other tests are about races, not volume: fewer rows keep them quick.
SOME = 300


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "worker.log"


@pytest.fixture
def workers(mail_dir: Path, log: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    purge()
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop_worker(process)
    purge()


def sent() -> int:
    return Reminder.objects.filter(state=ReminderState.SENT).count()


def assert_each_sent_exactly_once(mail_dir: Path, count: int, *, in_flight_duplicates: int = 0) -> None:
    reminders = set(Reminder.objects.values_list("pk", flat=True))
    assert len(reminders) == count
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}
    # In-app: one notification per reminder (a one-to-one column), none without one.
    assert Notification.objects.count() == count
    assert set(Notification.objects.values_list("reminder_id", flat=True)) == reminders
    emails = emails_by_reminder(mail_dir)
    assert set(emails) == reminders, "every reminder emailed, and nothing else"
    twice = [pk for pk, n in emails.items() if n > 1]
    assert len(twice) <= in_flight_duplicates, f"emailed more than once: {twice}"


def test_a_thousand_due_reminders_are_each_sent_exactly_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path
) -> None:
    problems_due_today(DUE, today=timezone.localdate())
    workers.append(start_worker(mail_dir, log))
    run_reminder_sweep.delay("problems.reviews")

    wait_until(lambda: sent() == DUE, timeout=120, what="1,000 reminders sent", workers=workers, log=log)
    time.sleep(1)  # anything sent twice would have had time to show

    assert set(Reminder.objects.values_list("kind", flat=True)) == {REVIEW_KINDS[1]}
    assert_each_sent_exactly_once(mail_dir, DUE)


def test_killing_the_worker_mid_sweep_and_starting_another_still_sends_each_once(
    workers: list[subprocess.Popen[bytes]],
    mail_dir: Path,
    log: Path,
    settings: Any,
) -> None:
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = CLAIM_TIMEOUT_SECONDS
    problems_due_today(SOME, today=timezone.localdate())
    first = start_worker(mail_dir, log)
    workers.append(first)
    run_reminder_sweep.delay("problems.reviews")
    wait_until(lambda: sent() >= 60, timeout=120, what="the sweep to be under way", workers=workers, log=log)

    kill_worker(first)
    workers.remove(first)
    after_kill = sent()
    assert after_kill < SOME, "the worker was killed mid-sweep"

    workers.append(start_worker(mail_dir, log))
    # Beat queues whatever is still due every few minutes; here, once a claim timeout until done
    # (the dead worker's last batch stays claimed until its claim is that old). Its message stays
    # unacknowledged in Redis: the rows, not the message, carry the work on.
    deadline = time.monotonic() + 120
    while sent() < SOME and time.monotonic() < deadline:
        queue_pending_reminders.delay()
        time.sleep(CLAIM_TIMEOUT_SECONDS + 1)

    assert sent() == SOME
    time.sleep(1)
    # The one email a worker may have handed over in the instant before it was killed, before
    # marking its row sent, is the only one that can go twice (core.reminders docstring).
    assert_each_sent_exactly_once(mail_dir, SOME, in_flight_duplicates=1)


def test_two_sweeps_at_the_same_time_send_each_reminder_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path
) -> None:
    problems_due_today(SOME, today=timezone.localdate())
    workers.extend([start_worker(mail_dir, log), start_worker(mail_dir, log)])
    run_reminder_sweep.delay("problems.reviews")
    run_reminder_sweep.delay("problems.reviews")

    wait_until(lambda: sent() == SOME, timeout=120, what="every reminder sent", workers=workers, log=log)
    wait_until(
        lambda: log.read_text().count("core.tasks.run_reminder_sweep[") >= 4,  # received + succeeded, twice
        timeout=30,
        what="both sweeps to finish",
        log=log,
    )
    wait_until(lambda: queued_tasks() == 0, timeout=60, what="the queue to drain", log=log)
    time.sleep(1)
    assert_each_sent_exactly_once(mail_dir, SOME)


def test_a_rolled_back_transaction_queues_nothing(workers: list[subprocess.Popen[bytes]]) -> None:
    problems_due_today(10, today=timezone.localdate())

    def sweep_then_fail() -> None:
        with transaction.atomic():
            assert sweep_run("problems.reviews", today=timezone.localdate()) == 1
            raise RuntimeError("the caller fails after the sweep")

    with pytest.raises(RuntimeError):
        sweep_then_fail()

    assert queued_tasks() == 0
    assert not Reminder.objects.exists()

    sweep_run("problems.reviews", today=timezone.localdate())
    assert queued_tasks() == 1


def test_flushing_redis_loses_nothing_due(workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path) -> None:
    problems_due_today(SOME, today=timezone.localdate())
    assert sweep_run("problems.reviews", today=timezone.localdate()) == 1
    assert queued_tasks() == 1

    broker().flushdb()
    assert queued_tasks() == 0
    workers.append(start_worker(mail_dir, log))
    time.sleep(2)
    assert sent() == 0, "the queue was lost"
    assert Reminder.objects.filter(state=ReminderState.DUE).count() == SOME

    # The next run (beat's dispatcher, or the next sweep) rebuilds the queue from PostgreSQL.
    queue_pending_reminders.delay()
    wait_until(lambda: sent() == SOME, timeout=120, what="every reminder sent", workers=workers, log=log)
    time.sleep(1)
    assert_each_sent_exactly_once(mail_dir, SOME)
