"""Authentication: a user may sign in (and stay signed in) only while both they and their
organisation are active."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from core.notifications import unread_count_subquery


class ActiveOrganisationBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return bool(user.is_active and user.organisation.active)

    def get_user(self, user_id: Any) -> User | None:
        # Loaded with its organisation and its unread notification count (the bell in the
        # navigation bar): every page needs all three, in one query.
        user = (
            User.objects.select_related("organisation")
            .annotate(unread_notifications=unread_count_subquery())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """Lockout is per account: count attempts against the normalised email address."""
    if credentials and credentials.get("username"):
        value = credentials["username"]
    else:
        value = request.POST.get("username", "") if request is not None else ""
    return str(value).strip().lower()
