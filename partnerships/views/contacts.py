"""Views: contacts, single points of contact (SPOCs) and handovers. Thin: fetch with an access
helper, bind a form, call one service, redirect or render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.forms import form_add_service_errors
from partnerships.forms.contacts import ContactForm, HandoverForm
from partnerships.selectors.contacts import contact_get_for_user, handover_get_for_user, organisation_get_for_contacts
from partnerships.services.contacts import contact_create, contact_update, handover_acknowledge, handover_record


@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_get_for_contacts(user=user, pk=org_pk)
    form = ContactForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_create(actor=user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} has been added.")
            return redirect("organisation-detail", pk=organisation.pk)
    context = {"organisation": organisation, "form": form, "title": "Add a contact"}
    return render(request, "partnerships/contact_form.html", context)


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    contact = contact_get_for_user(user=user, pk=pk, action="change")
    organisation = contact.organisation
    # A copy: a form with errors must not change the name shown in the page's heading.
    form = ContactForm(request.POST or None, instance=copy.copy(contact), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(actor=user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "The contact has been saved.")
            return redirect("organisation-detail", pk=organisation.pk)
    context = {"organisation": organisation, "form": form, "contact": contact, "title": f"Edit {contact.name}"}
    return render(request, "partnerships/contact_form.html", context)


@require_http_methods(["GET", "POST"])
def handover_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_get_for_contacts(user=user, pk=org_pk)
    form = HandoverForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            handover = handover_record(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, f"Handover recorded: {handover.incoming.name} is now the single point of contact."
            )
            return redirect("organisation-detail", pk=organisation.pk)
    return render(request, "partnerships/handover_create.html", {"organisation": organisation, "form": form})


@require_POST
def handover_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    handover = handover_get_for_user(user=user, pk=pk, action="acknowledge")
    try:
        handover_acknowledge(actor=user, handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have acknowledged the handover.")
    return redirect("organisation-detail", pk=handover.organisation_id)


urlpatterns: list[URLPattern] = [
    path("partners/<int:org_pk>/contacts/new/", contact_new, name="contact-create"),
    path("contacts/<int:pk>/edit/", contact_edit, name="contact-edit"),
    path("partners/<int:org_pk>/handovers/new/", handover_new, name="handover-create"),
    path("handovers/<int:pk>/acknowledge/", handover_acknowledge_view, name="handover-acknowledge"),
]
