"""What disposal of a problem (problems.services.retention) erases and keeps in evaluation,
registered with problems.retention_parts from EvaluationConfig.ready (problems never imports
evaluation): the before/after design's free text (its numbers, crime types and LSOA codes stay),
the EMMIE text (its ratings stay), the award entry draft (deleted: it is drawn from the case
text). The evaluation figures (before/after counts, effect sizes, costs and benefits) are read
before anything is erased and kept in the disposal record. Surveys linked to a problem are their
own records (public answers hold no personal data unless a question asks with consent: DESIGN.md
section 5) and are left as they are."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaluation.models import AwardDraft, EmmieAssessment, EvaluationDesign
from evaluation.selectors.before_after import before_after_for_problem
from evaluation.selectors.cost_benefit import cost_benefit_for_problem
from problems.retention_parts import erase_text, register_disposal_figures, register_disposal_part

if TYPE_CHECKING:
    from problems.models import Problem

DESIGN_KEEP = ("target_lsoa_codes", "comparison_lsoa_codes")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return round(value, 3)
    return value


def evaluation_figures(problem: Problem) -> dict[str, Any]:
    """The figures of the problem's assessment, as plain values (JSON), with labels."""
    design = EvaluationDesign.objects.filter(problem_id=problem.pk).first()
    if design is None:
        return {}
    before_after = before_after_for_problem(problem=problem, design=design)
    if before_after is None:
        return {"Maryland level": design.maryland_level}
    figures: dict[str, Any] = {
        "crimes in the target area before": before_after.target.before,
        "crimes in the target area after": before_after.target.after,
        "relative effect size": before_after.relative_effect,
        "weighted displacement quotient": before_after.wdq,
        "Maryland level": before_after.level,
    }
    if before_after.comparison is not None:
        figures["crimes in the comparison area before"] = before_after.comparison.before
        figures["crimes in the comparison area after"] = before_after.comparison.after
    cost_benefit = cost_benefit_for_problem(problem=problem, design=design, before_after=before_after)
    if cost_benefit is not None:
        figures["total cost (£)"] = cost_benefit.total_cost
        figures["total benefit (£)"] = cost_benefit.total_benefit
        figures["crimes prevented"] = cost_benefit.crimes_prevented
    return {key: _plain(value) for key, value in figures.items()}


def _erase_design(problem: Problem) -> None:
    erase_text(EvaluationDesign.objects.filter(problem_id=problem.pk), keep=DESIGN_KEEP)


def _erase_emmie(problem: Problem) -> None:
    erase_text(EmmieAssessment.objects.filter(problem_id=problem.pk))


def _delete_award_draft(problem: Problem) -> None:
    AwardDraft.objects.filter(problem_id=problem.pk).delete()


def register_disposal() -> None:
    register_disposal_figures("evaluation", evaluation_figures)
    register_disposal_part(
        "Before/after design",
        count=lambda problem: EvaluationDesign.objects.filter(problem_id=problem.pk).count(),
        erase=_erase_design,
    )
    register_disposal_part(
        "EMMIE assessment",
        count=lambda problem: EmmieAssessment.objects.filter(problem_id=problem.pk).count(),
        erase=_erase_emmie,
    )
    register_disposal_part(
        "Award entry draft",
        count=lambda problem: AwardDraft.objects.filter(problem_id=problem.pk).count(),
        erase=_delete_award_draft,
    )
