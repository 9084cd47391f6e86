"""Views: organisations (the partner registry). Thin: fetch with an access helper, bind a form,
call one service, redirect or render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.audit import audit_list_search
from core.forms import form_add_service_errors
from core.pagination import paginate
from partnerships.forms.organisations import OrganisationFilterForm, OrganisationProfileForm
from partnerships.selectors.contacts import (
    can_acknowledge_handover,
    can_manage_contacts,
    contact_list_for_organisation,
    handover_list_for_organisation,
    spocs_on,
)
from partnerships.selectors.organisations import (
    can_edit_organisation,
    organisation_fields_editable_by,
    organisation_get_for_user,
    organisation_list_visible_to,
)
from partnerships.services.organisations import organisation_update

PAGE_SIZE = 50


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_list_visible_to(
        user=user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        sector=filters.get("sector", ""),
        no_spoc=filters.get("no_spoc", False),
    )
    page = paginate(request, organisations, PAGE_SIZE)
    audit_list_search(actor=user, page="organisation-list", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "partnerships/organisation_list.html", context)


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_get_for_user(user=user, pk=pk, action="view")
    today = timezone.localdate()
    handovers = list(handover_list_for_organisation(organisation=organisation))
    for handover in handovers:
        handover.can_acknowledge = can_acknowledge_handover(user, handover)  # type: ignore[attr-defined]
    context = {
        "organisation": organisation,
        "today": today,
        "spocs": spocs_on(organisation=organisation, day=today),
        "contacts": contact_list_for_organisation(organisation=organisation),
        "handovers": handovers,
        "can_edit": can_edit_organisation(user, organisation),
        "can_manage_contacts": can_manage_contacts(user, organisation),
        "areas": organisation.areas_covered.splitlines(),
    }
    return render(request, "partnerships/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_get_for_user(user=user, pk=pk, action="change")
    editable = organisation_fields_editable_by(user, organisation)
    # A copy: a form with errors must not change the name shown in the page's heading.
    form = OrganisationProfileForm(request.POST or None, instance=copy.copy(organisation), editable=editable)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in form.fields}
        try:
            organisation_update(actor=user, organisation=organisation, **values)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "The profile has been saved.")
            return redirect("organisation-detail", pk=organisation.pk)
    return render(request, "partnerships/organisation_edit.html", {"organisation": organisation, "form": form})


urlpatterns: list[URLPattern] = [
    path("partners/", organisation_list, name="organisation-list"),
    path("partners/<int:pk>/", organisation_detail, name="organisation-detail"),
    path("partners/<int:pk>/edit/", organisation_edit, name="organisation-edit"),
]
