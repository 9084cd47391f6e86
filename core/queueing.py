"""Queueing a background task once the current transaction commits, without letting a broker that
is down break the request that asked for it.

Celery raises when it cannot reach the broker; raised from an on-commit callback, that error
would reach the user as a server error after their work was saved, and leave a run waiting for a
task that was never sent. Here the error is logged and `on_unavailable` runs instead, so the
service can mark its run failed with a message the user can act on. (Reminders have their own
way, core.reminders: they stay due and are queued again later.)"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = (
    "The background queue could not be reached, so this was not started. Try again in a few minutes; "
    "if it happens again, tell your system administrator."
)


def queue_after_commit(task: Any, *args: Any, on_unavailable: Callable[[], object]) -> None:
    def send() -> None:
        try:
            task.apply_async(args=args, retry=False)
        except (KombuError, OSError):
            logger.warning("Could not queue %s%r: the broker is unavailable", task.name, args, exc_info=True)
            on_unavailable()

    transaction.on_commit(send)
