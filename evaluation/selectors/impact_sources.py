"""Impact report panels whose data belongs to other parts of the app, each calling the selector of
the part that owns it (and so its access rules), with no query per problem:

- engagement (engagement.selectors): events held in the area in the period and their attendees,
  by kind (one grouped query); seldom-heard coverage (engagement.selectors.coverage.coverage_grid:
  one query for the areas, one for the groups, one per reach source);
- trust and confidence (evaluation.selectors.surveys_results.trust_trend: two queries): the
  rounds in the area that opened in the period, with net agreement per item;
- crime (evaluation.selectors.crime.crime_change_for_problems: two queries, and one for the months
  of crime data held in each problem's areas: evaluation.selectors.coverage) and costs and
  benefits (evaluation.selectors.cost_benefit.cost_benefit_for_problems: one, the unit costs,
  reusing the crime panel's counts): over the report's problems whose evaluated response started
  in the period. The crime panel also lists each of those problems with its target, displacement
  buffer and comparison counts and its weighted displacement quotient (from the same two queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from core.numbers import interval, percent_change, ratio
from evaluation.selectors.impact import ReportScope
from problems.models import Problem

Step = tuple[str, str, Callable[[ReportScope], Any]]


# --- engagement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventKindCount:
    kind: str
    label: str
    events: int
    attendees: int


@dataclass(frozen=True)
class GroupCoverage:
    group: str
    reached_in: int
    neighbourhoods: int

    @property
    def reached(self) -> bool:
        return self.reached_in > 0


@dataclass(frozen=True)
class EngagementPanel:
    by_kind: list[EventKindCount]
    coverage: list[GroupCoverage]

    @property
    def events(self) -> int:
        return sum(k.events for k in self.by_kind)

    @property
    def attendees(self) -> int:
        return sum(k.attendees for k in self.by_kind)

    @property
    def groups_reached(self) -> int:
        return sum(1 for g in self.coverage if g.reached)


def engagement_panel(scope: ReportScope) -> EngagementPanel:
    from engagement.models.events import EventKind
    from engagement.selectors.access import events_visible_to
    from engagement.selectors.coverage import coverage_grid

    labels = dict(EventKind.choices)
    rows = (
        events_visible_to(scope.user)
        .filter(neighbourhood_id__in=scope.neighbourhood_ids, held_on__gte=scope.start, held_on__lte=scope.end)
        .values("kind")
        .annotate(events=Count("pk"), people=Sum("attendees"))
        .order_by("kind")
    )
    by_kind = [EventKindCount(r["kind"], labels.get(r["kind"], r["kind"]), r["events"], r["people"] or 0) for r in rows]
    grid = coverage_grid(user=scope.user, start=scope.start, end=scope.end, neighbourhood=scope.neighbourhood)
    area_rows = [row for row in grid.rows if row.neighbourhood.pk in scope.neighbourhood_ids]
    coverage = [
        GroupCoverage(group.name, sum(1 for row in area_rows if row.cells[i].reached), len(area_rows))
        for i, group in enumerate(grid.groups)
    ]
    return EngagementPanel(by_kind=by_kind, coverage=coverage)


# --- trust and confidence -----------------------------------------------------------------------


@dataclass(frozen=True)
class TrustRound:
    area: str
    survey: str
    opens_on: Any
    responses: int
    overall: float | None
    net: dict[str, float | None]


@dataclass(frozen=True)
class TrustPanel:
    items: list[tuple[str, str]]
    rounds: list[TrustRound]


def trust_panel(scope: ReportScope) -> TrustPanel:
    from evaluation.selectors.surveys_results import trust_items, trust_trend

    names = {name.strip().lower() for name in scope.area_names}
    # The period is filtered in the database (the rounds that opened in it), not in Python: the
    # force's rounds of every year were read, and their answers counted, to keep one year's.
    trend = trust_trend(user=scope.user, neighbourhood=scope.neighbourhood, start=scope.start, end=scope.end)
    rounds = [
        TrustRound(area, str(r.survey), r.survey.opens_on, r.responses, r.overall, r.net)
        for area, area_rounds in trend.items()
        if area.strip().lower() in names
        for r in area_rounds
    ]
    rounds.sort(key=lambda r: (r.opens_on, r.area))
    return TrustPanel(items=trust_items(), rounds=rounds)


# --- crime change, and costs and benefits --------------------------------------------------------


def evaluated_problems(scope: ReportScope) -> QuerySet[Problem]:
    """The report's problems whose evaluated response started in the period."""
    return scope.problems().filter(
        evaluation_design__response_start__gte=scope.start, evaluation_design__response_start__lte=scope.end
    )


