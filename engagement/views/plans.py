"""Views: co-produced safety plans (list, start, page, change), their contributions and actions.
Thin: fetch through the access helper, bind a form, call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_list_search
from core.forms import form_add_service_errors
from core.pagination import paginate
from engagement.forms.events import NeighbourhoodFilterForm
from engagement.forms.plans import ContributionForm, PlanActionForm, PlanForm
from engagement.models import Party, SafetyPlan
from engagement.selectors.access import (
    can_change_in,
    can_record_engagement,
    neighbourhoods_editable_by,
    plan_get_for_user,
)
from engagement.selectors.lists import neighbourhood_choices_for, plan_detail_queryset, plan_list_visible_to
from engagement.services.plans import plan_action_add, plan_contribution_add, plan_create, plan_update
from engagement.views.common import PAGE_SIZE, request_user


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NeighbourhoodFilterForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    page = paginate(request, plan_list_visible_to(user=user, neighbourhood=form.chosen()), PAGE_SIZE)
    audit_list_search(actor=user, page="plan-list", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_create": can_record_engagement(user)}
    return render(request, "engagement/plan_list.html", context)


@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_record_engagement(user):
        raise PermissionDenied
    form = PlanForm(request.POST if request.method == "POST" else None, neighbourhoods=neighbourhoods_editable_by(user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Safety plan started. Record who contributed and the actions each party owns.")
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "engagement/plan_form.html", {"form": form, "plan": None})


def _parties(plan: SafetyPlan) -> dict[str, bool]:
    """Which parties contributed and which own actions, from the prefetched rows (no query)."""
    contributed = {c.party for c in plan.contributions.all()}
    owning = {a.party for a in plan.actions.all()}
    return {
        "residents_contributed": Party.RESIDENTS in contributed,
        "partners_contributed": Party.PARTNER in contributed,
        "residents_own_actions": Party.RESIDENTS in owning,
        "partners_own_actions": Party.PARTNER in owning,
    }


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = plan_get_for_user(user=user, pk=pk, queryset=plan_detail_queryset())
    parties = _parties(plan)
    context = {
        "plan": plan,
        "parties": parties,
        "co_produced": all(parties.values()),
        "can_change": can_change_in(user, plan.neighbourhood),
    }
    return render(request, "engagement/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = plan_get_for_user(user=user, pk=pk, action="change")
    if request.method == "POST":
        form = PlanForm(request.POST, neighbourhoods=None, editing=True)
        if form.is_valid():
            try:
                plan_update(actor=user, plan=plan, seen_version=form.seen_version, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Safety plan saved.")
                return redirect("plan-detail", pk=plan.pk)
    else:
        form = PlanForm(initial=PlanForm.initial_for(plan), neighbourhoods=None, editing=True)
    return render(request, "engagement/plan_form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
def plan_contribution_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = plan_get_for_user(user=user, pk=pk, action="change")
    form = ContributionForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan_contribution_add(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Contribution recorded.")
            return redirect("plan-detail", pk=plan.pk)
    context = {"form": form, "plan": plan, "heading": "Record a contribution", "button": "Record the contribution"}
    return render(request, "engagement/plan_part_form.html", context)


@require_http_methods(["GET", "POST"])
def plan_action_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = plan_get_for_user(user=user, pk=pk, action="change")
    form = PlanActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_action_add(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("plan-detail", pk=plan.pk)
    context = {"form": form, "plan": plan, "heading": "Add an action", "button": "Add the action"}
    return render(request, "engagement/plan_part_form.html", context)


urlpatterns: list[URLPattern] = [
    path("safety-plans/", plan_list, name="plan-list"),
    path("safety-plans/new/", plan_create_view, name="plan-create"),
    path("safety-plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("safety-plans/<int:pk>/edit/", plan_edit, name="plan-edit"),
    path("safety-plans/<int:pk>/contributions/new/", plan_contribution_add_view, name="plan-contribution-add"),
    path("safety-plans/<int:pk>/actions/new/", plan_action_add_view, name="plan-action-add"),
]
