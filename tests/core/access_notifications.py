"""Access matrix entries for notifications and notification settings. Joined into
tests/access_matrix.py.

Every signed-in user has their own notifications page and settings. A notification belongs to one
user (the officer persona here): anyone else marking it read gets 404, never 403."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page


def _officer_notification(world: Any) -> dict[str, Any]:
    from core.models import Notification

    notification = Notification.objects.create(
        recipient=world.users["officer"], kind="problems.review_due_today", title="Review due today", link="/"
    )
    return {"pk": notification.pk}


ENTRIES: list[Entry] = [
    Entry("notification-list", signed_in_page()),
    Entry(
        "notification-read",
        signed_in_page(**{**dict.fromkeys(ROLES, 404), "officer": REDIRECT}),
        kwargs=_officer_notification,
        method="post",
    ),
    Entry("notification-read-all", signed_in_page(**dict.fromkeys(ROLES, REDIRECT)), method="post"),
    Entry("notification-settings", signed_in_page()),
]
