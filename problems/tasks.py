"""Background work of the problems app. Tasks load, call one service, and retry with backoff."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from problems.services.sharing import shares_suspend_lapsed


@shared_task(
    name="problems.tasks.suspend_lapsed_shares",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def suspend_lapsed_shares() -> int:
    """Daily: shares whose agreement is no longer in force are suspended (idempotent)."""
    return shares_suspend_lapsed(on_date=timezone.localdate())