@dataclass(frozen=True)
class MissingCrimeData:
    """An evaluated problem whose periods include months with no crime data held."""

    reference: str
    title: str
    months: list[Any]
    recorded_as_zero: bool
    reason: str


@dataclass(frozen=True)
class ProblemCrimeLine:
    """One evaluated problem's counts in each area, its relative effect size and its weighted
    displacement quotient (None where its design has no such area, or the figure is not computed)."""

    problem_id: int
    reference: str
    title: str
    target_before: int
    target_after: int
    buffer_before: int | None
    buffer_after: int | None
    comparison_before: int | None
    comparison_after: int | None
    relative_effect: float | None
    wdq: float | None
    # Months with no crime data held in its periods, not recorded as no crime: no effect figures.
    withheld: bool = False

    @property
    def has_buffer(self) -> bool:
        return self.buffer_before is not None

    @property
    def has_comparison(self) -> bool:
        return self.comparison_before is not None

    @property
    def wdq_missing(self) -> str:
        """Why there is no quotient, in a few words for the table ("" when there is one)."""
        if self.wdq is not None:
            return ""
        if self.withheld:
            return "Withheld: months with no crime data held"
        if not (self.has_buffer and self.has_comparison):
            return "Needs a buffer and a comparison area"
        if not (self.comparison_before and self.comparison_after):
            return "Not computed: no crimes in the comparison area before or after"
        return "Not computed: the target did not fall against the comparison"

    @property
    def wdq_rounded(self) -> Decimal | None:
        """The quotient to two places as a number (a CSV cell stays a number, even when negative)."""
        return None if self.wdq is None else Decimal(str(self.wdq)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CrimePanel:
    problems: int
    target_before: int
    target_after: int
    # Over the problems that have a comparison area only (they are the ones it can be set against).
    compared: int
    compared_target_before: int
    compared_target_after: int
    comparison_before: int
    comparison_after: int
    # The problems whose periods include months with no crime data held.
    missing: list[MissingCrimeData] = field(default_factory=list)

    @property
    def effect_withheld(self) -> bool:
        """True when any problem counted has months with no data held not recorded as zero: its
        zeros are in the totals, so no change or effect size is given for them."""
        return any(not m.recorded_as_zero for m in self.missing)

    # Over the problems that have a displacement buffer only.
    buffered: int = 0
    buffer_before: int = 0
    buffer_after: int = 0
    # Each evaluated problem, by reference.
    lines: list[ProblemCrimeLine] = field(default_factory=list)

    @property
    def buffer_change(self) -> float | None:
        return _change(self.buffer_before, self.buffer_after)

    @property
    def target_change(self) -> float | None:
        return None if self.effect_withheld else _change(self.target_before, self.target_after)

    @property
    def comparison_change(self) -> float | None:
        return None if self.effect_withheld else _change(self.comparison_before, self.comparison_after)

    def _four(self) -> tuple[int, int, int, int]:
        return (self.compared_target_before, self.compared_target_after, self.comparison_before, self.comparison_after)

    @property
    def relative_effect(self) -> float | None:
        from evaluation.selectors.before_after import relative_effect_size

        return None if self.effect_withheld else relative_effect_size(*self._four())

    @property
    def relative_effect_interval(self) -> tuple[float, float] | None:
        from evaluation.selectors.before_after import relative_effect_interval

        return None if self.effect_withheld else relative_effect_interval(*self._four())

    def reading(self) -> str:
        from evaluation.selectors.readings import relative_effect_reading

        return relative_effect_reading(
            self.relative_effect, self.relative_effect_interval, against="their comparison areas"
        ).replace("the target area", "the problem areas")


def _change(before: int, after: int) -> float | None:
    return round(100 * (after - before) / before, 1) if before else None


def crime_panel(scope: ReportScope, *, found: dict[int, Any] | None = None) -> CrimePanel:
    """`found`, if given, receives the crime change of each problem (for `cost_panel` to reuse)."""
    from evaluation.selectors.before_after import missing_months_of_designs
    from evaluation.selectors.crime import crime_change_for_problems

    by_problem = crime_change_for_problems(problems_qs=evaluated_problems(scope))
    if found is not None:
        found.update(by_problem)
    changes = list(by_problem.values())
    compared = [c for c in changes if c.has_comparison]
    designs = [c.design for c in changes if c.design is not None]
    gaps = missing_months_of_designs(designs)
    missing = [
        MissingCrimeData(
            reference=design.problem.reference,
            title=design.problem.title,
            months=gaps[design.problem_id],
            recorded_as_zero=design.missing_months_are_zero,
            reason=design.missing_months_reason if design.missing_months_are_zero else "",
        )
        for design in sorted(designs, key=lambda d: d.problem.reference)
        if gaps.get(design.problem_id)
    ]
    withheld = {
        design.problem_id for design in designs if gaps.get(design.problem_id) and not design.missing_months_are_zero
    }
    buffered = [c for c in changes if c.has_buffer]
    return CrimePanel(
        problems=len(changes),
        target_before=sum(c.target_before for c in changes),
        target_after=sum(c.target_after for c in changes),
        compared=len(compared),
        compared_target_before=sum(c.target_before for c in compared),
        compared_target_after=sum(c.target_after for c in compared),
        comparison_before=sum(c.comparison_before or 0 for c in compared),
        comparison_after=sum(c.comparison_after or 0 for c in compared),
        missing=missing,
        buffered=len(buffered),
        buffer_before=sum(c.buffer_before or 0 for c in buffered),
        buffer_after=sum(c.buffer_after or 0 for c in buffered),
        lines=sorted((_line(c, withheld=c.problem_id in withheld) for c in changes), key=lambda line: line.reference),
    )


def _line(change: Any, *, withheld: bool) -> ProblemCrimeLine:
    # The design's problem carries its reference and title (loaded with the designs' query).
    problem = change.design.problem
    return ProblemCrimeLine(
        problem_id=change.problem_id,
        reference=problem.reference,
        title=problem.title,
        target_before=change.target_before,
        target_after=change.target_after,
        buffer_before=change.buffer_before,
        buffer_after=change.buffer_after,
        comparison_before=change.comparison_before,
        comparison_after=change.comparison_after,
        relative_effect=None if withheld else change.relative_effect,
        wdq=None if withheld else change.wdq,
        withheld=withheld,
    )


@dataclass(frozen=True)
class CostPanel:
    problems: int
    total_cost: Decimal
    total_benefit: Decimal
    net_benefit: Decimal
    crimes_prevented: Decimal
    missing_unit_costs: list[str] = field(default_factory=list)


def cost_panel(scope: ReportScope, *, crime_changes: dict[int, Any] | None = None) -> CostPanel:
    """`crime_changes`: the crime panel's, when it has run (the costliest query, not run twice)."""
    from evaluation.selectors.cost_benefit import cost_benefit_for_problems

    _, totals = cost_benefit_for_problems(problems_qs=evaluated_problems(scope), crime_changes=crime_changes)
    return CostPanel(
        problems=totals.problems,
        total_cost=totals.total_cost,
        total_benefit=totals.total_benefit,
        net_benefit=totals.net_benefit,
        crimes_prevented=totals.crimes_prevented,
        missing_unit_costs=totals.missing_unit_costs,
    )


# --- the report's use of these panels ------------------------------------------------------------


def steps() -> list[Step]:
    # The cost panel reuses the crime panel's counts (same problems, designs and areas).
    found: dict[int, Any] = {}
    ran: list[bool] = []

    def crime(scope: ReportScope) -> CrimePanel:
        panel = crime_panel(scope, found=found)
        ran.append(True)
        return panel

    def costs(scope: ReportScope) -> CostPanel:
        return cost_panel(scope, crime_changes=found if ran else None)

    return [
        ("crime", "Comparing crime before and after", crime),
        ("engagement", "Counting engagement and seldom-heard coverage", engagement_panel),
        ("trust", "Reading trust and confidence surveys", trust_panel),
        ("costs", "Adding up costs and benefits", costs),
    ]


def chart_data(sources: dict[str, Any]) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    crime: CrimePanel | None = sources.get("crime")
    if crime is not None and crime.problems:
        charts["crime"] = {
            "type": "bar",
            "labels": ["Problem areas", "Comparison areas"],
            "datasets": [
                {"label": "Before", "data": [crime.compared_target_before, crime.comparison_before]},
                {"label": "After", "data": [crime.compared_target_after, crime.comparison_after]},
            ],
        }
    engagement: EngagementPanel | None = sources.get("engagement")
    if engagement is not None and engagement.by_kind:
        charts["engagement"] = {
            "type": "bar",
            "labels": [k.label for k in engagement.by_kind],
            "datasets": [
                {"label": "Events", "data": [k.events for k in engagement.by_kind]},
                {"label": "Attendees", "data": [k.attendees for k in engagement.by_kind]},
            ],
        }
    trust: TrustPanel | None = sources.get("trust")
    if trust is not None and trust.rounds:
        charts["trust"] = {
            "type": "line",
            "labels": [f"{r.area}, {r.opens_on:%b %Y}" for r in trust.rounds],
            "datasets": [{"label": "Net agreement, all items", "data": [r.overall for r in trust.rounds]}],
        }
    return charts


def csv_rows(sources: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    crime: CrimePanel | None = sources.get("crime")
    if crime is not None:
        rows += [
            ["crime", "problems evaluated", "count", crime.problems],
            ["crime", "problem areas", "before", crime.target_before],
            ["crime", "problem areas", "after", crime.target_after],
            ["crime", "problems with a comparison area", "count", crime.compared],
            ["crime", "comparison areas", "before", crime.comparison_before],
            ["crime", "comparison areas", "after", crime.comparison_after],
            [
                "crime",
                "problem areas",
                "change",
                "" if crime.target_change is None else percent_change(crime.target_change),
            ],
            [
                "crime",
                "comparison areas",
                "change",
                "" if crime.comparison_change is None else percent_change(crime.comparison_change),
            ],
            [
                "crime",
                "relative effect size",
                "value",
                "" if crime.relative_effect is None else ratio(crime.relative_effect),
            ],
            [
                "crime",
                "relative effect size",
                "95% confidence interval",
                "" if (bounds := crime.relative_effect_interval) is None else interval(*bounds),
            ],
            ["crime", "relative effect size", "reading", "" if crime.effect_withheld else crime.reading()],
            [
                "crime",
                "effect size",
                "withheld",
                "yes: months with no crime data held" if crime.effect_withheld else "no",
            ],
            ["crime", "problems with a displacement buffer", "count", crime.buffered],
            ["crime", "displacement buffers", "before", crime.buffer_before],
            ["crime", "displacement buffers", "after", crime.buffer_after],
        ]
        rows += [
            [
                "crime",
                f"{m.reference}: {m.title}",
                "months with no crime data held",
                "; ".join(f"{month:%Y-%m}" for month in m.months)
                + (f" (recorded as no crime: {m.reason})" if m.recorded_as_zero else ""),
            ]
            for m in crime.missing
        ]
        # One block per evaluated problem; a figure its design cannot give is an empty cell.
        for line in crime.lines:
            rows += [
                ["crime by problem", line.reference, "title", line.title],
                ["crime by problem", line.reference, "target before", line.target_before],
                ["crime by problem", line.reference, "target after", line.target_after],
                ["crime by problem", line.reference, "buffer before", line.buffer_before],
                ["crime by problem", line.reference, "buffer after", line.buffer_after],
                ["crime by problem", line.reference, "comparison before", line.comparison_before],
                ["crime by problem", line.reference, "comparison after", line.comparison_after],
                [
                    "crime by problem",
                    line.reference,
                    "relative effect size",
                    "" if line.relative_effect is None else f"{line.relative_effect:.2f}",
                ],
                ["crime by problem", line.reference, "weighted displacement quotient", line.wdq_rounded],
            ]
    engagement: EngagementPanel | None = sources.get("engagement")
    if engagement is not None:
        rows += [["engagement", k.label, "events", k.events] for k in engagement.by_kind] + [
            ["engagement", k.label, "attendees", k.attendees] for k in engagement.by_kind
        ]
        rows += [
            ["seldom-heard coverage", g.group, "neighbourhoods reached", g.reached_in] for g in engagement.coverage
        ]
    trust: TrustPanel | None = sources.get("trust")
    if trust is not None:
        for r in trust.rounds:
            rows.append(["trust and confidence", f"{r.area}: {r.survey}", "responses", r.responses])
            rows.append(
                [
                    "trust and confidence",
                    f"{r.area}: {r.survey}",
                    "net agreement",
                    "" if r.overall is None else r.overall,
                ]
            )
    costs: CostPanel | None = sources.get("costs")
    if costs is not None:
        rows += [
            ["costs and benefits", "problems costed", "count", costs.problems],
            ["costs and benefits", "total cost", "GBP", costs.total_cost],
            ["costs and benefits", "total benefit", "GBP", costs.total_benefit],
            ["costs and benefits", "net benefit", "GBP", costs.net_benefit],
            ["costs and benefits", "crimes prevented", "count", costs.crimes_prevented],
            ["costs and benefits", "crime types without a unit cost", "list", "; ".join(costs.missing_unit_costs)],
        ]
    return rows
