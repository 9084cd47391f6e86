"""Reads of partnerships and their memberships, with the access rules of the partnerships concept.

Policy (brief, "Access policy"): police roles and administrators see every partnership; partner
users see those their organisation currently belongs to. Creating, editing and managing members is
for supervisors and administrators; stakeholder entries are for officers, supervisors and
administrators. Partner users only view.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import get_visible_or_404
from partnerships.models import Partnership, PartnershipMembership

if TYPE_CHECKING:
    from accounts.models import User

PartnershipAction = Literal["view", "change", "stakeholders"]


def current_membership_q(*, today: datetime.date | None = None, prefix: str = "") -> Q:
    """Memberships in force today: joined on or before today, and not yet left (left today counts)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}joined_on__lte": today}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": today})
    )


def membership_is_current(membership: PartnershipMembership, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return membership.joined_on <= today and (membership.left_on is None or membership.left_on >= today)


# Predicates: the one statement of each rule, used by views (through the access helpers) and templates.


def can_see_all_partnerships(user: User) -> bool:
    return user.reads_whole_partner_registry


def can_manage_partnerships(user: User) -> bool:
    """Create and edit partnerships, add and end memberships."""
    return user.is_supervisor or user.is_administrator


def can_manage_stakeholders(user: User) -> bool:
    # Officers map stakeholders as part of their problem-solving; analysts read. The role's value is
    # compared as a string because partnerships does not import accounts (DESIGN.md section 3).
    return user.role == "officer" or user.is_supervisor or user.is_administrator


def _allowed(user: User, action: PartnershipAction) -> bool:
    if action == "change":
        return can_manage_partnerships(user)
    if action == "stakeholders":
        return can_manage_stakeholders(user)
    return True


def partnership_visible_q(*, user: User, today: datetime.date | None = None) -> Q | None:
    """The filter on Partnership for what `user` may see; None means everything."""
    if can_see_all_partnerships(user):
        return None
    if user.is_partner:
        current = PartnershipMembership.objects.filter(
            current_membership_q(today=today), partnership=OuterRef("pk"), organisation_id=user.organisation_id
        )
        return Q(Exists(current))
    return Q(pk__in=[])


def partnership_visible(*, user: User) -> QuerySet[Partnership]:
    """Partnerships `user` may see, without list decorations (for access helpers)."""
    visible = partnership_visible_q(user=user)
    partnerships = Partnership.objects.all()
    return partnerships if visible is None else partnerships.filter(visible)


def partnership_list_visible_to(*, user: User, today: datetime.date | None = None) -> QuerySet[Partnership]:
    """The partnership list: each row with its current members (prefetched, as `current_memberships`)
    and the number of stakeholders on its map. Two queries whatever the number of rows."""
    today = today or timezone.localdate()
    current_members = (
        PartnershipMembership.objects.filter(current_membership_q(today=today))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return (
        partnership_visible(user=user)
        .annotate(stakeholder_count=Count("stakeholders", distinct=True))
        .prefetch_related(Prefetch("memberships", queryset=current_members, to_attr="current_memberships"))
        .order_by("-active", "name")
    )


def partnership_get_for_user(*, user: User, pk: object, action: PartnershipAction = "view") -> Partnership:
    """One partnership: Http404 if `user` may not see it, PermissionDenied if they may see it but not
    do `action` ("view", "change" for the partnership and its members, "stakeholders" for its map)."""
    partnership = get_visible_or_404(partnership_visible(user=user), pk=pk)
    if not _allowed(user, action):
        raise PermissionDenied
    return partnership


def partnership_memberships(*, partnership: Partnership) -> list[PartnershipMembership]:
    """Every membership of the partnership, past, current and future, members by name."""
    return list(partnership.memberships.select_related("organisation").order_by("organisation__name", "-joined_on"))


def membership_get_for_user(*, user: User, pk: object) -> PartnershipMembership:
    """A membership, for ending it: 404 unless its partnership is visible, 403 unless a manager."""
    visible = PartnershipMembership.objects.select_related("partnership", "organisation")
    scope = partnership_visible_q(user=user)
    if scope is not None:
        visible = visible.filter(partnership__in=Partnership.objects.filter(scope))
    membership = get_visible_or_404(visible, pk=pk)
    if not can_manage_partnerships(user):
        raise PermissionDenied
    return membership
