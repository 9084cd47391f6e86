"""The areas of a before/after design (target, displacement buffer, comparison) as database
conditions on imported crime rows, and the month arithmetic of its windows.

Distances are computed in the database with the equirectangular approximation on a sphere of the
mean Earth radius: x = Δlongitude·cos(latitude of the problem), y = Δlatitude, both in degrees,
distance = √(x² + y²) x 111,195 m. Within a few kilometres of the problem (the scale of a
neighbourhood problem) the error is well under 1%, less than the scatter of police.uk's anonymised
"snap points". Rows are prefiltered by a bounding box on the indexed latitude and longitude, and
squared distances are compared, so no square root is taken per row."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.expressions import CombinedExpression

METRES_PER_DEGREE = 2 * math.pi * 6_371_008.8 / 360  # mean Earth radius (IUGG)

TARGET, BUFFER, COMPARISON = "target", "buffer", "comparison"
AREA_LABELS = {TARGET: "Target area", BUFFER: "Displacement buffer", COMPARISON: "Comparison area"}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before, if negative) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_list(first: date, count: int) -> list[date]:
    return [add_months(first, offset) for offset in range(count)]


@dataclass(frozen=True)
class AreaGeometry:
    """A design's areas. Distances in metres; LSOA code lists upper case. A ring or circle needs the
    centre; LSOA areas need none."""

    latitude: float | None
    longitude: float | None
    radius_m: int | None
    target_lsoas: tuple[str, ...]
    buffer_m: int | None
    comparison_lsoas: tuple[str, ...]
    comparison_inner_m: int | None
    comparison_outer_m: int | None

    @property
    def has_centre(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def target_by_radius(self) -> bool:
        return self.has_centre and bool(self.radius_m)

    @property
    def has_target(self) -> bool:
        return self.target_by_radius or bool(self.target_lsoas)

    @property
    def has_buffer(self) -> bool:
        return self.target_by_radius and bool(self.buffer_m)

    @property
    def comparison_by_ring(self) -> bool:
        return (
            not self.comparison_lsoas
            and self.has_centre
            and self.comparison_outer_m is not None
            and self.comparison_outer_m > (self.comparison_inner_m or 0)
        )

    @property
    def has_comparison(self) -> bool:
        return bool(self.comparison_lsoas) or self.comparison_by_ring

    @property
    def outer_m(self) -> float:
        """The furthest distance any circle or ring reaches (for the bounding box)."""
        reach = [0.0]
        if self.target_by_radius:
            reach.append(float(self.radius_m or 0) + float(self.buffer_m or 0))
        if self.comparison_by_ring:
            reach.append(float(self.comparison_outer_m or 0))
        return max(reach)

    # -- conditions ---------------------------------------------------------------------------

    def distance_squared(self) -> CombinedExpression | ExpressionWrapper:
        """Squared distance from the centre in square degrees of latitude (see the module note)."""
        assert self.latitude is not None
        assert self.longitude is not None
        k = math.cos(math.radians(self.latitude))
        dx = (F("longitude") - Value(self.longitude)) * Value(k)
        dy = F("latitude") - Value(self.latitude)
        return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())

    @staticmethod
    def _within(metres: float) -> float:
        return (metres / METRES_PER_DEGREE) ** 2

    def prefilter(self) -> Q:
        """Rows that could be in any area: a bounding box around the centre, or the listed LSOAs."""
        condition = Q(pk__in=[])
        if self.has_centre and self.outer_m:
            assert self.latitude is not None
            assert self.longitude is not None
            dlat = self.outer_m / METRES_PER_DEGREE
            dlon = dlat / max(math.cos(math.radians(self.latitude)), 0.01)
            condition |= Q(
                latitude__gte=self.latitude - dlat,
                latitude__lte=self.latitude + dlat,
                longitude__gte=self.longitude - dlon,
                longitude__lte=self.longitude + dlon,
            )
        codes = {*self.comparison_lsoas, *([] if self.target_by_radius else self.target_lsoas)}
        if codes:
            condition |= Q(lsoa_code__in=sorted(codes))
        return condition

    def target(self) -> Q:
        if self.target_by_radius:
            return Q(d2__lte=self._within(float(self.radius_m or 0)))
        return Q(lsoa_code__in=self.target_lsoas) if self.target_lsoas else Q(pk__in=[])

    def buffer(self) -> Q:
        if not self.has_buffer:
            return Q(pk__in=[])
        return Q(d2__lte=self._within(float(self.radius_m or 0) + float(self.buffer_m or 0)))

    def comparison(self) -> Q:
        if self.comparison_lsoas:
            return Q(lsoa_code__in=self.comparison_lsoas)
        if self.comparison_by_ring:
            return Q(
                d2__gt=self._within(float(self.comparison_inner_m or 0)),
                d2__lte=self._within(float(self.comparison_outer_m or 0)),
            )
        return Q(pk__in=[])
