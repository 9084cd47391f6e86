"""Before/after for a problem: counts of the chosen crime types, month by month, in the target area,
the displacement buffer and the comparison area, for N months before and after the response began.

Definitions (each hand-computed in tests/evaluation/test_before_after.py):
- The response month counts as "after": before = [start - N months, start), after = [start, start + M).
- Change in an area = after - before; percent change = (after - before) / before x 100.
- Relative effect size (RES), the odds-ratio form used in evaluations of area-based crime
  prevention (Welsh and Farrington): RES = (a x d) / (b x c), with a, b the target's counts before
  and after, and c, d the comparison area's before and after. RES > 1: the target did better than
  the comparison (RES = 1.25 means crime in the target changed by 1/1.25 - 1 = -20% relative to the
  comparison). Not computed when any of a, b, c, d is zero.
- Weighted displacement quotient (Bowers and Johnson), with R the target, D the buffer, C the
  comparison, b before, a after: WDQ = (Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb). Computed only when the
  target fell relative to the comparison (the denominator is negative). WDQ > 0: diffusion of
  benefits into the buffer; WDQ < 0: displacement into it (below -1, more than the direct benefit).
- The Maryland level suggested by the design: 2 with no comparison area, 3 with one.
- Data coverage (evaluation.selectors.coverage): months of the periods with no crime data held
  count as zero crime. Until the design records that they truly were zero, with a reason, the
  result withholds every effect figure (percent changes, RES and its interval, WDQ): the counts
  are still shown, with the months missing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Value, When

from evaluation.models import CrimeRecord, EvaluationDesign, MarylandLevel
from evaluation.selectors.areas import (
    AREA_LABELS,
    BUFFER,
    COMPARISON,
    TARGET,
    AreaGeometry,
    add_months,
    month_list,
    month_start,
)
from evaluation.selectors.coverage import CoverageWindow, missing_months, months_held

# The two-sided 95% point of the standard normal distribution.
Z_95 = 1.96


@dataclass(frozen=True)
class AreaCounts:
    """One area's counts: by month (before months then after months) and by crime type."""

    area: str
    label: str
    monthly: list[int]
    before: int
    after: int
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type -> (before, after)
    # True when months of the periods have no data held (and are not recorded as zero): the counts
    # stand, the percent change (an effect figure) is withheld.
    withheld: bool = False

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def percent_change(self) -> float | None:
        if self.withheld or self.before == 0:
            return None
        return (self.after - self.before) / self.before * 100


@dataclass(frozen=True)
class BeforeAfter:
    problem_id: int
    response_start: date
    months_before: int
    months_after: int
    months: list[date]
    crime_types: list[str]
    target: AreaCounts
    buffer: AreaCounts | None
    comparison: AreaCounts | None
    suggested_level: int
    level: int
    level_reason: str
    target_description: str
    comparison_description: str
    buffer_description: str
    # Months of the periods for which no crime data is held (evaluation.selectors.coverage), and
    # what the design records about them.
    missing_months: list[date] = field(default_factory=list)
    missing_months_are_zero: bool = False
    missing_months_reason: str = ""

    @property
    def effect_withheld(self) -> bool:
        """True while months with no data held are not recorded as zero: no effect size is given
        (relative effect, its interval, percent changes, WDQ) until the periods are shortened to
        the months held or the design records, with a reason, that the missing months were zero."""
        return bool(self.missing_months) and not self.missing_months_are_zero

    def _four_counts(self) -> tuple[int, int, int, int]:
        return (
            self.target.before,
            self.target.after,
            self.comparison.before if self.comparison else 0,
            self.comparison.after if self.comparison else 0,
        )

    @property
    def relative_effect(self) -> float | None:
        if self.effect_withheld:
            return None
        return relative_effect_size(*self._four_counts())

    @property
    def relative_effect_interval(self) -> tuple[float, float] | None:
        if self.effect_withheld:
            return None
        return relative_effect_interval(*self._four_counts())

    @property
    def relative_change_percent(self) -> float | None:
        """The target's change relative to the comparison area, in percent (1/RES - 1)."""
        res = self.relative_effect
        return None if res is None else (1 / res - 1) * 100

    @property
    def wdq(self) -> float | None:
        if self.effect_withheld or self.comparison is None or self.buffer is None:
            return None
        return weighted_displacement_quotient(
            target=(self.target.before, self.target.after),
            buffer=(self.buffer.before, self.buffer.after),
            comparison=(self.comparison.before, self.comparison.after),
        )

    @property
    def areas(self) -> list[AreaCounts]:
        return [area for area in (self.target, self.buffer, self.comparison) if area is not None]

    @property
    def after_start_index(self) -> int:
        return self.months_before

    def rows(self) -> list[dict[str, object]]:
        """Month by month, for the chart's text alternative."""
        return [
            {
                "month": month,
                "after": index >= self.months_before,
                "counts": [area.monthly[index] for area in self.areas],
            }
            for index, month in enumerate(self.months)
        ]

    def reading(self) -> list[str]:
        """A plain-English reading: what the figures say and what the design can and cannot show."""
        from evaluation.selectors.readings import before_after_reading

        return before_after_reading(self)


