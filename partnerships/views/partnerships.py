"""Views: partnerships and their dated members. Thin: fetch with an access helper, bind a form, call
one service, redirect or render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_add_service_errors
from partnerships.forms.partnerships import MemberAddForm, MemberEndForm, PartnershipForm
from partnerships.models.partnerships import MODEL_OF_WORKING_HELP
from partnerships.panels import partnership_panels
from partnerships.selectors.partnerships import (
    can_manage_partnerships,
    can_manage_stakeholders,
    membership_get_for_user,
    membership_is_current,
    partnership_get_for_user,
    partnership_list_visible_to,
    partnership_memberships,
)
from partnerships.selectors.stakeholders import QUADRANT_ADVICE, QUADRANT_TITLES, stakeholder_map_for
from partnerships.services.partnerships import (
    PARTNERSHIP_EDITABLE_FIELDS,
    partnership_create,
    partnership_member_add,
    partnership_member_end,
    partnership_update,
)

if TYPE_CHECKING:
    from accounts.models import User


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    partnerships = partnership_list_visible_to(user=user)
    context = {"partnerships": partnerships, "can_create": can_manage_partnerships(user)}
    return render(request, "partnerships/partnership_list.html", context)


@require_http_methods(["GET", "POST"])
def partnership_create_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_manage_partnerships(user):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = partnership_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{partnership.name} added. Now add its member organisations.")
            return redirect("partnership-detail", pk=partnership.pk)
    return render(request, "partnerships/partnership_form.html", {"form": form, "partnership": None})


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    partnership = partnership_get_for_user(user=user, pk=pk)
    memberships = partnership_memberships(partnership=partnership)
    context = {
        "partnership": partnership,
        "memberships": [(m, membership_is_current(m)) for m in memberships],
        "model_of_working_help": MODEL_OF_WORKING_HELP.get(partnership.model_of_working, ""),  # type: ignore[call-overload]
        "map": stakeholder_map_for(partnership=partnership),
        "quadrants": [(key, QUADRANT_TITLES[key], QUADRANT_ADVICE[key]) for key in QUADRANT_TITLES],
        "can_manage": can_manage_partnerships(user),
        "can_map": can_manage_stakeholders(user),
        # Added by later apps (partnerships.panels): tasking meetings' attendance, health over time.
        "panels": partnership_panels(partnership=partnership, user=user),
    }
    return render(request, "partnerships/partnership_detail.html", context)


@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    partnership = partnership_get_for_user(user=user, pk=pk, action="change")
    initial = {field: getattr(partnership, field) for field in PARTNERSHIP_EDITABLE_FIELDS}
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_update(actor=user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "The partnership's details are saved.")
            return redirect("partnership-detail", pk=partnership.pk)
    return render(request, "partnerships/partnership_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def partnership_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    partnership = partnership_get_for_user(user=user, pk=pk, action="change")
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = partnership_member_add(actor=user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.organisation} is now a member.")
            return redirect("partnership-detail", pk=partnership.pk)
    return render(request, "partnerships/membership_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def partnership_member_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    membership = membership_get_for_user(user=user, pk=pk)
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_member_end(actor=user, membership=membership, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.organisation}'s membership has been ended.")
            return redirect("partnership-detail", pk=membership.partnership_id)
    context = {"form": form, "membership": membership, "partnership": membership.partnership}
    return render(request, "partnerships/membership_end.html", context)


urlpatterns: list[URLPattern] = [
    path("partnerships/", partnership_list, name="partnership-list"),
    path("partnerships/new/", partnership_create_view, name="partnership-create"),
    path("partnerships/<int:pk>/", partnership_detail, name="partnership-detail"),
    path("partnerships/<int:pk>/edit/", partnership_edit, name="partnership-edit"),
    path("partnerships/<int:pk>/members/new/", partnership_member_add_view, name="partnership-member-add"),
    path("partnership-members/<int:pk>/end/", partnership_member_end_view, name="partnership-member-end"),
]
