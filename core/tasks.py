"""Background work of the shared kernel. Tasks take ids (or nothing), load, and call one service."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from core.health import heartbeat_record
from core.reminders import reminders_queue_pending, reminders_send, sweep_run, sweeps_run_due


@shared_task(name="core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Proves that a worker is consuming the queue; scheduled by beat and sent by /healthz."""
    heartbeat_record()


@shared_task(
    name="core.tasks.send_reminders",
    bind=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_reminders(self: Task, reminder_ids: list[int]) -> None:
    """Send a chunk of reminders; each is claimed first, so a chunk run twice sends nothing twice.
    The task's id is the claim token, as it is in the rows' claim_token."""
    reminders_send(reminder_ids=reminder_ids, token=self.request.id or None)


@shared_task(
    name="core.tasks.run_reminder_sweep",
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_reminder_sweep(name: str) -> int:
    """Run one registered sweep (scheduled by beat); returns how many send tasks it queued."""
    return sweep_run(name, today=timezone.localdate())


@shared_task(name="core.tasks.run_due_reminder_sweeps", ignore_result=True, expires=240)
def run_due_reminder_sweeps() -> int:
    """Every 5 minutes (and when a worker starts): run each scheduled sweep whose time has come and
    which has not yet run for that day. Returns how many it ran."""
    return len(sweeps_run_due())


@shared_task(name="core.tasks.queue_pending_reminders", ignore_result=True, expires=600)
def queue_pending_reminders() -> int:
    """Every few minutes: queue again whatever is still due (after a broker outage or flush, a
    backoff, or a worker that died holding a claim)."""
    with transaction.atomic():
        return reminders_queue_pending()


@worker_ready.connect
def catch_up_when_a_worker_starts(sender: Any = None, **kwargs: Any) -> None:
    """A worker starting (after a crash, a deploy, or Redis coming back) makes up the sweeps and
    sends at once what is still due, rather than waiting for beat's next tick."""
    for task in (run_due_reminder_sweeps, queue_pending_reminders):
        try:
            task.apply_async(retry=False)
        except Exception:  # the broker is away again: beat's ticks will do it
            logging.getLogger(__name__).warning("Could not queue %s at worker start", task.name, exc_info=True)
