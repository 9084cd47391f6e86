"""The engagement lists and detail pages: what the user may see, each row with what its page shows
fetched in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from engagement.models import CommunityPriority, EngagementEvent, PriorityAction, SafetyPlan
from engagement.selectors.access import events_visible_to, plans_visible_to, priorities_visible_to
from partnerships.models import Neighbourhood
from problems.models import Problem
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User


def event_list_visible_to(*, user: User, neighbourhood: Neighbourhood | None = None) -> QuerySet[EngagementEvent]:
    """Events the user may see, newest first, with their neighbourhood and the number of
    seldom-heard groups represented (one query)."""
    events = (
        events_visible_to(user)
        .select_related("neighbourhood")
        .annotate(group_count=Count("groups_represented", distinct=True))
    )
    if neighbourhood is not None:
        events = events.filter(neighbourhood=neighbourhood)
    return events.order_by("-held_on", "-start_time", "-pk")


def event_detail_queryset() -> QuerySet[EngagementEvent]:
    """An event with everything its page lists (one query each for the related lists)."""
    return EngagementEvent.objects.select_related("neighbourhood", "created_by").prefetch_related(
        "organisations_present", "groups_represented", "priorities"
    )


def priority_list_visible_to(
    *, user: User, neighbourhood: Neighbourhood | None = None, status: str = ""
) -> QuerySet[CommunityPriority]:
    """Priorities the user may see, newest first, with their neighbourhood and counts of actions
    and linked problems (one query)."""
    priorities = (
        priorities_visible_to(user)
        .select_related("neighbourhood")
        .annotate(action_count=Count("actions", distinct=True), problem_count=Count("problems", distinct=True))
    )
    if neighbourhood is not None:
        priorities = priorities.filter(neighbourhood=neighbourhood)
    if status:
        priorities = priorities.filter(status=status)
    return priorities.order_by("-issue_date", "-pk")


def priority_detail_queryset() -> QuerySet[CommunityPriority]:
    return CommunityPriority.objects.select_related(
        "neighbourhood", "event__neighbourhood", "created_by", "survey"
    ).prefetch_related("actions")


def plan_list_visible_to(*, user: User, neighbourhood: Neighbourhood | None = None) -> QuerySet[SafetyPlan]:
    """Safety plans the user may see, with counts of contributions and actions (one query)."""
    plans = (
        plans_visible_to(user)
        .select_related("neighbourhood")
        .annotate(
            contribution_count=Count("contributions", distinct=True), action_count=Count("actions", distinct=True)
        )
    )
    if neighbourhood is not None:
        plans = plans.filter(neighbourhood=neighbourhood)
    return plans.order_by("-updated_at", "-pk")


def plan_detail_queryset() -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.select_related("neighbourhood").prefetch_related(
        "contributions__organisation", "contributions__event", "actions__organisation"
    )


def published_priorities_for(*, neighbourhood: Neighbourhood) -> QuerySet[CommunityPriority]:
    """The neighbourhood's priorities on its public "You said, we did" page: those adopted at some
    point (PUBLISHED_STATUSES), with their actions newest first (two queries). Only the issue, the
    dates, the status and the actions' text and dates are shown: nothing personal."""
    from engagement.models import PUBLISHED_STATUSES

    return (
        CommunityPriority.objects.filter(neighbourhood=neighbourhood, status__in=PUBLISHED_STATUSES)
        .only("pk", "issue", "issue_date", "status", "adopted_on", "neighbourhood_id")
        .prefetch_related(
            Prefetch("actions", queryset=PriorityAction.objects.only("priority_id", "description", "taken_on"))
        )
        .order_by("-issue_date", "-pk")
    )


def neighbourhood_choices_for(user: User) -> QuerySet[Neighbourhood]:
    """Neighbourhoods offered in the lists' filters: those the user may see."""
    from engagement.selectors.access import neighbourhoods_visible_to

    return neighbourhoods_visible_to(user).filter(active=True).order_by("name")


def problems_linked_for(
    *, user: User, event: EngagementEvent | None = None, priority: CommunityPriority | None = None
) -> QuerySet[Problem]:
    """The problems linked to an event or a priority that the user may see: a partner who sees a
    neighbourhood's engagement does not see its problems unless they are shared (one query)."""
    problems = problems_visible_to(user)
    if event is not None:
        problems = problems.filter(engagement_events=event)
    if priority is not None:
        problems = problems.filter(community_priorities=priority)
    return problems.order_by("reference")
