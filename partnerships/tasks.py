"""Background work of the partnerships app. Tasks load, call one service, and retry with backoff."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from partnerships.services.agreements import agreements_expire_lapsed


@shared_task(
    name="partnerships.tasks.expire_lapsed_agreements",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def expire_lapsed_agreements() -> int:
    """Daily: agreements past their expiry date become expired (idempotent: a second run finds none)."""
    return agreements_expire_lapsed(on_date=timezone.localdate())
