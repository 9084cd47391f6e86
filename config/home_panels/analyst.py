"""The analyst's home page panels."""

from __future__ import annotations

from typing import Any

from accounts.models import User


def analyst_panels(user: User) -> dict[str, Any]:
    """The analyst's panels (to be filled in)."""
    return {}
