"""Views: the form of each SARA part (scanning, analysis, controllers, hypotheses, objectives and
aims, response actions, assessment). The problem page and the stage moves are in problems.views.page.
Thin: fetch through the access helper, bind a form, call one service, redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.forms import form_add_service_errors
from partnerships.models import Organisation
from problems.forms.sara import (
    ActionForm,
    AimsForm,
    AnalysisForm,
    AssessmentForm,
    ControllerForm,
    HypothesisForm,
    ObjectiveForm,
    ScanningForm,
)
from problems.models import Problem, Stage
from problems.selectors import sara as selectors
from problems.selectors.access import (
    organisation_sees_problem,
    problem_get_for_user,
)
from problems.services import sara as services


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _posted(request: HttpRequest) -> Any:
    """The submitted data (even when empty, so that an empty POST is validated), or None on GET."""
    return request.POST if request.method == "POST" else None


# --- the parts held on the problem itself ------------------------------------------------------

PART_PAGES: dict[str, dict[str, Any]] = {
    "Scanning": {
        "form": ScanningForm,
        "service": services.problem_scanning_update,
        "heading": "Scanning",
        "intro": "Define the problem and test it with CHEERS: is it a problem the police and partners should take on?",
    },
    "Analysis": {
        "form": AnalysisForm,
        "service": services.problem_analysis_update,
        "heading": "Analysis: the problem analysis triangle",
        "intro": "What is known about the offenders, the victims or targets, and the location.",
    },
    "Aims": {
        "form": AimsForm,
        "service": services.problem_aims_update,
        "heading": "Aims and evaluation",
        "intro": (
            "The aim as those asking for the problem to be worked see it, the aim once the problem is defined, "
            "and how the work will be evaluated. The objectives set the measures."
        ),
    },
    "Assessment": {
        "form": AssessmentForm,
        "service": services.problem_assessment_update,
        "heading": "Assessment",
        "intro": "Was the response delivered as planned, and what did it achieve?",
    },
}


def _render_form(
    request: HttpRequest,
    problem: Problem,
    form: forms.BaseForm,
    *,
    part: str,
    heading: str,
    intro: str = "",
    revisions: Any = (),
) -> HttpResponse:
    context = {
        "problem": problem,
        "form": form,
        "heading": heading,
        "intro": intro,
        "not_editable": services.part_not_editable_reason(problem, part),
        "revisions": revisions,
    }
    return render(request, "problems/sara_form.html", context)


def _save(request: HttpRequest, form: forms.BaseForm, call: Callable[[], Any], success: str) -> bool:
    """Run the service when the form is valid; its refusal goes on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call()
    except ValidationError as error:
        form_add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _part_view(part: str) -> Callable[[HttpRequest, int], HttpResponse]:
    page = PART_PAGES[part]

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        problem = problem_get_for_user(user=_user(request), pk=pk, action="edit")
        form = page["form"](_posted(request), instance=problem)
        saved = _save(
            request,
            form,
            lambda: page["service"](
                actor=_user(request), problem=problem, seen_version=form.seen_version, **form.cleaned_data
            ),
            f"{part} saved.",
        )
        if saved:
            return redirect("problem-detail", pk=problem.pk)
        return _render_form(request, problem, form, part=part, heading=page["heading"], intro=page["intro"])

    view.__name__ = f"problem_{part.lower()}"
    return view


problem_scanning = _part_view("Scanning")
problem_analysis = _part_view("Analysis")
problem_assessment = _part_view("Assessment")
problem_aims = _part_view("Aims")


# --- controllers, hypotheses, objectives --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def controller_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="edit")
    form = ControllerForm(_posted(request))
    if _save(
        request,
        form,
        lambda: services.controller_add(actor=_user(request), problem=problem, **form.cleaned_data),
        "Controller added.",
    ):
        return redirect("problem-detail", pk=problem.pk)
    return _render_form(request, problem, form, part="Controllers", heading="Add a controller")


@require_http_methods(["GET", "POST"])
def controller_edit(request: HttpRequest, pk: int) -> HttpResponse:
    controller = selectors.controller_get_for_user(user=_user(request), pk=pk, action="edit")
    form = ControllerForm(_posted(request), instance=controller)
    if _save(
        request,
        form,
        lambda: services.controller_update(
            actor=_user(request), controller=controller, seen_version=form.seen_version, **form.cleaned_data
        ),
        "Controller saved.",
    ):
        return redirect("problem-detail", pk=controller.problem_id)
    return _render_form(request, controller.problem, form, part="Controllers", heading="Change a controller")


@require_POST
def controller_delete(request: HttpRequest, pk: int) -> HttpResponse:
    controller = selectors.controller_get_for_user(user=_user(request), pk=pk, action="edit")
    return _run(
        request,
        lambda: services.controller_remove(actor=_user(request), controller=controller),
        "Controller removed.",
        controller.problem_id,
    )


@require_http_methods(["GET", "POST"])
def hypothesis_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="edit")
    form = HypothesisForm(_posted(request))
    if _save(
        request,
        form,
        lambda: services.hypothesis_add(actor=_user(request), problem=problem, **form.cleaned_data),
        "Hypothesis added.",
    ):
        return redirect("problem-detail", pk=problem.pk)
    return _render_form(request, problem, form, part="Hypotheses", heading="Add a hypothesis")


