"""Views: the engagement event list, logging an event, its page, and changing it. Thin: fetch
through the access helper, bind a form, call one service, redirect or render."""

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
from engagement.forms.events import EventForm, NeighbourhoodFilterForm
from engagement.selectors.access import (
    can_change_in,
    can_record_engagement,
    event_get_for_user,
    neighbourhoods_editable_by,
)
from engagement.selectors.lists import (
    event_detail_queryset,
    event_list_visible_to,
    neighbourhood_choices_for,
    problems_linked_for,
)
from engagement.services.events import event_create, event_update
from engagement.views.common import PAGE_SIZE, request_user
from partnerships.models import Neighbourhood


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NeighbourhoodFilterForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    events = event_list_visible_to(user=user, neighbourhood=form.chosen())
    page = paginate(request, events, PAGE_SIZE)
    audit_list_search(actor=user, page="event-list", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_create": can_record_engagement(user)}
    return render(request, "engagement/event_list.html", context)


@require_http_methods(["GET", "POST"])
def event_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_record_engagement(user):
        raise PermissionDenied
    form = EventForm(
        request.POST if request.method == "POST" else None, user=user, neighbourhoods=neighbourhoods_editable_by(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Engagement logged.")
            return redirect("event-detail", pk=event.pk)
    return render(request, "engagement/event_form.html", {"form": form, "event": None})


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = event_get_for_user(user=user, pk=pk, queryset=event_detail_queryset())
    context = {
        "event": event,
        "problems": problems_linked_for(user=user, event=event),
        "can_change": can_change_in(user, event.neighbourhood),
    }
    return render(request, "engagement/event_detail.html", context)


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    event = event_get_for_user(user=user, pk=pk, action="change")
    # The event's own neighbourhood stays a choice even if it has since been deactivated.
    neighbourhoods = neighbourhoods_editable_by(user) | Neighbourhood.objects.filter(pk=event.neighbourhood_id)
    if request.method == "POST":
        form = EventForm(request.POST, user=user, neighbourhoods=neighbourhoods, event=event)
        if form.is_valid():
            try:
                event_update(actor=user, event=event, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Engagement saved.")
                return redirect("event-detail", pk=event.pk)
    else:
        form = EventForm(initial=EventForm.initial_for(event), user=user, neighbourhoods=neighbourhoods, event=event)
    return render(request, "engagement/event_form.html", {"form": form, "event": event})


urlpatterns: list[URLPattern] = [
    path("engagement/", event_list, name="event-list"),
    path("engagement/new/", event_create_view, name="event-create"),
    path("engagement/<int:pk>/", event_detail, name="event-detail"),
    path("engagement/<int:pk>/edit/", event_edit, name="event-edit"),
]