def relative_effect_size(a: int, b: int, c: int, d: int) -> float | None:
    """(a x d) / (b x c): see the module docstring. None when any count is zero."""
    if 0 in (a, b, c, d):
        return None
    return (a * d) / (b * c)


def relative_effect_interval(a: int, b: int, c: int, d: int) -> tuple[float, float] | None:
    """The 95% confidence interval of `relative_effect_size(a, b, c, d)`: exp(ln(RES) ± 1.96 √V)
    with V = 1/a + 1/b + 1/c + 1/d (see the module docstring). None when any count is zero."""
    res = relative_effect_size(a, b, c, d)
    if res is None:
        return None
    spread = Z_95 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    centre = math.log(res)
    return math.exp(centre - spread), math.exp(centre + spread)


def weighted_displacement_quotient(
    *, target: tuple[int, int], buffer: tuple[int, int], comparison: tuple[int, int]
) -> float | None:
    """WDQ from (before, after) pairs: see the module docstring."""
    (rb, ra), (db, da), (cb, ca) = target, buffer, comparison
    if 0 in (cb, ca):
        return None
    success = ra / ca - rb / cb
    if success >= 0:
        return None
    return (da / ca - db / cb) / success


def geometry_for(problem: Any, design: EvaluationDesign | None) -> AreaGeometry:
    """The areas of a problem's design (a problem without a design: its own location or LSOA)."""
    latitude, longitude = problem.latitude, problem.longitude
    target_codes = design.target_lsoa_list if design else []
    if not target_codes and problem.lsoa_code:
        target_codes = [problem.lsoa_code.upper()]
    return AreaGeometry(
        latitude=float(latitude) if latitude is not None else None,
        longitude=float(longitude) if longitude is not None else None,
        radius_m=problem.radius_m,
        target_lsoas=tuple(target_codes),
        buffer_m=design.buffer_m if design else None,
        comparison_lsoas=tuple(design.comparison_lsoa_list) if design else (),
        comparison_inner_m=design.comparison_inner_m if design else None,
        comparison_outer_m=design.comparison_outer_m if design else None,
    )


def missing_months_of_designs(designs: list[EvaluationDesign]) -> dict[int, list[date]]:
    """By problem id, the months of each design's periods with no crime data held (the rule:
    evaluation.selectors.coverage), for designs loaded with their problems' locations: one query
    for any number of designs (the impact report's). Designs with no target area are left out."""
    windows, periods = [], {}
    for design in designs:
        geometry = geometry_for(design.problem, design)
        if not geometry.has_target:
            continue
        start = month_start(design.response_start)
        first, end = add_months(start, -design.months_before), add_months(start, design.months_after)
        windows.append(CoverageWindow(key=design.problem_id, geometry=geometry, first=first, end=end))
        periods[design.problem_id] = month_list(first, design.months_before + design.months_after)
    held = months_held(windows) if windows else {}
    return {key: missing_months(window_months=months, held=held[key]) for key, months in periods.items()}


def area_counts_queryset(*, geometry: AreaGeometry, first_month: date, end_month: date, crime_types: list[str]) -> Any:
    """One grouped query: (area, month, crime_type, n) for rows in the window that fall in an area.
    Each row counts in one area only: target first, then buffer, then comparison."""
    rows = CrimeRecord.objects.filter(geometry.prefilter(), month__gte=first_month, month__lt=end_month)
    if crime_types:
        rows = rows.filter(crime_type__in=crime_types)
    if geometry.has_centre:
        rows = rows.annotate(d2=geometry.distance_squared())
    area = Case(
        When(geometry.target(), then=Value(TARGET)),
        When(geometry.buffer(), then=Value(BUFFER)),
        When(geometry.comparison(), then=Value(COMPARISON)),
        default=None,
        output_field=CharField(),
    )
    return (
        rows.annotate(area=area)
        .exclude(area=None)
        .values("area", "month", "crime_type")
        .annotate(n=Count("*"))
        .order_by()
    )


