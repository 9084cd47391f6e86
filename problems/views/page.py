"""Views: the problem page (the SARA stages as a task list, the lead and team, the panels) and the
stage moves (advance, sign-off, reopen). Thin: fetch through the access helper, bind a form, call
one service, redirect or render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.forms import form_add_service_errors
from problems.forms.sara import AdvanceForm, ReopenForm, SignOffForm
from problems.models import Problem, Stage
from problems.models.problems import STAGE_ORDER
from problems.selectors import sara as selectors
from problems.selectors.access import (
    can_change_problem,
    can_contribute_to_problem,
    can_edit_problem_sections,
    can_review_problem,
    can_sign_off_problem,
    problem_get_for_user,
)
from problems.selectors.disclosure import problem_disclosure
from problems.selectors.following import follower_for
from problems.selectors.leads import problem_people
from problems.services import sara as services
from problems.services import stages as stage_services
from problems.services.contributions import problem_consulted as consulted


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _editable_parts(problem: Problem, can_change: bool) -> dict[str, bool]:
    """For each part's links on the problem page: may it be changed now?"""
    return {
        part.lower().replace(" ", "_"): can_change and services.part_not_editable_reason(problem, part) is None
        for part in services.PART_STAGES
    }


# --- the problem page ---------------------------------------------------------------------------


def _detail_context(request: HttpRequest, problem: Problem, form: forms.Form | None = None) -> dict[str, Any]:
    user = _user(request)
    can_change = can_change_problem(user, problem)
    can_edit = can_change or can_edit_problem_sections(user, problem)
    following = selectors.next_stage(problem)
    shown = problem_disclosure(user=user, problem=problem)
    withheld = None if shown.disclosure.everything else (lambda action: action not in shown.actions.entries)
    return {
        "problem": problem,
        "shown": shown,
        "tasks": selectors.problem_stage_tasks(problem, withheld),
        "next_stage_label": Stage(following).label if following else "",
        "missing": selectors.problem_missing_for_next_stage(problem, withheld),
        "can_change": can_change,
        "people": problem_people(problem=problem),
        "can_hand_over": can_change and problem.is_open,
        "can_contribute": can_contribute_to_problem(user, problem),
        "can_review": can_review_problem(user, problem),
        "can_advance": can_change and following is not None,
        "can_sign_off": (
            can_sign_off_problem(user, problem) and problem.stage == Stage.ASSESSMENT and problem.signed_off_at is None
        ),
        "can_reopen": can_change and bool(selectors.earlier_stages(problem)),
        "can_edit": can_edit,
        "editable": _editable_parts(problem, can_edit),
        "with_results": selectors.stage_reached(problem, Stage.ASSESSMENT),
        "summary_url": f"/problems/{problem.pk}/summary/",
        "follower": follower_for(user=user, problem=problem),
        "form": form,
        # A refused move keeps the note the user typed.
        "advance_form": form if isinstance(form, AdvanceForm) else AdvanceForm(initial={"seen_stage": problem.stage}),
        "sign_off_form": form if isinstance(form, SignOffForm) else SignOffForm(initial={"seen_stage": problem.stage}),
        # Closing waits on the sign-off: say so instead of offering a move that would be refused.
        "awaiting_sign_off": problem.stage == Stage.ASSESSMENT and problem.signed_off_at is None,
    }


def _problem_for_page(request: HttpRequest, pk: int) -> Problem:
    return problem_get_for_user(user=_user(request), pk=pk, queryset=selectors.problem_detail_queryset())


def problem_page_refused(request: HttpRequest, pk: int, form: forms.Form) -> HttpResponse:
    """The problem page again after an action on it was refused, its error summary listing why
    (`form` carries the errors and what was typed)."""
    return render(
        request, "problems/problem_detail.html", _detail_context(request, _problem_for_page(request, pk), form)
    )


@require_http_methods(["GET"])
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_for_page(request, pk)
    if problem.disposed_at is not None:
        # Metadata only (problems.services.retention): nothing of the case is left to consult.
        return render(request, "problems/problem_disposed.html", {"problem": problem, "disposal": problem.disposal})
    consulted(actor=_user(request), problem=problem, how="page")
    return render(request, "problems/problem_detail.html", _detail_context(request, problem))


@require_POST
def problem_advance(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="change")
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            problem = stage_services.problem_advance_stage(
                actor=_user(request),
                problem=problem,
                note=form.cleaned_data["note"],
                seen_stage=form.cleaned_data["seen_stage"] or None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{problem.reference} moved to {problem.get_stage_display().lower()}.")
            return redirect("problem-detail", pk=problem.pk)
    # Refused: the problem page again, its error summary listing everything missing.
    return problem_page_refused(request, pk, form)


@require_POST
def problem_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="sign_off")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return problem_page_refused(request, pk, form)
    try:
        stage_services.problem_sign_off(
            actor=_user(request),
            problem=problem,
            seen_stage=form.cleaned_data["seen_stage"] or None,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        form_add_service_errors(form, error)
        return problem_page_refused(request, pk, form)
    messages.success(request, "You signed off the assessment. The problem can now be closed.")
    return redirect("problem-detail", pk=problem.pk)


@require_http_methods(["GET", "POST"])
def problem_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="change")
    # The choices the user was offered: those before the stage they saw (the service refuses, and
    # says who moved it, when the problem has moved since).
    seen_stage = request.POST.get("seen_stage", "") if request.method == "POST" else ""
    stages = list(STAGE_ORDER[: STAGE_ORDER.index(seen_stage)]) if seen_stage in STAGE_ORDER else None
    form = ReopenForm(
        request.POST if request.method == "POST" else None,
        stages=stages if stages is not None else selectors.earlier_stages(problem),
        # "Return it to response with a note" beside the sign-off links here with the stage chosen.
        initial={"seen_stage": problem.stage, "to_stage": request.GET.get("to_stage", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            stage_services.problem_reopen(
                actor=_user(request),
                problem=problem,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                seen_stage=form.cleaned_data["seen_stage"] or None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{problem.reference} reopened at {problem.get_stage_display().lower()}.")
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "problems/problem_reopen.html", {"form": form, "problem": problem})


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/", problem_detail, name="problem-detail"),
    path("problems/<int:pk>/advance/", problem_advance, name="problem-advance"),
    path("problems/<int:pk>/sign-off/", problem_sign_off, name="problem-sign-off"),
    path("problems/<int:pk>/reopen/", problem_reopen, name="problem-reopen"),
]
