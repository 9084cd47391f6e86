"""Views: handing a problem over, acknowledging a handover, a supervisor's reassignment of several
problems, and the problem team. Thin: fetch through the access helpers, bind a form, call one
service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.access import get_visible_or_404
from core.forms import form_add_service_errors
from problems.forms.leads import HandoverForm, ReassignForm, TeamAddForm
from problems.selectors.access import can_reassign_problems, problem_get_for_user
from problems.selectors.leads import (
    handover_get_for_user,
    problem_list_open_led_by,
    reassignable_leads,
    team_list_for_problem,
    team_member_get_for_problem,
)
from problems.services import leads as services


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
def problem_handover(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change")
    form = HandoverForm(request.POST if request.method == "POST" else None, problem=problem, actor_pk=user.pk)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.problem_hand_over(
                actor=user, problem=problem, **{"keep_following": False, **form.cleaned_data}
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{problem.reference} handed over to {handover.to_user.full_name}. "
                "It shows as awaiting acknowledgement until they acknowledge it.",
            )
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "problems/handover_form.html", {"form": form, "problem": problem})


@require_POST
def handover_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    handover = handover_get_for_user(user=user, pk=pk)
    try:
        services.handover_acknowledge(actor=user, handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You acknowledged the handover: you now lead {handover.problem.reference}.")
    return redirect("problem-detail", pk=handover.problem_id)


@require_http_methods(["GET", "POST"])
def problem_reassign(request: HttpRequest) -> HttpResponse:
    """A supervisor picks an officer, then some or all of their open problems and the new lead."""
    user = _user(request)
    if not can_reassign_problems(user):
        raise PermissionDenied(services.REASSIGN_NOT_SUPERVISOR)
    leads = reassignable_leads(user=user)
    lead_pk = request.POST.get("lead") or request.GET.get("lead")
    context: dict[str, object] = {"leads": leads, "lead": None, "form": None}
    if lead_pk:
        lead = get_visible_or_404(User.objects.filter(organisation_id=user.organisation_id), pk=lead_pk)
        open_problems = problem_list_open_led_by(user=user, lead=lead)
        form = ReassignForm(
            request.POST if request.method == "POST" else None,
            open_problems=open_problems,
            lead=lead,
            force_name=user.organisation.name,
        )
        if request.method == "POST" and form.is_valid():
            try:
                handovers = services.problems_reassign(
                    actor=user,
                    problems=form.chosen_problems(),
                    to_user=form.cleaned_data["to_user"],
                    note=form.cleaned_data["note"],
                    outstanding_items=form.cleaned_data["outstanding_items"],
                    known_risks=form.cleaned_data["known_risks"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                count = len(handovers)
                messages.success(
                    request,
                    f"{count} problem{'s' if count != 1 else ''} reassigned from {lead.full_name} "
                    f"to {form.cleaned_data['to_user'].full_name}.",
                )
                return redirect("problem-list")
        context.update(lead=lead, form=form, open_problems=open_problems)
    elif request.method == "POST":
        raise Http404("Choose whose problems to reassign.")
    return render(request, "problems/reassign_form.html", context)


@require_http_methods(["GET", "POST"])
def problem_team(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change")
    form = TeamAddForm(request.POST if request.method == "POST" else None, problem=problem)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.problem_team_add(actor=user, problem=problem, user=form.cleaned_data["user"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{member.user.full_name} added to the team of {problem.reference}.")
            return redirect("problem-team", pk=problem.pk)
    context = {"form": form, "problem": problem, "team": team_list_for_problem(problem=problem)}
    return render(request, "problems/team_form.html", context)


@require_POST
def problem_team_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change")
    member = team_member_get_for_problem(problem=problem, user_pk=user_pk)
    services.problem_team_remove(actor=user, problem=problem, member=member)
    messages.success(request, f"{member.user.full_name} taken off the team of {problem.reference}.")
    return redirect("problem-team", pk=problem.pk)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/handover/", problem_handover, name="problem-handover"),
    path("problems/reassign/", problem_reassign, name="problem-reassign"),
    path("problems/handovers/<int:pk>/acknowledge/", handover_acknowledge, name="problem-handover-acknowledge"),
    path("problems/<int:pk>/team/", problem_team, name="problem-team"),
    path("problems/<int:pk>/team/<int:user_pk>/remove/", problem_team_remove, name="problem-team-remove"),
]
