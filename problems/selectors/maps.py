"""The problem list as a map: the same selector, filters and access policy as the list
(problems.selectors.problems.problem_list_visible_to), keeping the problems that have a location,
as GeoJSON for the map and as rows for its table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from problems.selectors.problems import problem_list_visible_to

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem

# The most problems drawn at once: a force's open problems are a few hundred; past this the map
# asks for a narrower filter (its table says how many were left off).
MAP_LIMIT = 2000


@dataclass(frozen=True)
class ProblemMap:
    problems: list[Problem]
    # Problems that match the filters but have no location (or more than MAP_LIMIT): not drawn.
    not_drawn: int


def problem_map_for(*, user: User, **filters: Any) -> ProblemMap:
    """Two queries: the located problems (with the list's relations) and the count of the rest."""
    matching = problem_list_visible_to(user=user, **filters)
    located = list(matching.filter(latitude__isnull=False, longitude__isnull=False)[:MAP_LIMIT])
    total = matching.order_by().count()
    return ProblemMap(problems=located, not_drawn=total - len(located))


def problem_map_geojson(problems: list[Problem]) -> dict[str, Any]:
    """A FeatureCollection with one point per problem: what the list shows of it (a disposed
    problem is named by its disposed label; its location was erased with it)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(problem.longitude), float(problem.latitude)]},
            "properties": {
                "id": problem.pk,
                "reference": problem.reference,
                "title": problem.disposed_label or problem.title,
                "stage": problem.stage,
                "stage_label": problem.get_stage_display(),
                "category": problem.category.name,
            },
        }
        for problem in problems
        if problem.latitude is not None and problem.longitude is not None
    ]
    return {"type": "FeatureCollection", "features": features}
