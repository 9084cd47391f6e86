"""Engagement on the map (issue 22): the engagement events the user may see where they were held,
and each neighbourhood's open community priorities, placed at the middle of its located events
(neighbourhood boundaries are not held). The same visibility as the event and priority lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engagement.models import CommunityPriority, EngagementEvent, PriorityStatus
from engagement.selectors.lists import event_list_visible_to, priority_list_visible_to

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Neighbourhood

# The most recent located events drawn.
MAP_LIMIT = 1000
OPEN_PRIORITY_STATUSES = (PriorityStatus.PROPOSED, PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS)


@dataclass
class NeighbourhoodEngagement:
    neighbourhood: Neighbourhood
    events: list[EngagementEvent] = field(default_factory=list)
    priorities: list[CommunityPriority] = field(default_factory=list)

    @property
    def centre(self) -> tuple[float, float] | None:
        if not self.events:
            return None
        count = len(self.events)
        return (
            sum(float(event.latitude or 0) for event in self.events) / count,
            sum(float(event.longitude or 0) for event in self.events) / count,
        )


def engagement_map_for(*, user: User, neighbourhood: Neighbourhood | None = None) -> list[NeighbourhoodEngagement]:
    """Two queries: the located events (newest first) and the open priorities, both with their
    neighbourhood; grouped by neighbourhood, in name order."""
    events = event_list_visible_to(user=user, neighbourhood=neighbourhood).filter(
        latitude__isnull=False, longitude__isnull=False
    )[:MAP_LIMIT]
    priorities = priority_list_visible_to(user=user, neighbourhood=neighbourhood).filter(
        status__in=OPEN_PRIORITY_STATUSES
    )
    areas: dict[int, NeighbourhoodEngagement] = {}
    for event in events:
        areas.setdefault(event.neighbourhood_id, NeighbourhoodEngagement(event.neighbourhood)).events.append(event)
    for priority in priorities:
        area = areas.setdefault(priority.neighbourhood_id, NeighbourhoodEngagement(priority.neighbourhood))
        area.priorities.append(priority)
    return sorted(areas.values(), key=lambda area: area.neighbourhood.name)


def engagement_map_geojson(areas: list[NeighbourhoodEngagement]) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for area in areas:
        for event in area.events:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(event.longitude or 0), float(event.latitude or 0)],
                    },
                    "properties": {
                        "kind": "event",
                        "id": event.pk,
                        "label": f"{event.get_kind_display()}, {event.held_on:%d %B %Y}",
                        "place": event.place,
                        "neighbourhood": area.neighbourhood.name,
                    },
                }
            )
        centre = area.centre
        if centre is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [centre[1], centre[0]]},
                    "properties": {
                        "kind": "neighbourhood",
                        "neighbourhood": area.neighbourhood.name,
                        "events": len(area.events),
                        "priorities": [
                            {"issue": priority.issue[:200], "status": priority.get_status_display()}
                            for priority in area.priorities
                        ],
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
