"""Views: a partnership's tasking meetings (list with attendance over time, hold one), a meeting's
agenda and minutes (page and printable), and per item: minutes, a joint decision, an action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.forms import form_add_service_errors
from problems.forms.meetings import MeetingActionForm, MeetingDecisionForm, MeetingForm, MinutesForm
from problems.models import AgendaItem, Problem
from problems.selectors.access import problem_get_for_user
from problems.selectors.meetings import (
    STOPPED_COMING_AFTER,
    agenda_item_get_for_user,
    can_run_meeting,
    current_member_organisations,
    item_problem_id,
    meeting_get_for_user,
    meeting_items_for,
    meeting_list_for_partnership,
    partnership_attendance,
    partnership_for_meetings,
)
from problems.services.meetings import (
    agenda_item_minutes_set,
    meeting_action_assign,
    meeting_create,
    meeting_decision_record,
)

MEETING_HELD = "The meeting is recorded and its agenda built: {count} item(s)."
MINUTES_SAVED = "The minutes of item {order} are saved."
DECISION_SAVED = "The joint decision is in {reference}'s decision log."
ACTION_SAVED = "The action is assigned to {organisation} on {reference}."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _meeting_url(item: AgendaItem) -> str:
    return reverse("meeting-detail", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}"


@require_GET
def partnership_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partnership = partnership_for_meetings(user=user, pk=pk)
    meetings, attendance = partnership_attendance(partnership=partnership)
    context = {
        "partnership": partnership,
        "meetings": list(meeting_list_for_partnership(partnership=partnership)),
        "attendance_meetings": meetings,
        "attendance": attendance,
        "stopped_after": STOPPED_COMING_AFTER,
        "can_run": can_run_meeting(user),
    }
    return render(request, "problems/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partnership = partnership_for_meetings(user=user, pk=pk, action="run")
    form = MeetingForm(request.POST or None, members=current_member_organisations(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(actor=user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, MEETING_HELD.format(count=meeting.items.count()))
            return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "problems/meeting_form.html", {"partnership": partnership, "form": form})


def _meeting_context(request: HttpRequest, pk: int) -> dict[str, object]:
    user = _user(request)
    meeting = meeting_get_for_user(user=user, pk=pk)
    return {
        "meeting": meeting,
        "rows": meeting_items_for(user=user, meeting=meeting),
        "organisations": list(meeting.organisations.order_by("name")),
        "people": list(meeting.people.select_related("organisation").order_by("full_name")),
        "can_run": can_run_meeting(user),
    }


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "problems/meeting_detail.html", _meeting_context(request, pk))


@require_GET
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "problems/meeting_print.html", _meeting_context(request, pk))


@require_http_methods(["GET", "POST"])
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = agenda_item_get_for_user(user=user, pk=pk, action="run")
    form = MinutesForm(request.POST or None, initial={"minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_minutes_set(actor=user, item=item, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, MINUTES_SAVED.format(order=item.order))
            return redirect(_meeting_url(item))
    return render(request, "problems/meeting_item_form.html", {"item": item, "form": form, "title": "Minutes"})


def _problem_of(item: AgendaItem, user: User, action: str) -> Problem | None:
    """The item's problem, if it has one, checked for `action` (403: e.g. a force officer at a
    meeting about a partner-led problem, whose decision log the lead agency writes)."""
    problem_id = item_problem_id(item)
    return None if problem_id is None else problem_get_for_user(user=user, pk=problem_id, action=action)


@require_http_methods(["GET", "POST"])
def item_decision(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = agenda_item_get_for_user(user=user, pk=pk, action="run")
    problem = _problem_of(item, user, "decide")
    if problem is None:
        return redirect(_meeting_url(item))
    form = MeetingDecisionForm(request.POST or None, problem=problem)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_decision_record(actor=user, item=item, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, DECISION_SAVED.format(reference=problem.reference))
            return redirect(_meeting_url(item))
    context = {"item": item, "form": form, "title": "Record a joint decision", "problem": problem}
    return render(request, "problems/meeting_item_form.html", context)


@require_http_methods(["GET", "POST"])
def item_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = agenda_item_get_for_user(user=user, pk=pk, action="run")
    problem = _problem_of(item, user, "edit")
    if problem is None:
        return redirect(_meeting_url(item))
    form = MeetingActionForm(request.POST or None, meeting=item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            action = meeting_action_assign(actor=user, item=item, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            name = action.responsible_organisation.name
            messages.success(request, ACTION_SAVED.format(organisation=name, reference=problem.reference))
            return redirect(_meeting_url(item))
    context = {"item": item, "form": form, "title": "Assign an action", "problem": problem}
    return render(request, "problems/meeting_item_form.html", context)


urlpatterns: list[URLPattern] = [
    path("partnerships/<int:pk>/meetings/", partnership_meetings, name="partnership-meetings"),
    path("partnerships/<int:pk>/meetings/new/", meeting_new, name="meeting-create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/print/", meeting_print, name="meeting-print"),
    path("meeting-items/<int:pk>/minutes/", item_minutes, name="meeting-item-minutes"),
    path("meeting-items/<int:pk>/decision/", item_decision, name="meeting-item-decision"),
    path("meeting-items/<int:pk>/action/", item_action, name="meeting-item-action"),
]
