"""Views: entries on a partnership's stakeholder map. Thin: fetch with an access helper, bind a form,
call one service, redirect or render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from core.forms import form_add_service_errors
from partnerships.forms.stakeholders import StakeholderForm
from partnerships.selectors.partnerships import partnership_get_for_user
from partnerships.selectors.stakeholders import stakeholder_get_for_user
from partnerships.services.stakeholders import (
    STAKEHOLDER_EDITABLE_FIELDS,
    stakeholder_add,
    stakeholder_remove,
    stakeholder_update,
)

if TYPE_CHECKING:
    from accounts.models import User


@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    partnership = partnership_get_for_user(user=user, pk=pk, action="stakeholders")
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = stakeholder_add(actor=user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{entry.display_name} is on the stakeholder map.")
            return redirect("partnership-detail", pk=partnership.pk)
    return render(
        request, "partnerships/stakeholder_form.html", {"form": form, "partnership": partnership, "entry": None}
    )


@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entry = stakeholder_get_for_user(user=user, pk=pk)
    initial = {field: getattr(entry, field) for field in STAKEHOLDER_EDITABLE_FIELDS}
    form = StakeholderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder_update(actor=user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "The stakeholder entry is saved.")
            return redirect("partnership-detail", pk=entry.partnership_id)
    context = {"form": form, "partnership": entry.partnership, "entry": entry}
    return render(request, "partnerships/stakeholder_form.html", context)


@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entry = stakeholder_get_for_user(user=user, pk=pk)
    if request.method == "POST":
        stakeholder_remove(actor=user, entry=entry)
        messages.success(request, f"{entry.display_name} has been taken off the stakeholder map.")
        return redirect("partnership-detail", pk=entry.partnership_id)
    return render(request, "partnerships/stakeholder_delete.html", {"entry": entry, "partnership": entry.partnership})


urlpatterns: list[URLPattern] = [
    path("partnerships/<int:pk>/stakeholders/new/", stakeholder_create, name="stakeholder-create"),
    path("stakeholders/<int:pk>/edit/", stakeholder_edit, name="stakeholder-edit"),
    path("stakeholders/<int:pk>/delete/", stakeholder_delete, name="stakeholder-delete"),
]
