"""Forms for community priorities: parsing and field validation only (the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import DateInput
from engagement.forms.events import DATE_INVALID, NEIGHBOURHOOD_INVALID
from engagement.models import ChosenBy, CommunityPriority, EngagementEvent, PriorityStatus
from engagement.models.priorities import PRIORITY_TRANSITIONS
from partnerships.models import Neighbourhood
from problems.models import ProblemCategory, RiskLevel

CHOSEN_BY_INVALID = "Choose how the priority was chosen."
VOTES_INVALID = "Enter the number of votes as a whole number, 0 or more."
EVENT_INVALID = "Choose a meeting from the list."
STATUS_INVALID = "Choose what happens to the priority."
CATEGORY_INVALID = "Choose a category from the list."
RISK_INVALID = "Choose a risk level from the list."
PUBLISHED_HELP = "Published on the public \u201cYou said, we did\u201d page: no names or other personal details."


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}, {obj.neighbourhood.name}, {obj.held_on:%d %B %Y}"


def _votes(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), VOTES_INVALID),
    )


class PriorityForm(VersionedFormMixin, forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        error_messages={"required": NEIGHBOURHOOD_INVALID, "invalid_choice": NEIGHBOURHOOD_INVALID},
    )
    issue = forms.CharField(
        label="The issue (you said)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLISHED_HELP,
        error_messages={"required": "Say what residents asked the team to work on."},
    )
    issue_date = forms.DateField(
        label="Date set", widget=DateInput(), error_messages={"required": DATE_INVALID, "invalid": DATE_INVALID}
    )
    chosen_by = forms.ChoiceField(
        label="How it was chosen",
        choices=[("", "Choose how"), *ChosenBy.choices],
        error_messages={"required": CHOSEN_BY_INVALID, "invalid_choice": CHOSEN_BY_INVALID},
    )
    votes_for = _votes("Votes for this priority")
    votes_cast = _votes("Votes cast in all")
    event = EventChoiceField(
        label="Meeting at which it was set",
        queryset=EngagementEvent.objects.none(),
        required=False,
        empty_label="Not set at a meeting",
        error_messages={"invalid_choice": EVENT_INVALID},
    )

    def __init__(self, *args: Any, neighbourhoods: Any, events: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events.select_related("neighbourhood")  # type: ignore[attr-defined]
        if editing:
            # A priority stays in its neighbourhood: its public page is the neighbourhood's.
            del self.fields["neighbourhood"]
        else:
            self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("issue_date", timezone.localdate())

    @staticmethod
    def initial_for(priority: CommunityPriority) -> dict[str, Any]:
        return {
            "issue": priority.issue,
            "issue_date": priority.issue_date,
            "chosen_by": priority.chosen_by,
            "votes_for": priority.votes_for,
            "votes_cast": priority.votes_cast,
            "event": priority.event_id,
            VERSION_FIELD: priority.lock_version,
        }


class PriorityStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What happens to the priority",
        choices=PriorityStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STATUS_INVALID, "invalid_choice": STATUS_INVALID},
    )
    reason = forms.CharField(
        label="Reason (if not adopted)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The status the user saw (core.concurrency): the choices are the ones they were offered, and
    # the service refuses, saying who moved it, when the priority has moved on since.
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args: Any, priority: CommunityPriority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(PriorityStatus.choices)
        seen = self.data.get(self.add_prefix("seen_status")) if self.is_bound else None
        offered = PRIORITY_TRANSITIONS.get(seen, priority.next_statuses) if seen else priority.next_statuses
        self.initial.setdefault("seen_status", priority.status)
        self.fields["status"].choices = [(s, labels[s]) for s in offered]  # type: ignore[attr-defined]
        if PriorityStatus.NOT_ADOPTED not in offered:
            del self.fields["reason"]


class PriorityActionForm(forms.Form):
    description = forms.CharField(
        label="What was done (we did)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLISHED_HELP,
        error_messages={"required": "Say what was done."},
    )
    taken_on = forms.DateField(
        label="Date", widget=DateInput(), error_messages={"required": DATE_INVALID, "invalid": DATE_INVALID}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("taken_on", timezone.localdate())


class PriorityProblemForm(forms.Form):
    """What the problems app needs that a priority does not say: the category and the risk level."""

    category = forms.ModelChoiceField(
        label="Category",
        queryset=ProblemCategory.objects.filter(active=True),
        empty_label="Choose a category",
        error_messages={"required": CATEGORY_INVALID, "invalid_choice": CATEGORY_INVALID},
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        initial=RiskLevel.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={"required": RISK_INVALID, "invalid_choice": RISK_INVALID},
    )
