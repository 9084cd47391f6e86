"""Forms for safety plans: parsing and field validation only (the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import DateInput
from engagement.forms.events import DATE_INVALID, NEIGHBOURHOOD_INVALID
from engagement.forms.priorities import EventChoiceField
from engagement.models import EngagementEvent, Party, PlanStatus, SafetyPlan
from partnerships.models import Neighbourhood, Organisation

PARTY_INVALID = "Choose who this is: residents, a partner organisation or the police."
ORGANISATION_INVALID = "Choose the organisation from the list."
STATUS_INVALID = "Choose a status from the list."


class PlanForm(VersionedFormMixin, forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        error_messages={"required": NEIGHBOURHOOD_INVALID, "invalid_choice": NEIGHBOURHOOD_INVALID},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Give the plan a title."})
    place = forms.CharField(
        label="Place", max_length=200, required=False, help_text="Leave empty for the whole neighbourhood."
    )
    aims = forms.CharField(
        label="What the plan sets out to achieve",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the plan sets out to achieve."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=PlanStatus.choices,
        initial=PlanStatus.DRAFT,
        error_messages={"required": STATUS_INVALID, "invalid_choice": STATUS_INVALID},
    )
    review_on = forms.DateField(
        label="Review date", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID}
    )

    def __init__(self, *args: Any, neighbourhoods: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["neighbourhood"]
        else:
            self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
            # A new plan starts as a draft; its status changes once it has been written together.
            del self.fields["status"]

    @staticmethod
    def initial_for(plan: SafetyPlan) -> dict[str, Any]:
        return {
            "title": plan.title,
            "place": plan.place,
            "aims": plan.aims,
            "status": plan.status,
            "review_on": plan.review_on,
            VERSION_FIELD: plan.lock_version,
        }


class _PartyForm(forms.Form):
    party = forms.ChoiceField(
        label="Who",
        choices=Party.choices,
        widget=forms.RadioSelect,
        error_messages={"required": PARTY_INVALID, "invalid_choice": PARTY_INVALID},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (for a partner or the police)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": ORGANISATION_INVALID},
    )
    name = forms.CharField(
        label="Residents' group (for residents)",
        max_length=150,
        required=False,
        help_text="For example \u201cMill Lane residents' association\u201d. No personal details.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(active=True)  # type: ignore[attr-defined]


class ContributionForm(_PartyForm):
    contribution = forms.CharField(
        label="What they contributed",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what they contributed."},
    )
    contributed_on = forms.DateField(
        label="Date", widget=DateInput(), error_messages={"required": DATE_INVALID, "invalid": DATE_INVALID}
    )
    event = EventChoiceField(
        label="At an engagement event",
        queryset=EngagementEvent.objects.none(),
        required=False,
        empty_label="Not at an event",
        error_messages={"invalid_choice": "Choose an event from the list."},
    )

    def __init__(self, *args: Any, plan: SafetyPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = EngagementEvent.objects.filter(  # type: ignore[attr-defined]
            neighbourhood_id=plan.neighbourhood_id
        ).select_related("neighbourhood")
        if not self.is_bound:
            self.initial.setdefault("contributed_on", timezone.localdate())


class PlanActionForm(_PartyForm):
    description = forms.CharField(
        label="Action",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the action."},
    )
    due_on = forms.DateField(
        label="Due date", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID}
    )
