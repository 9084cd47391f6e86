"""Where the seldom-heard coverage grid gets its facts: a registry of "reach sources".

A reach source answers one question for a set of neighbourhoods and a period: which seldom-heard
groups did this kind of activity reach, in which neighbourhood? Engagement events are one source
(registered by this app); survey responses, which live in the later `evaluation` app, are another.
The registry keeps the dependency direction of DESIGN.md section 3: `engagement` knows nothing of
`evaluation`; evaluation registers its source from its AppConfig.ready().

A source returns DISTINCT (neighbourhood_id, seldom_heard_group_id) pairs, computed in the database
(a values_list queryset, say), so that the grid costs one query per source whatever the number of
events or responses."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

ReachSource = Callable[[Sequence[int], datetime.date, datetime.date], Iterable[tuple[int, int]]]

_SOURCES: dict[str, ReachSource] = {}


def register_reach_source(name: str, source: ReachSource) -> None:
    """Add (or replace: registering twice under one name is harmless) the source called `name`.
    `source(neighbourhood_ids, start, end)` gives the pairs reached from `start` to `end` inclusive."""
    _SOURCES[name] = source


def unregister_reach_source(name: str) -> None:
    """Remove a source (tests that register one of their own take it out again)."""
    _SOURCES.pop(name, None)


def reach_sources() -> dict[str, ReachSource]:
    """The registered sources by name, in the order they were registered."""
    return dict(_SOURCES)


def engagement_reach(
    neighbourhood_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> Iterable[tuple[int, int]]:
    """Groups represented at engagement events held in the period."""
    from engagement.models import EngagementEvent

    through = EngagementEvent.groups_represented.through
    return (
        through.objects.filter(
            engagementevent__neighbourhood_id__in=list(neighbourhood_ids),
            engagementevent__held_on__gte=start,
            engagementevent__held_on__lte=end,
        )
        .values_list("engagementevent__neighbourhood_id", "seldomheardgroup_id")
        .distinct()
    )
