"""The measured evaluation an award (Tilley-format) entry carries, drawn from the records: each
objective's baseline, target and result; the before/after counts in the target area, the
displacement buffer and the comparison area; the relative effect size; the weighted displacement
quotient; the Maryland level; EMMIE; and the cost-benefit. The entry's page and its PDF show the
same `AwardEvidence` through one template (evaluation/_award_evidence.html), so the two cannot
differ. Only the entry's narrative (summary and SARA description) is typed.

A figure that cannot be given is said in plain words (the constants below), never left blank: a
reader of an award entry must be able to tell "no comparison area" from "no change".

Queries: with the problem from `award_problem_queryset()` (one query for the problem, its draft,
design and EMMIE; one each for objectives, hypotheses and actions), `award_evidence_for` adds the
grouped crime count and the unit costs when the problem has a design (see
tests/evaluation/test_award_evidence.py), whatever the number of objectives."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from evaluation.models import EmmieAssessment, EvaluationDesign, MarylandLevel
from evaluation.selectors.areas import AREA_LABELS, BUFFER, COMPARISON, TARGET
from evaluation.selectors.before_after import AreaCounts, BeforeAfter, before_after_for_problem
from evaluation.selectors.cost_benefit import CostBenefit, cost_benefit_for_problem
from evaluation.selectors.readings import coverage_reading, displacement_reading, relative_effect_reading
from problems.models import Problem, ResponseAction

if TYPE_CHECKING:
    from problems.models import Objective

NO_DESIGN = (
    "No before/after design has been recorded for this problem, so no crimes were counted before and after the "
    "response."
)
NO_TARGET_AREA = (
    "The before/after design has no target area (the problem has neither a location with a radius nor an LSOA "
    "code), so no crimes were counted."
)
NO_COMPARISON = "No comparison area was set in the design."
NO_BUFFER = (
    "No displacement buffer was set in the design (a buffer needs the problem's location and radius, and a "
    "buffer width)."
)
EFFECT_NO_COMPARISON = "Not computed: there is no comparison area to set the target area against."
EFFECT_ZERO_COUNT = "Not computed: one of the four counts (target or comparison, before or after) is zero."
EFFECT_WITHHELD = (
    "Withheld: some months of the periods have no crime data held (above), and counting them as no crime could mislead."
)
WDQ_NO_COMPARISON = "Not computed: the quotient needs a comparison area."
WDQ_NO_BUFFER = "Not computed: the quotient needs a displacement buffer."
WDQ_COMPARISON_ZERO = "Not computed: the comparison area had no crimes before or after."
WDQ_NO_FALL = (
    "Not computed: crime in the target area did not fall relative to the comparison area, so there is no "
    "benefit whose displacement could be measured."
)
LEVEL_NOT_SET = "Not assessed: there is no before/after design to rate."
NO_EMMIE = "No EMMIE assessment has been recorded for this problem."
NO_COST_BENEFIT = "No cost-benefit: it needs a before/after design with crimes counted in a target area."
NO_COSTS = "No costs of the response were recorded, so no return per £1 spent can be given."
NO_OBJECTIVES = "No objectives were recorded for this problem."
NO_BASELINE = "No baseline recorded"
NO_RESULT = "No result recorded"


def award_problem_queryset() -> QuerySet[Problem]:
    """The problem with everything the entry is drawn from: one query for the problem with its
    category, organisation, owner, saved draft, evaluation design and EMMIE record (the last three
    are one-to-one, LEFT JOINs), then one each for objectives, hypotheses and actions (with their
    organisations)."""
    return Problem.objects.select_related(
        "category", "owning_organisation", "owner", "neighbourhood", "award_draft", "evaluation_design", "emmie"
    ).prefetch_related(
        "objectives",
        "hypotheses",
        Prefetch("actions", queryset=ResponseAction.objects.select_related("responsible_organisation")),
    )


@dataclass(frozen=True)
class ObjectiveEvidence:
    description: str
    measure: str
    baseline: str
    target: str
    target_date: datetime.date
    result: str
    outcome: str


@dataclass(frozen=True)
class AreaEvidence:
    """One area's line in the entry's before/after table: its counts, or why there are none."""

    area: str
    label: str
    where: str
    counts: AreaCounts | None
    missing: str = ""


@dataclass(frozen=True)
class AwardEvidence:
    objectives: list[ObjectiveEvidence]
    design: EvaluationDesign | None
    before_after: BeforeAfter | None
    cost_benefit: CostBenefit | None
    emmie: EmmieAssessment | None
    reading: list[str] = field(default_factory=list)

    @property
    def objectives_missing(self) -> str:
        return "" if self.objectives else NO_OBJECTIVES

    @property
    def emmie_missing(self) -> str:
        return "" if self.emmie is not None else NO_EMMIE

    @property
    def crime_missing(self) -> str:
        """Why there are no before/after counts ("" when there are)."""
        if self.before_after is not None:
            return ""
        return NO_DESIGN if self.design is None else NO_TARGET_AREA

    @property
    def areas(self) -> list[AreaEvidence]:
        result = self.before_after
        if result is None:
            return []
        return [
            AreaEvidence(TARGET, AREA_LABELS[TARGET], result.target_description, result.target),
            AreaEvidence(
                BUFFER,
                AREA_LABELS[BUFFER],
                result.buffer_description,
                result.buffer,
                "" if result.buffer is not None else NO_BUFFER,
            ),
            AreaEvidence(
                COMPARISON,
                AREA_LABELS[COMPARISON],
                result.comparison_description,
                result.comparison,
                "" if result.comparison is not None else NO_COMPARISON,
            ),
        ]

    @property
    def relative_effect(self) -> float | None:
        return self.before_after.relative_effect if self.before_after is not None else None

    @property
    def relative_change_percent(self) -> float | None:
        return self.before_after.relative_change_percent if self.before_after is not None else None

    @property
    def coverage(self) -> str:
        """Months of the periods with no crime data held, and whether the design records them as
        no crime ("" when every month is held)."""
        result = self.before_after
        if result is None or not result.missing_months:
            return ""
        return coverage_reading(
            result.missing_months, zero=result.missing_months_are_zero, reason=result.missing_months_reason
        )

    @property
    def relative_effect_interval(self) -> tuple[float, float] | None:
        return self.before_after.relative_effect_interval if self.before_after is not None else None

    @property
    def relative_effect_reading(self) -> str:
        """Whether the change could be chance (the interval against 1), when there is an effect."""
        if self.relative_effect is None:
            return ""
        return relative_effect_reading(
            self.relative_effect, self.relative_effect_interval, against="the comparison area"
        )

    @property
    def relative_effect_missing(self) -> str:
        result = self.before_after
        if result is None:
            return self.crime_missing
        if result.effect_withheld:
            return EFFECT_WITHHELD
        if result.comparison is None:
            return EFFECT_NO_COMPARISON
        return EFFECT_ZERO_COUNT if result.relative_effect is None else ""

    @property
    def wdq(self) -> float | None:
        return self.before_after.wdq if self.before_after is not None else None

    @property
    def wdq_reading(self) -> str:
        """Displacement, diffusion of benefits or neither (Bowers and Johnson), when there is one."""
        return displacement_reading(self.wdq) if self.wdq is not None else ""

    @property
    def wdq_missing(self) -> str:
        result = self.before_after
        if result is None:
            return self.crime_missing
        if result.effect_withheld:
            return EFFECT_WITHHELD
        if result.comparison is None:
            return WDQ_NO_COMPARISON
        if result.buffer is None:
            return WDQ_NO_BUFFER
        if result.wdq is not None:
            return ""
        if 0 in (result.comparison.before, result.comparison.after):
            return WDQ_COMPARISON_ZERO
        return WDQ_NO_FALL

    @property
    def maryland_level(self) -> int | None:
        if self.before_after is not None:
            return self.before_after.level
        if self.design is not None and self.design.maryland_level:
            return int(self.design.maryland_level)
        return None

    @property
    def maryland_label(self) -> str:
        level = self.maryland_level
        return MarylandLevel(level).label if level is not None else LEVEL_NOT_SET

    @property
    def maryland_reason(self) -> str:
        """The analyst's reason when they set a level other than the design's suggestion."""
        result = self.before_after
        if result is not None and result.level != result.suggested_level:
            return result.level_reason
        return ""

    @property
    def cost_benefit_missing(self) -> str:
        return NO_COST_BENEFIT if self.cost_benefit is None else ""

    @property
    def costs_missing(self) -> str:
        return NO_COSTS if self.cost_benefit is not None and not self.cost_benefit.total_cost else ""

    @property
    def emmie_parts(self) -> list[dict[str, object]]:
        return self.emmie.parts() if self.emmie is not None else []


def _outcome(objective: Objective) -> str:
    if objective.met is None:
        return "Not assessed"
    return "Met" if objective.met else "Not met"


def award_evidence_for(problem: Problem) -> AwardEvidence:
    """The measured evaluation of `problem` for its award entry. Pass a problem from
    `award_problem_queryset()`: its objectives, design and EMMIE are then already loaded, and only
    the crime counts (one grouped query) and the unit costs (one) are read, with a design."""
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError: None here.
    design: EvaluationDesign | None = getattr(problem, "evaluation_design", None)
    emmie: EmmieAssessment | None = getattr(problem, "emmie", None)
    objectives = [
        ObjectiveEvidence(
            description=objective.description,
            measure=objective.measure,
            baseline=objective.baseline.strip() or NO_BASELINE,
            target=objective.target,
            target_date=objective.target_date,
            result=objective.result.strip() or NO_RESULT,
            outcome=_outcome(objective),
        )
        for objective in problem.objectives.all()
    ]
    before_after = before_after_for_problem(problem=problem, design=design) if design is not None else None
    cost_benefit = (
        cost_benefit_for_problem(problem=problem, design=design, before_after=before_after)
        if design is not None and before_after is not None
        else None
    )
    return AwardEvidence(
        objectives=objectives,
        design=design,
        before_after=before_after,
        cost_benefit=cost_benefit,
        emmie=emmie,
        reading=before_after.reading() if before_after is not None else [],
    )
