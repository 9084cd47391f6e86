"""The partner member's and partner lead's home page panels."""

from __future__ import annotations

from typing import Any

from accounts.models import User


def partner_member_panels(user: User) -> dict[str, Any]:
    """The partner member's panels (to be filled in)."""
    return {}


def partner_lead_panels(user: User) -> dict[str, Any]:
    """The partner lead's panels (to be filled in)."""
    return {}
