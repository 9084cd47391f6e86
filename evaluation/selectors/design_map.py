"""A before/after design drawn on a map before it is run (issue 22): the target area, displacement
buffer and comparison area (a ring, or the crime points of the chosen LSOAs: no LSOA boundaries are
held), with the crime points in the design's window coloured by before and after. The same areas
and rule as the counts (evaluation.selectors.before_after.area_counts_queryset): each row counts in
one area, target first, then buffer, then comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Value, When

from evaluation.models import CrimeRecord, EvaluationDesign
from evaluation.selectors.areas import AREA_LABELS, BUFFER, COMPARISON, TARGET, add_months, month_start
from evaluation.selectors.before_after import _describe, geometry_for

# The most distinct points drawn (each a snap point with its counts): a neighbourhood's two years.
POINT_LIMIT = 5000
BEFORE, AFTER = "before", "after"


@dataclass
class DesignMap:
    geojson: dict[str, Any]
    # Per area, (label, description, before, after), for the table beside the map.
    rows: list[tuple[str, str, int, int]] = field(default_factory=list)
    first_month: Any = None
    last_month: Any = None


def design_map_for(*, problem: Any, design: EvaluationDesign | None) -> DesignMap | None:
    """One query: the crime points of the window in each area, grouped by place, area and period.
    None when the design has no start or no target area."""
    if design is None:
        return None
    geometry = geometry_for(problem, design)
    if not geometry.has_target:
        return None
    start = month_start(design.response_start)
    first, end = add_months(start, -design.months_before), add_months(start, design.months_after)
    period = Case(When(month__lt=start, then=Value(BEFORE)), default=Value(AFTER), output_field=CharField())
    rows = CrimeRecord.objects.filter(geometry.prefilter(), month__gte=first, month__lt=end, latitude__isnull=False)
    if design.crime_types:
        rows = rows.filter(crime_type__in=design.crime_types)
    if geometry.has_centre:
        rows = rows.annotate(d2=geometry.distance_squared())
    area = Case(
        When(geometry.target(), then=Value(TARGET)),
        When(geometry.buffer(), then=Value(BUFFER)),
        When(geometry.comparison(), then=Value(COMPARISON)),
        default=None,
        output_field=CharField(),
    )
    points = (
        rows.annotate(area=area, period=period)
        .exclude(area=None)
        .values("area", "period", "latitude", "longitude")
        .annotate(n=Count("*"))
        .order_by("-n", "latitude", "longitude")[:POINT_LIMIT]
    )
    features: list[dict[str, Any]] = []
    totals = {name: {BEFORE: 0, AFTER: 0} for name in AREA_LABELS}
    for point in points:
        totals[point["area"]][point["period"]] += point["n"]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point["longitude"], point["latitude"]]},
                "properties": {"kind": "crime", "area": point["area"], "period": point["period"], "count": point["n"]},
            }
        )
    if geometry.has_centre:
        centre = [geometry.longitude, geometry.latitude]
        circles: list[tuple[str, int, int]] = []
        if geometry.target_by_radius:
            circles.append((TARGET, 0, geometry.radius_m or 0))
        if geometry.has_buffer:
            circles.append((BUFFER, geometry.radius_m or 0, (geometry.radius_m or 0) + (geometry.buffer_m or 0)))
        if geometry.comparison_by_ring:
            circles.append((COMPARISON, geometry.comparison_inner_m or 0, geometry.comparison_outer_m or 0))
        features[:0] = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": centre},
                "properties": {
                    "kind": "area",
                    "area": name,
                    "label": AREA_LABELS[name],
                    "inner_m": inner,
                    "outer_m": outer,
                },
            }
            for name, inner, outer in circles
        ]
    target, comparison, buffer = _describe(geometry)
    descriptions = {TARGET: target, BUFFER: buffer, COMPARISON: comparison}
    table = [(AREA_LABELS[name], descriptions[name], totals[name][BEFORE], totals[name][AFTER]) for name in AREA_LABELS]
    return DesignMap(
        geojson={"type": "FeatureCollection", "features": features},
        rows=table,
        first_month=first,
        last_month=add_months(end, -1),
    )
