"""The panels the evaluation adds to a problem's pages through problems.panels: the assessment
section of the problem page (before/after, costs and benefits, EMMIE, with links for those who may
change them) and the printable summary. Reads only: registered from EvaluationConfig.ready().

The problem page's selector fetches the problem with its design and EMMIE (the `select_related`
these panels register), so the panel asks nothing more for them; a problem fetched without them
(the printable summary's) gets both in one query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaluation.models import EmmieAssessment, EvaluationDesign
from evaluation.selectors.assessment_access import can_assess_problem
from evaluation.selectors.before_after import BeforeAfter, before_after_for_problem
from evaluation.selectors.cost_benefit import cost_benefit_for_problem
from problems.models import Problem

if TYPE_CHECKING:
    from accounts.models import User

# The problem's one-to-one rows these panels read.
PANEL_RELATIONS = ("evaluation_design", "emmie")


def chart_data(result: BeforeAfter) -> dict[str, Any]:
    """The chart's data, for json_script: month labels, one series per area, where "after" starts."""
    return {
        "labels": [f"{month:%b %Y}" for month in result.months],
        "series": [{"label": area.label, "counts": area.monthly} for area in result.areas],
        "afterIndex": result.after_start_index,
    }


def _design_and_emmie(problem: Problem) -> tuple[EvaluationDesign | None, EmmieAssessment | None]:
    fetched = all(Problem._meta.get_field(name).is_cached(problem) for name in PANEL_RELATIONS)  # type: ignore[union-attr]
    # Otherwise the design and EMMIE in one query (two LEFT JOINs); a problem with neither costs nothing more.
    found = problem if fetched else Problem.objects.filter(pk=problem.pk).select_related(*PANEL_RELATIONS).first()
    return getattr(found, "evaluation_design", None), getattr(found, "emmie", None)


def _evaluation(problem: Problem) -> dict[str, Any]:
    design, emmie = _design_and_emmie(problem)
    result = before_after_for_problem(problem=problem, design=design) if design else None
    return {
        "problem": problem,
        "design": design,
        "result": result,
        "reading": result.reading() if result else [],
        # Crimes prevented are an effect estimate: withheld with the effect size.
        "cost_benefit": cost_benefit_for_problem(problem=problem, design=design, before_after=result)
        if result and not result.effect_withheld
        else None,
        "cost_benefit_withheld": bool(result and result.effect_withheld),
        "emmie": emmie,
    }


def assessment_panel_context(*, problem: Problem, user: User) -> dict[str, Any] | None:
    context = _evaluation(problem)
    context["can_assess"] = can_assess_problem(user, problem)
    context["chart"] = chart_data(context["result"]) if context["result"] else None
    return context


def assessment_summary_context(*, problem: Problem, user: User) -> dict[str, Any] | None:
    return _evaluation(problem)


def register_panels() -> None:
    from problems.panels import register_stage_panel

    register_stage_panel(
        "assessment", "evaluation/assessment_panel.html", assessment_panel_context, select_related=PANEL_RELATIONS
    )
    register_stage_panel("summary", "evaluation/assessment_summary.html", assessment_summary_context)
