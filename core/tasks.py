"""Background work of the shared kernel. Tasks take ids (or nothing), load, and call one service."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from core.health import heartbeat_record
from core.reminders import reminders_queue_pending, reminders_send, sweep_run


@shared_task(name="core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Proves that a worker is consuming the queue; scheduled by beat and sent by /healthz."""
    heartbeat_record()


@shared_task(
    name="core.tasks.send_reminders",
    bind=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def send_reminders(self: Task, reminder_ids: list[int]) -> None:
    """Send a chunk of reminders; each is claimed first, so a chunk run twice sends nothing twice.
    The task's id is the claim token: redelivered after its worker died, it takes its claims back."""
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


@shared_task(name="core.tasks.queue_pending_reminders", ignore_result=True, expires=600)
def queue_pending_reminders() -> int:
    """Every few minutes: queue again whatever is still due (after a broker outage or flush, a
    backoff, or a worker that died holding a claim)."""
    with transaction.atomic():
        return reminders_queue_pending()
