"""Views: the data sources partner organisations hold. Thin: fetch with an access helper, bind a
form, call one service, redirect or render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_list_search
from core.forms import form_add_service_errors
from partnerships.forms.data_sources import DataSourceFilterForm, DataSourceForm
from partnerships.selectors.data_sources import (
    can_manage_data_sources,
    data_source_agreement_choices,
    data_source_filter_organisations,
    data_source_get_for_user,
    data_source_list_visible_to,
    data_source_owner_choices,
)
from partnerships.services.data_sources import DATA_SOURCE_EDITABLE_FIELDS, data_source_create, data_source_update

if TYPE_CHECKING:
    from accounts.models import User


def _list_of(organisation_id: int) -> str:
    return f"{reverse('data-source-list')}?organisation={organisation_id}"


@require_GET
def data_source_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    filter_form = DataSourceFilterForm(request.GET or None, organisations=data_source_filter_organisations(user=user))
    # An organisation the user may not filter by (or not a number) shows the whole list, with a message.
    organisation = filter_form.cleaned_data.get("organisation") if filter_form.is_valid() else None
    audit_list_search(actor=user, page="data-source-list", parameters=request.GET)
    context = {
        "filter_form": filter_form,
        "organisation": organisation,
        "rows": [
            (source, can_manage_data_sources(user, source.organisation))
            for source in data_source_list_visible_to(user=user, organisation=organisation)
        ],
        "can_create": can_manage_data_sources(user),
    }
    return render(request, "partnerships/data_source_list.html", context)


@require_http_methods(["GET", "POST"])
def data_source_create_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_manage_data_sources(user):
        raise PermissionDenied
    owners = data_source_owner_choices(user=user)
    initial = {"organisation": owners.first()} if user.is_partner_lead else {}
    form = DataSourceForm(
        request.POST or None,
        initial=initial,
        owners=owners,
        agreements=data_source_agreement_choices(user=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            source = data_source_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{source.name} added to {source.organisation}'s data sources.")
            return redirect(_list_of(source.organisation_id))
    return render(request, "partnerships/data_source_form.html", {"form": form, "data_source": None})


@require_http_methods(["GET", "POST"])
def data_source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    source = data_source_get_for_user(user=user, pk=pk, action="change")
    initial = {field: getattr(source, field) for field in DATA_SOURCE_EDITABLE_FIELDS if field != "categories"}
    initial["categories"] = list(source.categories.all())
    form = DataSourceForm(
        request.POST or None,
        initial=initial,
        owners=data_source_owner_choices(user=user),
        agreements=data_source_agreement_choices(user=user),
        fixed_organisation=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            data_source_update(actor=user, data_source=source, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{source.organisation}'s data source is saved.")
            return redirect(_list_of(source.organisation_id))
    return render(request, "partnerships/data_source_form.html", {"form": form, "data_source": source})


urlpatterns: list[URLPattern] = [
    path("data-sources/", data_source_list, name="data-source-list"),
    path("data-sources/new/", data_source_create_view, name="data-source-create"),
    path("data-sources/<int:pk>/edit/", data_source_edit, name="data-source-edit"),
]
