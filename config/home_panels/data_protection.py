"""The data protection officer's home page panels (DESIGN.md section 1: subject access, retention
reviews, the audit log and breaches). The DPO sees no operational record here: counts and links to
the data protection pages only."""

from __future__ import annotations

from typing import Any

from accounts.models import User


def data_protection_officer_panels(user: User) -> dict[str, Any]:
    return {}
