"""The engagement app's data, one module per concept."""

from __future__ import annotations

from engagement.models.events import Channel, EngagementEvent, EventKind
from engagement.models.plans import ActionStatus, Party, PlanAction, PlanContribution, PlanStatus, SafetyPlan
from engagement.models.priorities import (
    CHOSEN_AT_A_MEETING,
    PRIORITY_TRANSITIONS,
    PUBLISHED_STATUSES,
    ChosenBy,
    CommunityPriority,
    PriorityAction,
    PriorityStatus,
)

__all__ = [
    "CHOSEN_AT_A_MEETING",
    "PRIORITY_TRANSITIONS",
    "PUBLISHED_STATUSES",
    "ActionStatus",
    "Channel",
    "ChosenBy",
    "CommunityPriority",
    "EngagementEvent",
    "EventKind",
    "Party",
    "PlanAction",
    "PlanContribution",
    "PlanStatus",
    "PriorityAction",
    "PriorityStatus",
    "SafetyPlan",
]
