"""Views: community priorities (list, set, page, change), deciding on one, recording what was done,
and opening a problem from one. Thin: fetch through the access helper, bind a form, call one
service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_list_search
from core.forms import form_add_service_errors
from core.pagination import paginate
from engagement.forms.events import NeighbourhoodFilterForm
from engagement.forms.priorities import PriorityActionForm, PriorityForm, PriorityProblemForm, PriorityStatusForm
from engagement.models import CommunityPriority, PriorityStatus
from engagement.selectors.access import (
    can_change_in,
    can_record_engagement,
    events_visible_to,
    neighbourhoods_editable_by,
    priority_get_for_user,
    priority_source_survey_for,
)
from engagement.selectors.lists import (
    neighbourhood_choices_for,
    priority_detail_queryset,
    priority_list_visible_to,
    problems_linked_for,
)
from engagement.services.priorities import (
    priority_action_add,
    priority_create,
    priority_problem_create,
    priority_set_status,
    priority_update,
)
from engagement.views.common import PAGE_SIZE, request_user
from problems.selectors.access import can_create_problem

STATUS_MESSAGES = {
    PriorityStatus.ADOPTED: "Priority adopted: it now appears on the neighbourhood's public page.",
    PriorityStatus.IN_PROGRESS: "Priority marked in progress.",
    PriorityStatus.RESOLVED: "Priority marked resolved.",
    PriorityStatus.NOT_ADOPTED: "Priority recorded as not adopted.",
    PriorityStatus.PROPOSED: "Priority proposed again.",
}


@require_GET
def priority_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NeighbourhoodFilterForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    status = request.GET.get("status", "")
    status = status if status in PriorityStatus.values else ""
    priorities = priority_list_visible_to(user=user, neighbourhood=form.chosen(), status=status)
    page = paginate(request, priorities, PAGE_SIZE)
    audit_list_search(actor=user, page="priority-list", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "status": status,
        "statuses": PriorityStatus.choices,
        "can_create": can_record_engagement(user),
    }
    return render(request, "engagement/priority_list.html", context)


@require_http_methods(["GET", "POST"])
def priority_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_record_engagement(user):
        raise PermissionDenied
    neighbourhoods = neighbourhoods_editable_by(user)
    events = events_visible_to(user).filter(neighbourhood__in=neighbourhoods).order_by("-held_on")
    initial: dict[str, Any] = {}
    if request.method == "GET" and (event_id := request.GET.get("event", "")).isdigit():
        # "Set a priority" from a meeting's page: the meeting and its neighbourhood are chosen.
        event = events.filter(pk=event_id).first()
        if event is not None:
            initial = {"event": event.pk, "neighbourhood": event.neighbourhood_id, "issue_date": event.held_on}
    form = PriorityForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        neighbourhoods=neighbourhoods,
        events=events,
    )
    if request.method == "POST" and form.is_valid():
        try:
            priority = priority_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Priority set. Adopt it to publish it on the neighbourhood's public page.")
            return redirect("priority-detail", pk=priority.pk)
    return render(request, "engagement/priority_form.html", {"form": form, "priority": None})


@require_GET
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    priority = priority_get_for_user(user=user, pk=pk, queryset=priority_detail_queryset())
    can_change = can_change_in(user, priority.neighbourhood)
    context = {
        "priority": priority,
        "problems": problems_linked_for(user=user, priority=priority),
        "source_survey": priority_source_survey_for(user, priority),
        "can_change": can_change,
        "status_form": PriorityStatusForm(priority=priority) if can_change and priority.next_statuses else None,
        "can_create_problem": can_change and can_create_problem(user) and priority.can_become_problem,
    }
    return render(request, "engagement/priority_detail.html", context)


@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    priority = priority_get_for_user(user=user, pk=pk, action="change")
    events = events_visible_to(user).filter(neighbourhood_id=priority.neighbourhood_id).order_by("-held_on")
    if request.method == "POST":
        form = PriorityForm(request.POST, neighbourhoods=None, events=events, editing=True)
        if form.is_valid():
            try:
                priority_update(actor=user, priority=priority, seen_version=form.seen_version, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Priority saved.")
                return redirect("priority-detail", pk=priority.pk)
    else:
        form = PriorityForm(
            initial=PriorityForm.initial_for(priority), neighbourhoods=None, events=events, editing=True
        )
    return render(request, "engagement/priority_form.html", {"form": form, "priority": priority})


@require_POST
def priority_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    priority = priority_get_for_user(user=user, pk=pk, action="change", queryset=priority_detail_queryset())
    form = PriorityStatusForm(request.POST, priority=priority)
    if form.is_valid():
        try:
            priority_set_status(
                actor=user,
                priority=priority,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
                seen_status=form.cleaned_data["seen_status"] or None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, STATUS_MESSAGES[form.cleaned_data["status"]])
            return redirect("priority-detail", pk=priority.pk)
    # Shown again on the priority's page, with the error summary and what was chosen.
    context = {
        "priority": priority,
        "problems": problems_linked_for(user=user, priority=priority),
        "can_change": True,
        "status_form": form,
        "form": form,
        "can_create_problem": False,
    }
    return render(request, "engagement/priority_detail.html", context)


@require_http_methods(["GET", "POST"])
def priority_action_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    priority = priority_get_for_user(user=user, pk=pk, action="change")
    form = PriorityActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            priority_action_add(actor=user, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Action recorded.")
            return redirect("priority-detail", pk=priority.pk)
    return render(request, "engagement/priority_action_form.html", {"form": form, "priority": priority})


@require_http_methods(["GET", "POST"])
def priority_problem_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    priority: CommunityPriority = priority_get_for_user(user=user, pk=pk, action="change")
    if not can_create_problem(user):
        raise PermissionDenied
    form = PriorityProblemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = priority_problem_create(actor=user, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Problem {problem.reference} opened from the priority.")
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "engagement/priority_problem_form.html", {"form": form, "priority": priority})


urlpatterns: list[URLPattern] = [
    path("priorities/", priority_list, name="priority-list"),
    path("priorities/new/", priority_create_view, name="priority-create"),
    path("priorities/<int:pk>/", priority_detail, name="priority-detail"),
    path("priorities/<int:pk>/edit/", priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/status/", priority_status, name="priority-status"),
    path("priorities/<int:pk>/actions/new/", priority_action_add_view, name="priority-action-add"),
    path("priorities/<int:pk>/problem/", priority_problem_create_view, name="priority-problem-create"),
]
