"""In-app notifications: reads and the one write (marking read). Notifications are made by
core.reminders, together with the reminder email they mirror."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.audit import audit_record
from core.models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def unread_count_subquery(outer: str = "pk") -> Coalesce:
    """The number of unread notifications of the user at `outer`, for annotating a user query
    (so that the navigation bar costs no query of its own)."""
    counted = (
        Notification.objects.filter(recipient=OuterRef(outer), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_count(user: Any) -> int:
    loaded = getattr(user, "unread_notifications", None)
    if loaded is not None:
        return int(loaded)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (unread ones are marked as such on the page).
    Nobody sees anyone else's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for_user(*, user: User, pk: object) -> Notification:
    """The user's own notification; anyone else's is 404 (never 403)."""
    try:
        return Notification.objects.get(recipient=user, pk=int(str(pk)))
    except (Notification.DoesNotExist, ValueError) as error:
        raise Http404("No such notification.") from error


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (idempotent)."""
    if notification.recipient_id != actor.pk:
        raise Http404("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, verb="core.notification.read", target=notification)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read. Returns how many."""
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, verb="core.notification.read_all", target=actor, detail={"count": count})
    return count
