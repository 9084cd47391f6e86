"""The data protection officer's home page panels (DESIGN.md section 1: subject access, retention
reviews, the audit log and breaches). The DPO sees no operational record here: counts and links to
the data protection pages only."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from problems.selectors.retention import retention_due_count_for


def retention_panel(user: User) -> dict[str, Any]:
    """ "Retention reviews due": how many of the force's closed problems are due (one query)."""
    return {"retention_due_count": retention_due_count_for(user=user)}


def data_protection_officer_panels(user: User) -> dict[str, Any]:
    return {**retention_panel(user)}
