"""Exactly once, with real Celery workers against the local Redis (issue 6, "Done when"; issue 19,
"Exactly once, whatever the sending speed").

Each test commits real rows (transactional_db), starts `celery worker` subprocesses on the test
database, and counts what was sent three ways: reminder rows marked sent, in-app notifications
(one per reminder, a database constraint) and the email files the workers wrote (each carries its
reminder's id in a header). Slowness and failure are made on purpose, not hoped for: the workers'
mail backend (tests/core/slow_mail_backend.py) takes longer per message than the claim timeout,
or holds one message until the test has killed its worker or cut its database connection. Every
wait is on a condition (`wait_until`), so the tests pass on a busy machine (`make drills` runs them
with every core busy)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.models import Notification, Reminder, ReminderState
from core.reminders import reminders_queue_pending, sweep_run
from core.tasks import run_reminder_sweep
from problems.reminders import REVIEW_KINDS
from tests.core.factories_reminders import problems_due_today
from tests.core.reminder_workers import (
    broker,
    emails_by_reminder,
    held_reminder,
    kill_worker,
    purge,
    queued_tasks,
    release_held,
    settled,
    start_worker,
    stop_worker,
    wait_until,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.usefixtures("transactional_db")]

DUE = 1000
# The other tests are about races, not volume: fewer rows keep them quick.
SOME = 300
# The slow mail server: each message takes longer than a claim lives.
SLOW_CLAIM_TIMEOUT = 1
SLOW_DELAY = 1.5
FEW = 12


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def control_dir(tmp_path: Path) -> Path:
    path = tmp_path / "control"
    path.mkdir()
    return path


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


def assert_each_sent_exactly_once(mail_dir: Path, count: int) -> None:
    reminders = set(Reminder.objects.values_list("pk", flat=True))
    assert len(reminders) == count
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}
    # In-app: one notification per reminder (a one-to-one column), none without one.
    assert Notification.objects.count() == count
    assert set(Notification.objects.values_list("reminder_id", flat=True)) == reminders
    emails = emails_by_reminder(mail_dir)
    assert set(emails) == reminders, "every reminder emailed, and nothing else"
    twice = [pk for pk, n in emails.items() if n > 1]
    assert twice == [], f"emailed more than once: {twice}"


def test_a_thousand_due_reminders_are_each_sent_exactly_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path
) -> None:
    problems_due_today(DUE, today=timezone.localdate())
    workers.append(start_worker(mail_dir, log))
    run_reminder_sweep.delay("problems.reviews")

    wait_until(settled(DUE), timeout=300, what="1,000 reminders sent", workers=workers, log=log)

    assert set(Reminder.objects.values_list("kind", flat=True)) == {REVIEW_KINDS[1]}
    assert_each_sent_exactly_once(mail_dir, DUE)


def test_a_mail_server_slower_than_the_claim_timeout_sends_each_reminder_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path, settings: Any
) -> None:
    """Every message takes longer than a claim lives, two workers race for the same rows, and the
    dispatcher queues the "abandoned" claims again every second: none is taken over while its
    sender is sending it."""
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = SLOW_CLAIM_TIMEOUT
    problems_due_today(FEW, today=timezone.localdate())
    for _ in range(2):
        workers.append(start_worker(mail_dir, log, claim_timeout=SLOW_CLAIM_TIMEOUT, mail_delay=SLOW_DELAY))
    run_reminder_sweep.delay("problems.reviews")
    run_reminder_sweep.delay("problems.reviews")

    def dispatch() -> None:
        with transaction.atomic():
            reminders_queue_pending()

    wait_until(
        settled(FEW), timeout=300, what="every reminder sent", workers=workers, log=log, meanwhile=dispatch, every=0.5
    )

    assert_each_sent_exactly_once(mail_dir, FEW)


def test_killing_a_worker_mid_batch_flushing_redis_and_starting_another_sends_each_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, control_dir: Path, log: Path, settings: Any
) -> None:
    """The issue's drill in one: a slow mail server, two workers, one killed while an email is
    being sent, Redis flushed (the dead worker's message and the queue with it), a worker started
    again. Zero duplicates, zero lost."""
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = SLOW_CLAIM_TIMEOUT
    problems_due_today(FEW, today=timezone.localdate())
    doomed = start_worker(
        mail_dir, log, claim_timeout=SLOW_CLAIM_TIMEOUT, mail_delay=SLOW_DELAY, hold_at=3, control_dir=control_dir
    )
    workers.append(doomed)
    run_reminder_sweep.delay("problems.reviews")

    wait_until(
        lambda: held_reminder(control_dir, doomed) is not None,
        timeout=300,
        what="the doomed worker to be sending its third email",
        workers=workers,
        log=log,
    )
    in_flight = held_reminder(control_dir, doomed)
    # The second worker starts only now, so that the sweep's one send task is the doomed worker's
    # whichever worker is quicker to fetch (started together, either could take it); it is given
    # the pending reminders at once, and must not take the one whose sender holds its lock.
    workers.append(start_worker(mail_dir, log, claim_timeout=SLOW_CLAIM_TIMEOUT, mail_delay=SLOW_DELAY))
    with transaction.atomic():
        reminders_queue_pending()
    assert Reminder.objects.get(pk=in_flight).state == ReminderState.CLAIMED
    kill_worker(doomed)
    workers.remove(doomed)
    broker().flushdb()
    assert Reminder.objects.get(pk=in_flight).state == ReminderState.CLAIMED
    assert sent() < FEW, "the worker was killed mid-batch"

    # A worker starting queues what is still due at once (core.tasks: catch_up_when_a_worker_starts);
    # the killed worker's claim is queued again by the dispatcher once it is a claim timeout old.
    workers.append(start_worker(mail_dir, log, claim_timeout=SLOW_CLAIM_TIMEOUT))

    def dispatch() -> None:
        with transaction.atomic():
            reminders_queue_pending()

    wait_until(settled(FEW), timeout=300, what="every reminder sent", workers=workers, log=log, meanwhile=dispatch)

    assert_each_sent_exactly_once(mail_dir, FEW)
    assert emails_by_reminder(mail_dir)[in_flight] == 1


def test_a_database_connection_lost_mid_send_does_not_send_that_email_again(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, control_dir: Path, log: Path
) -> None:
    """The worker's connection is cut while the mail server has an email: the email goes, the
    worker records it on a new connection, and sends it no second time."""
    problems_due_today(5, today=timezone.localdate())
    worker = start_worker(mail_dir, log, hold_at=2, control_dir=control_dir)
    workers.append(worker)
    run_reminder_sweep.delay("problems.reviews")
    wait_until(lambda: held_reminder(control_dir, worker) is not None, timeout=300, what="an email held", log=log)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    release_held(control_dir, worker)

    wait_until(settled(5), timeout=300, what="every reminder sent", workers=workers, log=log)
    assert_each_sent_exactly_once(mail_dir, 5)
    assert "recording it failed, trying again" in log.read_text()


def test_two_sweeps_at_the_same_time_send_each_reminder_once(
    workers: list[subprocess.Popen[bytes]], mail_dir: Path, log: Path
) -> None:
    problems_due_today(SOME, today=timezone.localdate())
    workers.extend([start_worker(mail_dir, log), start_worker(mail_dir, log)])
    run_reminder_sweep.delay("problems.reviews")
    run_reminder_sweep.delay("problems.reviews")

    wait_until(settled(SOME), timeout=300, what="every reminder sent", workers=workers, log=log)
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
    assert Reminder.objects.filter(state=ReminderState.DUE).count() == SOME

    # The queue is rebuilt from PostgreSQL: by a worker as it starts, and by beat's dispatcher.
    workers.append(start_worker(mail_dir, log))
    wait_until(settled(SOME), timeout=300, what="every reminder sent", workers=workers, log=log)
    assert_each_sent_exactly_once(mail_dir, SOME)
