"""Forms: holding a tasking meeting, an item's minutes, a joint decision and an action agreed at
the meeting. Parsing only; problems.services.meetings checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User
from core.forms import DateInput
from partnerships.models import Organisation
from problems.forms.decisions import DecisionForm
from problems.models import InterventionKind, Problem, TaskingMeeting

CHOOSE_FROM_LIST = "Choose from the list."
DATE_INVALID = "Enter a real date, for example 2026-04-30."


class PersonField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organisation.name})"


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting",
        widget=DateInput(),
        required=False,
        error_messages={"invalid": DATE_INVALID},
    )
    title = forms.CharField(label="Title", max_length=150, required=False, help_text="Optional.")
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations that attended",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )
    people = PersonField(
        label="People who attended",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Optional: those with an account here.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = members  # type: ignore[attr-defined]
        people = User.objects.filter(organisation__in=members, is_active=True).select_related("organisation")
        self.fields["people"].queryset = people.order_by("organisation__name", "full_name")  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 5}), required=False)


class MeetingDecisionForm(DecisionForm):
    """The NDM's headings; the meeting names the organisations present, so no joint fields."""

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, problem=problem, **kwargs)
        for name in ("is_joint", "partner_organisations", "corrects"):
            del self.fields[name]


class MeetingActionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation responsible",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation that attended",
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    intervention_kind = forms.ChoiceField(
        label="Kind of intervention",
        choices=[("", "Choose a kind"), *InterventionKind.choices],
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    due_date = forms.DateField(
        label="Due by", widget=DateInput(), required=False, error_messages={"invalid": DATE_INVALID}
    )

    def __init__(self, *args: Any, meeting: TaskingMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = meeting.organisations.order_by("name")  # type: ignore[attr-defined]
