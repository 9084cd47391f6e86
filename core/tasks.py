"""Background work of the shared kernel. Tasks take ids (or nothing), load, and call one service."""

from __future__ import annotations

from celery import shared_task

from core.health import heartbeat_record


@shared_task(name="core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Proves that a worker is consuming the queue; scheduled by beat and sent by /healthz."""
    heartbeat_record()