@require_http_methods(["GET", "POST"])
def hypothesis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hypothesis = selectors.hypothesis_get_for_user(user=_user(request), pk=pk, action="edit")
    form = HypothesisForm(_posted(request), instance=hypothesis)
    if _save(
        request,
        form,
        lambda: services.hypothesis_update(
            actor=_user(request), hypothesis=hypothesis, seen_version=form.seen_version, **form.cleaned_data
        ),
        "Hypothesis saved.",
    ):
        return redirect("problem-detail", pk=hypothesis.problem_id)
    return _render_form(request, hypothesis.problem, form, part="Hypotheses", heading="Change a hypothesis")


@require_POST
def hypothesis_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hypothesis = selectors.hypothesis_get_for_user(user=_user(request), pk=pk, action="edit")
    return _run(
        request,
        lambda: services.hypothesis_remove(actor=_user(request), hypothesis=hypothesis),
        "Hypothesis removed.",
        hypothesis.problem_id,
    )


@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="edit")
    form = ObjectiveForm(_posted(request))
    if _save(
        request,
        form,
        lambda: services.objective_add(actor=_user(request), problem=problem, **form.service_fields()),
        "Objective added.",
    ):
        return redirect("problem-detail", pk=problem.pk)
    return _render_form(request, problem, form, part="Objectives", heading="Add an objective")


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_user(user=_user(request), pk=pk, action="edit")
    with_result = selectors.stage_reached(objective.problem, Stage.ASSESSMENT)
    form = ObjectiveForm(
        _posted(request),
        instance=objective,
        with_result=with_result,
        # From the response on, a new baseline or target is a revision with a reason.
        revision=selectors.stage_reached(objective.problem, Stage.RESPONSE),
    )
    if _save(
        request,
        form,
        lambda: services.objective_update(
            actor=_user(request), objective=objective, seen_version=form.seen_version, **form.service_fields()
        ),
        "Objective saved.",
    ):
        return redirect("problem-detail", pk=objective.problem_id)
    heading = "Record the objective's result" if with_result else "Change an objective"
    revisions = objective.revisions.select_related("by")
    return _render_form(request, objective.problem, form, part="Objectives", heading=heading, revisions=revisions)


@require_POST
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_user(user=_user(request), pk=pk, action="edit")
    return _run(
        request,
        lambda: services.objective_remove(actor=_user(request), objective=objective),
        "Objective removed.",
        objective.problem_id,
    )


# --- response actions ---------------------------------------------------------------------------

ACTION_ORGANISATION_CANNOT_SEE = (
    "{organisation} cannot see this problem (it is not shared with them), so nobody there has been told of the action."
)
SHARE_WITH = "Share this problem with {organisation}"


def _warn_if_not_shared(request: HttpRequest, problem: Problem, organisation: Organisation) -> None:
    """An action assigned to an organisation that cannot see the problem: say so, and offer the
    share form with that organisation chosen."""
    if organisation_sees_problem(organisation=organisation, problem=problem):
        return
    warning = ACTION_ORGANISATION_CANNOT_SEE.format(organisation=organisation.name)
    if organisation.is_police:
        messages.warning(request, warning)
        return
    url = f"{reverse('problem-share', kwargs={'pk': problem.pk})}?organisation={organisation.pk}"
    messages.warning(
        request,
        format_html(
            '{} <a class="alert-link" href="{}">{}</a>.',
            warning,
            url,
            SHARE_WITH.format(organisation=organisation.name),
        ),
    )


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="edit")
    form = ActionForm(_posted(request), problem=problem)
    if _save(
        request,
        form,
        lambda: services.action_add(actor=_user(request), problem=problem, **form.service_fields()),
        "Action added.",
    ):
        _warn_if_not_shared(request, problem, form.cleaned_data["responsible_organisation"])
        return redirect("problem-detail", pk=problem.pk)
    return _render_form(request, problem, form, part="Response actions", heading="Add a response action")


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user(user=_user(request), pk=pk, action="edit")
    form = ActionForm(_posted(request), instance=action, problem=action.problem)
    if _save(
        request,
        form,
        lambda: services.action_update(
            actor=_user(request), action=action, seen_version=form.seen_version, **form.service_fields()
        ),
        "Action saved.",
    ):
        _warn_if_not_shared(request, action.problem, form.cleaned_data["responsible_organisation"])
        return redirect("problem-detail", pk=action.problem_id)
    return _render_form(request, action.problem, form, part="Response actions", heading="Change a response action")


def _run(request: HttpRequest, call: Callable[[], Any], success: str, problem_pk: int) -> HttpResponse:
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("problem-detail", pk=problem_pk)


def _problem_url(name: str, view: Callable[..., HttpResponse], part: str = "") -> URLPattern:
    return path(f"problems/<int:pk>/{part}", view, name=name)


urlpatterns: list[URLPattern] = [
    _problem_url("problem-scanning", problem_scanning, "scanning/"),
    _problem_url("problem-analysis", problem_analysis, "analysis/"),
    _problem_url("problem-assessment", problem_assessment, "assessment/"),
    _problem_url("problem-aims", problem_aims, "aims/"),
    _problem_url("controller-create", controller_create, "controllers/new/"),
    path("controllers/<int:pk>/edit/", controller_edit, name="controller-edit"),
    path("controllers/<int:pk>/delete/", controller_delete, name="controller-delete"),
    _problem_url("hypothesis-create", hypothesis_create, "hypotheses/new/"),
    path("hypotheses/<int:pk>/edit/", hypothesis_edit, name="hypothesis-edit"),
    path("hypotheses/<int:pk>/delete/", hypothesis_delete, name="hypothesis-delete"),
    _problem_url("objective-create", objective_create, "objectives/new/"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/delete/", objective_delete, name="objective-delete"),
    _problem_url("action-create", action_create, "actions/new/"),
    path("actions/<int:pk>/edit/", action_edit, name="action-edit"),
]
