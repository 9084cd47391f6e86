"""Cost-benefit of a problem's response: its costs against the value of the crimes it prevented.

- Costs = officer hours x officer hourly cost + partner hours x partner hourly cost + money spent.
- Crimes prevented, per crime type t: expected_t - after_t, where after_t is the target area's count
  after the response and expected_t = before_t x (C_after / C_before), the target's count before
  carried forward by the comparison area's overall change (all chosen types together, which is
  steadier than type by type). With no comparison area, or none recorded before, the ratio is 1:
  expected_t = before_t. A negative number means more crime than expected.
- Benefit per type = prevented_t x the unit cost of t; types with no unit cost are listed as
  missing and add nothing (no figure is ever assumed). Net = benefit - costs; return per £1 =
  benefit / costs.
Hand-computed in tests/evaluation/test_cost_benefit.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from evaluation.models import POLICE_CRIME_TYPES, CrimeUnitCost, EvaluationDesign
from evaluation.selectors.areas import COMPARISON, TARGET
from evaluation.selectors.before_after import BeforeAfter, before_after_for_problem
from evaluation.selectors.crime import CrimeChange, crime_change_for_problems

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from problems.models import Problem

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class BenefitLine:
    crime_type: str
    before: int
    after: int
    expected_after: Decimal
    prevented: Decimal
    unit_cost: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class CostBenefit:
    problem_id: int
    officer_cost: Decimal
    partner_cost: Decimal
    money_spent: Decimal
    comparison_ratio: Decimal
    lines: list[BenefitLine]

    @property
    def total_cost(self) -> Decimal:
        return self.officer_cost + self.partner_cost + self.money_spent

    @property
    def total_benefit(self) -> Decimal:
        return sum((line.value for line in self.lines if line.value is not None), Decimal("0"))

    @property
    def crimes_prevented(self) -> Decimal:
        return sum((line.prevented for line in self.lines), Decimal("0"))

    @property
    def missing_unit_costs(self) -> list[str]:
        return [line.crime_type for line in self.lines if line.unit_cost is None]

    @property
    def net_benefit(self) -> Decimal:
        return self.total_benefit - self.total_cost

    @property
    def benefit_per_pound(self) -> Decimal | None:
        if not self.total_cost:
            return None
        return (self.total_benefit / self.total_cost).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CostBenefitTotals:
    """Many problems added up (the impact report's panel)."""

    problems: int
    total_cost: Decimal
    total_benefit: Decimal
    crimes_prevented: Decimal
    missing_unit_costs: list[str]

    @property
    def net_benefit(self) -> Decimal:
        return self.total_benefit - self.total_cost


def unit_costs() -> dict[str, Decimal | None]:
    return dict(CrimeUnitCost.objects.values_list("crime_type", "cost"))


def unit_cost_rows() -> list[tuple[str, CrimeUnitCost | None]]:
    """Every police.uk crime type and any other held, in order, with its unit cost row if it has
    one (the unit costs page), in one query."""
    held = {unit.crime_type: unit for unit in CrimeUnitCost.objects.select_related("updated_by")}
    return [(kind, held.get(kind)) for kind in sorted({*POLICE_CRIME_TYPES, *held})]


def _money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _build(
    design: EvaluationDesign,
    target_by_type: dict[str, tuple[int, int]],
    comparison: tuple[int, int] | None,
    costs: dict[str, Decimal | None],
) -> CostBenefit:
    ratio = Decimal("1")
    if comparison is not None and comparison[0]:
        ratio = Decimal(comparison[1]) / Decimal(comparison[0])
    lines = []
    for crime_type, (before, after) in sorted(target_by_type.items()):
        expected = Decimal(before) * ratio
        prevented = expected - after
        unit = costs.get(crime_type)
        lines.append(
            BenefitLine(
                crime_type=crime_type,
                before=before,
                after=after,
                expected_after=expected.quantize(PENNY, rounding=ROUND_HALF_UP),
                prevented=prevented.quantize(PENNY, rounding=ROUND_HALF_UP),
                unit_cost=unit,
                value=_money(prevented * unit) if unit is not None else None,
            )
        )
    return CostBenefit(
        problem_id=design.problem_id,
        officer_cost=_money(design.officer_hours * design.officer_hourly_cost),
        partner_cost=_money(design.partner_hours * design.partner_hourly_cost),
        money_spent=_money(design.money_spent),
        comparison_ratio=ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        lines=lines,
    )


def cost_benefit_for_problem(
    *, problem: Problem, design: EvaluationDesign | None = None, before_after: BeforeAfter | None = None
) -> CostBenefit | None:
    """The cost-benefit of one problem's response; None without an evaluation design. Pass the
    design and its before/after when already loaded, to save their queries."""
    if design is None:
        design = EvaluationDesign.objects.filter(problem_id=problem.pk).first()
    if design is None:
        return None
    if before_after is None:
        before_after = before_after_for_problem(problem=problem, design=design)
    if before_after is None:
        return None
    comparison = (before_after.comparison.before, before_after.comparison.after) if before_after.comparison else None
    return _build(design, before_after.target.by_type, comparison, unit_costs())


def cost_benefit_for_problems(
    *, problems_qs: QuerySet[Problem], crime_changes: dict[int, CrimeChange] | None = None
) -> tuple[dict[int, CostBenefit], CostBenefitTotals]:
    """Cost-benefit of every problem of `problems_qs` with a design, and their totals: three
    queries on PostgreSQL (designs, the grouped crime counts, unit costs) whatever the number of
    problems. Pass `crime_changes`, from `crime_change_for_problems` over the same problems, to
    reuse those counts (and the designs they carry): then only the unit costs are read."""
    if crime_changes is None:
        crime_changes = crime_change_for_problems(problems_qs=problems_qs)
    costs = unit_costs()
    results: dict[int, CostBenefit] = {}
    for problem_id, change in crime_changes.items():
        design = change.design
        assert design is not None, "crime changes carry their designs"
        target = {kind: (pair[0], pair[1]) for kind, pair in change.by_type[TARGET].items()}
        comparison = tuple(change.counts[COMPARISON]) if change.has_comparison else None
        results[problem_id] = _build(design, target, comparison, costs)  # type: ignore[arg-type]
    missing = sorted({kind for result in results.values() for kind in result.missing_unit_costs})
    totals = CostBenefitTotals(
        problems=len(results),
        total_cost=sum((r.total_cost for r in results.values()), Decimal("0")),
        total_benefit=sum((r.total_benefit for r in results.values()), Decimal("0")),
        crimes_prevented=sum((r.crimes_prevented for r in results.values()), Decimal("0")),
        missing_unit_costs=missing,
    )
    return results, totals
