"""What the home page panels share: taking a panel's first rows, and the reminders that could not
be sent (shown to supervisors by name and to administrators as a count)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.models import Reminder, ReminderState

# "Reminders not delivered" looks back this many days.
FAILED_REMINDERS_DAYS = 30


def first_rows(rows: Any, size: int) -> tuple[list[Any], bool]:
    """A panel's first `size` rows and whether there are more, from one query of size + 1 rows."""
    fetched = list(rows[: size + 1])
    return fetched[:size], len(fetched) > size


def failed_reminders_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=FAILED_REMINDERS_DAYS)


def failed_reminders_for_organisation(organisation_id: int) -> QuerySet[Reminder]:
    """Reminders to the users of an organisation that gave up (state failed) in the last
    FAILED_REMINDERS_DAYS, newest first, with their recipients: the supervisor's panel, so that a
    team knows when emails stop going out (the details, in the admin, are for administrators)."""
    return (
        Reminder.objects.filter(state=ReminderState.FAILED, recipient__organisation_id=organisation_id)
        .filter(created_at__gte=failed_reminders_since())
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
