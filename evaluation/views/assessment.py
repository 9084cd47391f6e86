"""Views: a problem's evaluation (the before/after design, the costs of the response, EMMIE), and
the panels the problem page and the printable summary show through problems.panels.

Who: the panels are shown to everyone who may see the problem, partner users with a share
included, read-only (the figures are counts of published police.uk crime and the problem's own
assessment, which the share already discloses). Changing the evaluation is for the problem's owner,
the owning force's supervisors and its analysts (`can_assess_problem`); others who see the
problem get 403, outsiders 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.forms import form_add_service_errors
from evaluation.forms.crime_assessment import CostsForm, DesignForm, EmmieForm
from evaluation.models import EmmieAssessment, EvaluationDesign
from evaluation.selectors.assessment_access import can_assess_problem
from evaluation.selectors.before_after import BeforeAfter, before_after_for_problem
from evaluation.selectors.cost_benefit import cost_benefit_for_problem
from evaluation.selectors.crime import crime_types_held
from evaluation.selectors.design_map import design_map_for
from evaluation.services.assessment import (
    DESIGN_FIELDS,
    emmie_save,
    evaluation_costs_save,
    evaluation_design_save,
)
from problems.models import Problem
from problems.selectors.access import problem_get_for_user


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _problem_to_assess(request: HttpRequest, pk: int) -> Problem:
    problem = problem_get_for_user(user=_user(request), pk=pk)
    if not can_assess_problem(_user(request), problem):
        raise PermissionDenied
    return problem


def _page(
    request: HttpRequest,
    problem: Problem,
    form: forms.BaseForm,
    *,
    heading: str,
    intro: str,
    success: str,
    call: Any,
    coverage: BeforeAfter | None = None,
    map_url: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(reverse("problem-detail", kwargs={"pk": problem.pk}) + "#evaluation-heading")
    context = {
        "problem": problem,
        "form": form,
        "heading": heading,
        "intro": intro,
        "coverage": coverage,
        "map_url": map_url,
    }
    return render(request, "evaluation/assessment_form.html", context)


@require_http_methods(["GET", "POST"])
def assessment_design(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    design = EvaluationDesign.objects.filter(problem=problem).first()
    initial = {name: getattr(design, name) for name in DESIGN_FIELDS} if design else {}
    form = DesignForm(request.POST or None, initial=initial, crime_types=crime_types_held())
    # The saved design's months with no crime data held, warned about above the form.
    saved = before_after_for_problem(problem=problem, design=design) if design else None
    return _page(
        request,
        problem,
        form,
        heading="Before and after: the design",
        intro="Which crimes to count, where, and over how many months either side of the response.",
        success="The before/after design is saved.",
        call=lambda data: evaluation_design_save(actor=_user(request), problem=problem, **data),
        coverage=saved if saved is not None and saved.missing_months else None,
        map_url=reverse("assessment-design-map", kwargs={"pk": problem.pk}) if saved is not None else "",
    )


@require_http_methods(["GET", "POST"])
def assessment_costs(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    design = EvaluationDesign.objects.filter(problem=problem).first()
    initial = {name: getattr(design, name) for name in CostsForm.base_fields} if design else {}
    form = CostsForm(request.POST or None, initial=initial)
    return _page(
        request,
        problem,
        form,
        heading="Costs of the response",
        intro="What the response cost, to set against the value of the crimes it prevented.",
        success="The costs are saved.",
        call=lambda data: evaluation_costs_save(actor=_user(request), problem=problem, **data),
    )


@require_http_methods(["GET", "POST"])
def assessment_emmie(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    emmie = EmmieAssessment.objects.filter(problem=problem).first()
    form = EmmieForm(request.POST or None, instance=emmie)
    return _page(
        request,
        problem,
        form,
        heading="EMMIE",
        intro="Effect, mechanism, moderators, implementation and economics: what worked, how, where, and at what cost.",
        success="EMMIE is saved.",
        call=lambda data: emmie_save(actor=_user(request), problem=problem, **data),
    )


# --- the panels on the problem's pages (registered from EvaluationConfig.ready) -----------------


def chart_data(result: BeforeAfter) -> dict[str, Any]:
    """The chart's data, for json_script: month labels, one series per area, where "after" starts."""
    return {
        "labels": [f"{month:%b %Y}" for month in result.months],
        "series": [{"label": area.label, "counts": area.monthly} for area in result.areas],
        "afterIndex": result.after_start_index,
    }


def _evaluation(problem: Problem) -> dict[str, Any]:
    # The design and EMMIE in one query (two LEFT JOINs); a problem with neither costs nothing more.
    found = Problem.objects.filter(pk=problem.pk).select_related("evaluation_design", "emmie").first()
    design: EvaluationDesign | None = getattr(found, "evaluation_design", None)
    emmie: EmmieAssessment | None = getattr(found, "emmie", None)
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

    register_stage_panel("assessment", "evaluation/assessment_panel.html", assessment_panel_context)
    register_stage_panel("summary", "evaluation/assessment_summary.html", assessment_summary_context)


def _problem_url(name: str, view: Any, part: str) -> URLPattern:
    return path(f"problems/<int:pk>/evaluation/{part}", view, name=name)


urlpatterns: list[URLPattern] = [
    _problem_url("assessment-design", assessment_design, "design/"),
    _problem_url("assessment-costs", assessment_costs, "costs/"),
    _problem_url("assessment-emmie", assessment_emmie, "emmie/"),
]


# --- the design on a map (issue 22) -------------------------------------------------------------


@require_GET
def assessment_design_map(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    found = design_map_for(problem=problem, design=EvaluationDesign.objects.filter(problem=problem).first())
    return render(request, "evaluation/assessment_design_map.html", {"problem": problem, "found": found})


@require_GET
def assessment_design_map_data(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    found = design_map_for(problem=problem, design=EvaluationDesign.objects.filter(problem=problem).first())
    geojson = found.geojson if found else {"type": "FeatureCollection", "features": []}
    return JsonResponse(geojson, content_type="application/geo+json")


urlpatterns += [
    _problem_url("assessment-design-map", assessment_design_map, "design/map/"),
    _problem_url("assessment-design-map-data", assessment_design_map_data, "design/map/data.geojson"),
]
