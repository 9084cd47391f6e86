"""Authentication: a user may sign in (and stay signed in) only while both they and their
organisation are active."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from core.compiled import CompiledGet
from core.notifications import unread_count_subquery

AXES_USERNAME_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length

# The signed-in user of every request, with its organisation and its unread notification count
# (the bell in the navigation bar): every page needs all three, in one query, compiled once.
SIGNED_IN_USER = CompiledGet(
    lambda pk: (
        User.objects.select_related("organisation").annotate(unread_notifications=unread_count_subquery()).filter(pk=pk)
    )
)


class ActiveOrganisationBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return bool(user.is_active and user.organisation.active)

    def get_user(self, user_id: Any) -> User | None:
        user = SIGNED_IN_USER.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """Lockout is per account: count attempts against the normalised email address.

    Cut to the length of axes' username column: the sign-in form refuses longer addresses before
    authenticating, but any other caller of authenticate() must not turn a long name into a
    server error (no account has an address that long, so nothing is lost by cutting it)."""
    if credentials and credentials.get("username"):
        value = credentials["username"]
    else:
        value = request.POST.get("username", "") if request is not None else ""
    return str(value).strip().lower()[:AXES_USERNAME_MAX_LENGTH]
