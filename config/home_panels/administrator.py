"""The administrator's home page panels."""

from __future__ import annotations

from typing import Any

from accounts.models import User


def administrator_panels(user: User) -> dict[str, Any]:
    """The administrator's panels (to be filled in)."""
    return {}
