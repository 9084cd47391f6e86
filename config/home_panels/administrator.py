"""The administrator's home page panels: organisations and users, the reference lists with their
sizes, and the reminder emails that could not be sent. Counts and links to the admin site only:
administrators see nothing operational (DESIGN.md section 1), so no problem, event or reminder
content is shown here."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from config.home_panels.common import FAILED_REMINDERS_DAYS, failed_reminders_since
from config.reference_data import administration_summary


def administrator_panels(user: User) -> dict[str, Any]:
    """Every panel from one query of counts, whatever the number of lists and rows."""
    return {
        "summary": administration_summary(failed_since=failed_reminders_since()),
        "failed_reminders_days": FAILED_REMINDERS_DAYS,
    }
