"""The administrator's home page panels: organisations and users, the reference lists with their
sizes, and the reminder emails that could not be sent. Counts and links to the admin site only:
administrators see nothing operational (DESIGN.md section 1), so no problem, event or reminder
content is shown here."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from config.reference_data import administration_summary

# "Reminders not delivered" looks back this many days (as the supervisor's panel does).
FAILED_REMINDERS_DAYS = 30


def administrator_panels(user: User) -> dict[str, Any]:
    """Every panel from one query of counts, whatever the number of lists and rows."""
    since = timezone.now() - datetime.timedelta(days=FAILED_REMINDERS_DAYS)
    return {"summary": administration_summary(failed_since=since), "failed_reminders_days": FAILED_REMINDERS_DAYS}
