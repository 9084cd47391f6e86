"""The unread count under the bell in the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """No query for anonymous visitors; for a signed-in user, the count the authentication backend
    already loaded with the user (accounts.backends), else one COUNT on the (recipient, read_at)
    index."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
