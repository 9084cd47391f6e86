"""The engagement events and community priorities the site search finds (search/, issue 20):
those the user may see (engagement.selectors.access), best match first, with their neighbourhood."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.search import best_first, text_search
from engagement.models import CommunityPriority, EngagementEvent
from engagement.models.events import EVENT_SEARCH_PARTS
from engagement.models.priorities import PRIORITY_SEARCH_PARTS
from engagement.selectors.access import events_visible_to, priorities_visible_to

if TYPE_CHECKING:
    from accounts.models import User


def event_search_visible_to(*, user: User, query: str) -> QuerySet[EngagementEvent]:
    found = text_search(events_visible_to(user), query=query, parts=EVENT_SEARCH_PARTS)
    return found.select_related("neighbourhood").order_by(best_first(), "-held_on", "-pk")


def priority_search_visible_to(*, user: User, query: str) -> QuerySet[CommunityPriority]:
    found = text_search(priorities_visible_to(user), query=query, parts=PRIORITY_SEARCH_PARTS)
    return found.select_related("neighbourhood").order_by(best_first(), "-issue_date", "-pk")
