"""Forms for engagement events: parsing and field validation only (the services check the rules).
The common case (a meeting or patrol today, in person) needs only the kind and the neighbourhood:
the date defaults to today and the channel to in person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.forms import DateInput, latitude_field, longitude_field
from engagement.models import Channel, EngagementEvent, EventKind
from partnerships.models import Neighbourhood, Organisation, SeldomHeardGroup
from problems.models import Problem
from problems.selectors.access import problems_visible_to
from problems.selectors.problems import OPEN_STAGES

DATE_INVALID = "Enter a real date, for example 2026-04-30."
TIME_INVALID = "Enter a time as hours and minutes, for example 19:30."
NEIGHBOURHOOD_INVALID = "Choose a neighbourhood from the list."
KIND_INVALID = "Choose the kind of engagement."
CHANNEL_INVALID = "Choose how the engagement took place."
ATTENDEES_INVALID = "Enter the number of people as a whole number, 0 or more."
CHOICE_INVALID = "Choose from the list."


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.title}"


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of engagement",
        choices=[("", "Choose a kind"), *EventKind.choices],
        error_messages={"required": KIND_INVALID, "invalid_choice": KIND_INVALID},
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        error_messages={"required": NEIGHBOURHOOD_INVALID, "invalid_choice": NEIGHBOURHOOD_INVALID},
    )
    held_on = forms.DateField(
        label="Date", widget=DateInput(), error_messages={"required": DATE_INVALID, "invalid": DATE_INVALID}
    )
    start_time = forms.TimeField(
        label="Time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": TIME_INVALID},
    )
    place = forms.CharField(label="Place", max_length=200, required=False)
    latitude = latitude_field(
        help_text="Where it was held, for the engagement map: point on the map below, or type it."
    )
    longitude = longitude_field()
    channel = forms.ChoiceField(
        label="How it took place",
        choices=Channel.choices,
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": CHANNEL_INVALID, "invalid_choice": CHANNEL_INVALID},
    )
    attendees = forms.IntegerField(
        label="Number of attendees (or reach, for social media)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), ATTENDEES_INVALID),
    )
    groups_represented = forms.ModelMultipleChoiceField(
        label="Seldom-heard groups represented",
        queryset=SeldomHeardGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOICE_INVALID, "invalid_pk_value": CHOICE_INVALID},
    )
    issues_raised = forms.CharField(
        label="Issues raised",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What residents raised. Do not record names or other personal details.",
    )
    organisations_present = forms.ModelMultipleChoiceField(
        label="Other organisations present",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": CHOICE_INVALID, "invalid_pk_value": CHOICE_INVALID},
    )
    problems = ProblemChoiceField(
        label="Problems discussed",
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": CHOICE_INVALID, "invalid_pk_value": CHOICE_INVALID},
    )

    def __init__(
        self, *args: Any, user: Any, neighbourhoods: Any, event: EngagementEvent | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["groups_represented"].queryset = SeldomHeardGroup.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["organisations_present"].queryset = Organisation.objects.filter(active=True).exclude(  # type: ignore[attr-defined]
            pk=user.organisation_id
        )
        # Open problems, and on an existing event those already linked (even if since closed), so
        # that saving the event never drops a link silently.
        linked = Q(engagement_events=event) if event is not None else Q(pk__in=[])
        problems = problems_visible_to(user).filter(Q(stage__in=OPEN_STAGES) | linked).distinct().order_by("-pk")
        self.fields["problems"].queryset = problems  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("channel", Channel.IN_PERSON)

    @staticmethod
    def initial_for(event: EngagementEvent) -> dict[str, Any]:
        return {
            "kind": event.kind,
            "neighbourhood": event.neighbourhood_id,
            "held_on": event.held_on,
            "start_time": event.start_time,
            "place": event.place,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "channel": event.channel,
            "attendees": event.attendees,
            "groups_represented": list(event.groups_represented.all()),
            "issues_raised": event.issues_raised,
            "organisations_present": list(event.organisations_present.all()),
            "problems": list(event.problems.all()),
        }


class NeighbourhoodFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="All neighbourhoods",
        error_messages={"invalid_choice": NEIGHBOURHOOD_INVALID},
    )

    def __init__(self, *args: Any, neighbourhoods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]

    def chosen(self) -> Neighbourhood | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("neighbourhood")
        return None
