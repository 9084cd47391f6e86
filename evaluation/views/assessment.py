"""Views: a problem's evaluation (the before/after design, the costs of the response, EMMIE). The
panels the problem page and the printable summary show are read by
evaluation.selectors.assessment_panels.

Who: the panels are shown to everyone who may see the problem, partner users with a share
included, read-only (the figures are counts of published police.uk crime and the problem's own
assessment, which the share already discloses). Changing the evaluation is for the problem's owner,
the owning force's supervisors and its analysts (`can_assess_problem`); others who see the
problem get 403, outsiders 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.http import AuthenticatedHttpRequest, form_call_service
from evaluation.forms.crime_assessment import CostsForm, DesignForm, EmmieForm
from evaluation.models import EmmieAssessment, EvaluationDesign
from evaluation.selectors.assessment_access import can_assess_problem
from evaluation.selectors.before_after import BeforeAfter, before_after_for_problem
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


def _problem_to_assess(request: AuthenticatedHttpRequest, pk: int) -> Problem:
    problem = problem_get_for_user(user=request.user, pk=pk)
    if not can_assess_problem(request.user, problem):
        raise PermissionDenied
    return problem


def _page(
    request: AuthenticatedHttpRequest,
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
    context = {
        "problem": problem,
        "form": form,
        "heading": heading,
        "intro": intro,
        "coverage": coverage,
        "map_url": map_url,
    }
    return form_call_service(
        request,
        form,
        call,
        success=success,
        done=lambda _: redirect(reverse("problem-detail", kwargs={"pk": problem.pk}) + "#evaluation-heading"),
        refused=lambda _: render(request, "evaluation/assessment_form.html", context),
    )


@require_http_methods(["GET", "POST"])
def assessment_design(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        call=lambda data: evaluation_design_save(actor=request.user, problem=problem, **data),
        coverage=saved if saved is not None and saved.missing_months else None,
        map_url=reverse("assessment-design-map", kwargs={"pk": problem.pk}) if saved is not None else "",
    )


@require_http_methods(["GET", "POST"])
def assessment_costs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        call=lambda data: evaluation_costs_save(actor=request.user, problem=problem, **data),
    )


@require_http_methods(["GET", "POST"])
def assessment_emmie(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        call=lambda data: emmie_save(actor=request.user, problem=problem, **data),
    )


def _problem_url(name: str, view: Any, part: str) -> URLPattern:
    return path(f"problems/<int:pk>/evaluation/{part}", view, name=name)


urlpatterns: list[URLPattern] = [
    _problem_url("assessment-design", assessment_design, "design/"),
    _problem_url("assessment-costs", assessment_costs, "costs/"),
    _problem_url("assessment-emmie", assessment_emmie, "emmie/"),
]


# --- the design on a map (issue 22) -------------------------------------------------------------


@require_GET
def assessment_design_map(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    found = design_map_for(problem=problem, design=EvaluationDesign.objects.filter(problem=problem).first())
    return render(request, "evaluation/assessment_design_map.html", {"problem": problem, "found": found})


@require_GET
def assessment_design_map_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = _problem_to_assess(request, pk)
    found = design_map_for(problem=problem, design=EvaluationDesign.objects.filter(problem=problem).first())
    geojson = found.geojson if found else {"type": "FeatureCollection", "features": []}
    return JsonResponse(geojson, content_type="application/geo+json")


urlpatterns += [
    _problem_url("assessment-design-map", assessment_design_map, "design/map/"),
    _problem_url("assessment-design-map-data", assessment_design_map_data, "design/map/data.geojson"),
]
