"""The officer's home page "Engagement" panel: the events they recorded, and the adopted community
priorities of the neighbourhoods where they work that nothing has yet been done about. Each read is
built on the engagement access selectors, so it never shows what the officer may not see."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from engagement.models import CommunityPriority, EngagementEvent, PriorityAction, PriorityStatus
from engagement.selectors.access import events_visible_to, priorities_visible_to
from partnerships.models import SeldomHeardGroup
from problems.selectors.access import problems_visible_to
from problems.selectors.problems import OPEN_STAGES

if TYPE_CHECKING:
    from accounts.models import User

# Only these statuses can have an action recorded (engagement.services.priorities refuses one on a
# proposed priority), and a resolved one is finished: an adopted priority with no action yet is a
# published "You said" with no "we did" beside it.
AWAITING_ACTION_STATUSES: tuple[str, ...] = (PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS)
# An officer "works" where they recorded engagement this long ago or less (the same twelve months
# as the seldom-heard coverage), so a neighbourhood they left years ago drops out.
WORKED_WITHIN_DAYS = 365


def event_list_recorded_by(*, user: User) -> QuerySet[EngagementEvent]:
    """The events `user` recorded (as far as they may still see them), most recent first, each with
    its neighbourhood and the seldom-heard groups represented. Two queries, whatever the number of
    events: the events, then their groups (skipped when there are no events)."""
    return (
        events_visible_to(user)
        .filter(created_by_id=user.pk)
        .select_related("neighbourhood")
        .prefetch_related(Prefetch("groups_represented", queryset=SeldomHeardGroup.objects.only("pk", "name")))
        .order_by("-held_on", "-start_time", "-pk")
    )


def priority_list_awaiting_action_for(*, user: User, today: datetime.date | None = None) -> QuerySet[CommunityPriority]:
    """Adopted priorities (or in progress) with no action recorded, in the neighbourhoods where
    `user` works: those named by an open problem they own, or where they recorded an event in the
    last WORKED_WITHIN_DAYS days. Longest waiting first, each with its neighbourhood. One query.

    A problem opened from a priority is in the priority's neighbourhood."""
    today = today or timezone.localdate()
    owns_problem_there = Exists(
        problems_visible_to(user).filter(
            owner_id=user.pk, stage__in=OPEN_STAGES, neighbourhood_id=OuterRef("neighbourhood_id")
        )
    )
    recorded_event_there = Exists(
        events_visible_to(user).filter(
            created_by_id=user.pk,
            neighbourhood_id=OuterRef("neighbourhood_id"),
            held_on__gte=today - datetime.timedelta(days=WORKED_WITHIN_DAYS),
        )
    )
    has_action = Exists(PriorityAction.objects.filter(priority_id=OuterRef("pk")))
    return (
        priorities_visible_to(user)
        .filter(Q(owns_problem_there) | Q(recorded_event_there), ~has_action, status__in=AWAITING_ACTION_STATUSES)
        .select_related("neighbourhood")
        .order_by("issue_date", "pk")
    )
