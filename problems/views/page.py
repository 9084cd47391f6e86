"""Views: the problem page (the SARA stages as a task list, the lead and team, the panels) and the
stage moves (advance, sign-off, reopen). Thin: fetch through the access helper, bind a form, call
one service (core.http.form_call_service), redirect or render. The page's data comes from one
selector (problems.selectors.page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from core.http import AuthenticatedHttpRequest, form_call_service
from problems.forms.decisions import DecisionConfirmForm
from problems.forms.sara import AdvanceForm, ReopenForm, SignOffForm
from problems.models import Problem
from problems.models.problems import STAGE_ORDER
from problems.selectors.access import problem_get_for_user
from problems.selectors.page import page_number, problem_page_context, problem_page_get_for_user
from problems.selectors.sara import earlier_stages
from problems.services import stages as stage_services
from problems.services.contributions import problem_consulted

# The query string's page of the "Who has seen or received this problem" panel.
SEEN_PAGE_PARAMETER = "seen"


def _render_page(
    request: AuthenticatedHttpRequest, problem: Problem, form: forms.BaseForm | None = None, *, recorded: bool = False
) -> HttpResponse:
    seen_page = page_number(request.GET.get(SEEN_PAGE_PARAMETER))
    page = problem_page_context(user=request.user, problem=problem, seen_page=seen_page, this_view_recorded=recorded)
    context: dict[str, Any] = {
        "page": page,
        "problem": problem,
        "form": form,
        # The panel of who has seen the problem is open when the user pages through it.
        "seen_open": SEEN_PAGE_PARAMETER in request.GET,
        "summary_url": f"/problems/{problem.pk}/summary/",
        # A refused confirmation of a joint decision: its entry keeps the note typed.
        "confirm_form": form if isinstance(form, DecisionConfirmForm) else None,
        # A refused move keeps the note the user typed.
        "advance_form": form if isinstance(form, AdvanceForm) else AdvanceForm(initial={"seen_stage": problem.stage}),
        "sign_off_form": form if isinstance(form, SignOffForm) else SignOffForm(initial={"seen_stage": problem.stage}),
    }
    return render(request, "problems/problem_detail.html", context)


def problem_page_refused(request: AuthenticatedHttpRequest, pk: int, form: forms.BaseForm) -> HttpResponse:
    """The problem page again after an action on it was refused, its error summary listing why
    (`form` carries the errors and what was typed)."""
    return _render_page(request, problem_page_get_for_user(user=request.user, pk=pk), form)


@require_http_methods(["GET"])
def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = problem_page_get_for_user(user=request.user, pk=pk)
    if problem.disposed_at is not None:
        # Metadata only (problems.services.retention): nothing of the case is left to consult.
        return render(request, "problems/problem_disposed.html", {"problem": problem, "disposal": problem.disposal})
    problem_consulted(actor=request.user, problem=problem, how="page")
    return _render_page(request, problem, recorded=True)


@require_POST
def problem_advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=request.user, pk=pk, action="change")
    return form_call_service(
        request,
        AdvanceForm(request.POST),
        lambda data: stage_services.problem_advance_stage(
            actor=request.user, problem=problem, note=data["note"], seen_stage=data["seen_stage"] or None
        ),
        success=lambda moved: f"{moved.reference} moved to {moved.get_stage_display().lower()}.",
        done=lambda moved: redirect("problem-detail", pk=moved.pk),
        # Refused: the problem page again, its error summary listing everything missing.
        refused=lambda form: problem_page_refused(request, pk, form),
    )


@require_POST
def problem_sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=request.user, pk=pk, action="sign_off")
    return form_call_service(
        request,
        SignOffForm(request.POST),
        lambda data: stage_services.problem_sign_off(
            actor=request.user, problem=problem, seen_stage=data["seen_stage"] or None, note=data["note"]
        ),
        success="You signed off the assessment. The problem can now be closed.",
        done=lambda _: redirect("problem-detail", pk=problem.pk),
        refused=lambda form: problem_page_refused(request, pk, form),
    )


@require_http_methods(["GET", "POST"])
def problem_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=request.user, pk=pk, action="change")
    # The choices the user was offered: those before the stage they saw (the service refuses, and
    # says who moved it, when the problem has moved since).
    seen_stage = request.POST.get("seen_stage", "") if request.method == "POST" else ""
    stages = list(STAGE_ORDER[: STAGE_ORDER.index(seen_stage)]) if seen_stage in STAGE_ORDER else None
    form = ReopenForm(
        request.POST if request.method == "POST" else None,
        stages=stages if stages is not None else earlier_stages(problem),
        # "Return it to response with a note" beside the sign-off links here with the stage chosen.
        initial={"seen_stage": problem.stage, "to_stage": request.GET.get("to_stage", "")},
    )
    return form_call_service(
        request,
        form,
        lambda data: stage_services.problem_reopen(
            actor=request.user,
            problem=problem,
            to_stage=data["to_stage"],
            reason=data["reason"],
            seen_stage=data["seen_stage"] or None,
        ),
        success=lambda reopened: f"{reopened.reference} reopened at {reopened.get_stage_display().lower()}.",
        done=lambda reopened: redirect("problem-detail", pk=reopened.pk),
        refused=lambda form: render(request, "problems/problem_reopen.html", {"form": form, "problem": problem}),
    )


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/", problem_detail, name="problem-detail"),
    path("problems/<int:pk>/advance/", problem_advance, name="problem-advance"),
    path("problems/<int:pk>/sign-off/", problem_sign_off, name="problem-sign-off"),
    path("problems/<int:pk>/reopen/", problem_reopen, name="problem-reopen"),
]