def _describe(geometry: AreaGeometry) -> tuple[str, str, str]:
    if geometry.target_by_radius:
        target = f"within {geometry.radius_m} metres of the problem's location"
    else:
        target = "LSOA " + ", ".join(geometry.target_lsoas) if geometry.target_lsoas else "not set"
    if geometry.comparison_lsoas:
        comparison = "LSOA " + ", ".join(geometry.comparison_lsoas)
    elif geometry.comparison_by_ring:
        comparison = (
            f"a ring from {geometry.comparison_inner_m or 0} to {geometry.comparison_outer_m} metres "
            "from the problem's location"
        )
    else:
        comparison = "none"
    if geometry.has_buffer:
        buffer = f"from {geometry.radius_m} to {(geometry.radius_m or 0) + (geometry.buffer_m or 0)} metres"
    else:
        buffer = "none (it needs the problem's location and radius)"
    return target, comparison, buffer


def before_after_for_problem(
    *,
    problem: Any,
    design: EvaluationDesign | None = None,
    response_start: date | None = None,
    months_before: int | None = None,
    months_after: int | None = None,
    crime_types: list[str] | None = None,
) -> BeforeAfter | None:
    """The before/after of one problem: one grouped query for the counts, one for the months held
    (evaluation.selectors.coverage). Arguments left out come from the problem's `EvaluationDesign`
    (pass `design` to save its query). None when no response start date is known or the problem
    has neither a location with a radius nor an LSOA code."""
    if design is None:
        design = EvaluationDesign.objects.filter(problem_id=problem.pk).first()
    start = response_start or (design.response_start if design else None)
    if start is None:
        return None
    start = month_start(start)
    before = months_before or (design.months_before if design else 6)
    after = months_after or (design.months_after if design else 6)
    types = list(crime_types if crime_types is not None else (design.crime_types if design else []))
    geometry = geometry_for(problem, design)
    if not geometry.has_target:
        return None
    first = add_months(start, -before)
    months = month_list(first, before + after)
    index = {month: position for position, month in enumerate(months)}
    monthly: dict[str, list[int]] = {name: [0] * len(months) for name in AREA_LABELS}
    by_type: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0]) for name in AREA_LABELS}
    for row in area_counts_queryset(
        geometry=geometry, first_month=first, end_month=add_months(start, after), crime_types=types
    ):
        position = index[row["month"]]
        monthly[row["area"]][position] += row["n"]
        by_type[row["area"]][row["crime_type"]][0 if position < before else 1] += row["n"]

    def counts(name: str) -> AreaCounts:
        series = monthly[name]
        return AreaCounts(
            area=name,
            label=AREA_LABELS[name],
            monthly=series,
            before=sum(series[:before]),
            after=sum(series[before:]),
            by_type={kind: (pair[0], pair[1]) for kind, pair in sorted(by_type[name].items())},
        )

    held = months_held([CoverageWindow(key=0, geometry=geometry, first=first, end=add_months(start, after))])[0]
    missing = missing_months(window_months=months, held=held)
    zero = bool(design and design.missing_months_are_zero)
    withheld = bool(missing) and not zero

    def shown(area: AreaCounts | None) -> AreaCounts | None:
        return replace(area, withheld=True) if area is not None and withheld else area

    suggested = MarylandLevel.LEVEL_3 if geometry.has_comparison else MarylandLevel.LEVEL_2
    target_text, comparison_text, buffer_text = _describe(geometry)
    target = shown(counts(TARGET))
    assert target is not None
    return BeforeAfter(
        problem_id=problem.pk,
        response_start=start,
        months_before=before,
        months_after=after,
        months=months,
        crime_types=types,
        target=target,
        buffer=shown(counts(BUFFER)) if geometry.has_buffer else None,
        comparison=shown(counts(COMPARISON)) if geometry.has_comparison else None,
        suggested_level=int(suggested),
        level=int(design.maryland_level) if design and design.maryland_level else int(suggested),
        level_reason=design.maryland_reason if design and design.maryland_level else "",
        target_description=target_text,
        comparison_description=comparison_text,
        buffer_description=buffer_text,
        missing_months=missing,
        missing_months_are_zero=zero and bool(missing),
        missing_months_reason=design.missing_months_reason if design and zero and missing else "",
    )
