"""The data protection officer's home page panels (DESIGN.md section 1: subject access, retention
reviews, the audit log and breaches). The DPO sees no operational record here: counts and links to
the data protection pages only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from config.home_panels.common import first_rows
from dataprotection.selectors.breaches import breach_list_awaiting_decision
from problems.selectors.retention import retention_due_count_for

BREACHES_PANEL_SIZE = 10


def breach_panel(user: User) -> dict[str, Any]:
    """ "Breaches to report": open breaches of the force with their 72-hour deadlines, soonest
    first (one query)."""
    breaches, more = first_rows(breach_list_awaiting_decision(user=user), BREACHES_PANEL_SIZE)
    return {"breaches_awaiting": breaches, "more_breaches_awaiting": more, "now": timezone.now()}


def retention_panel(user: User) -> dict[str, Any]:
    """ "Retention reviews due": how many of the force's closed problems are due (one query)."""
    return {"retention_due_count": retention_due_count_for(user=user)}


def data_protection_officer_panels(user: User) -> dict[str, Any]:
    return {**breach_panel(user), **retention_panel(user)}
