"""Forms: handing a problem over, a supervisor's reassignment of several problems, and the team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from core.forms import DateInput
from problems.models import Problem
from problems.selectors.leads import lead_candidates, team_candidates
from problems.services.leads import HANDOVER_TEXT_LIMIT

INCOMING_LEAD_INVALID = "Choose an active officer of {force} from the list."
INCOMING_LEAD_REQUIRED = "Choose the officer who will lead the problem."


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    pass


def _lead_field(force_name: str) -> UserChoiceField:
    return UserChoiceField(
        label="New lead officer",
        queryset=User.objects.none(),
        empty_label="Choose an officer",
        error_messages={
            "required": INCOMING_LEAD_REQUIRED,
            "invalid_choice": INCOMING_LEAD_INVALID.format(force=force_name),
        },
    )


class HandoverDetailsForm(forms.Form):
    """What every handover carries (the structured handover)."""

    note = forms.CharField(
        label="Handover note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=HANDOVER_TEXT_LIMIT,
        help_text="Where the problem stands and what the incoming lead needs to know.",
        error_messages={"required": "Write a handover note: what the incoming lead needs to know."},
    )
    outstanding_items = forms.CharField(
        label="Outstanding items",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=HANDOVER_TEXT_LIMIT,
        help_text="Tasks, contacts and promises still open.",
    )
    known_risks = forms.CharField(
        label="Known risks",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=HANDOVER_TEXT_LIMIT,
        help_text="Risks to people, to the response or to the partnership.",
    )


class HandoverForm(HandoverDetailsForm):
    field_order = ("to_user", "handover_date", "note", "outstanding_items", "known_risks", "keep_following")

    keep_following = forms.BooleanField(
        label="Keep following this problem (notifications of its news)",
        required=False,
        initial=True,
    )

    handover_date = forms.DateField(
        label="Handover date",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the handover.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args: Any, problem: Problem, actor_pk: int | None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"handover_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = _lead_field(problem.owning_organisation.name)
        field.queryset = lead_candidates(organisation=problem.owning_organisation_id).exclude(pk=problem.owner_id)
        self.fields["to_user"] = field
        if problem.owner_id != actor_pk:
            # A supervisor reassigning does not follow on the old lead's behalf.
            del self.fields["keep_following"]
        self.order_fields(self.field_order)


class ReassignForm(HandoverDetailsForm):
    """A supervisor's reassignment of some or all of one officer's open problems."""

    ALL = "all"
    SELECTED = "selected"

    scope = forms.ChoiceField(
        label="Which problems",
        choices=[(SELECTED, "The problems I tick below"), (ALL, "All of this officer's open problems")],
        initial=SELECTED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which problems to reassign."},
    )
    problems = forms.ModelMultipleChoiceField(
        label="Problems",
        queryset=Problem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose problems from the list."},
    )

    field_order = ("scope", "problems", "to_user", "note", "outstanding_items", "known_risks")

    def __init__(
        self, *args: Any, open_problems: QuerySet[Problem], lead: User, force_name: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.open_problems = open_problems
        self.fields["problems"].queryset = open_problems  # type: ignore[attr-defined]
        self.fields["problems"].label_from_instance = lambda p: f"{p.reference}: {p.title}"  # type: ignore[attr-defined]
        field = _lead_field(force_name)
        field.queryset = lead_candidates(organisation=lead.organisation_id, exclude=lead)
        self.fields["to_user"] = field
        self.order_fields(self.field_order)

    def chosen_problems(self) -> list[Problem]:
        if self.cleaned_data["scope"] == self.ALL:
            return list(self.open_problems)
        return list(self.cleaned_data["problems"])


class TeamAddForm(forms.Form):
    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = UserChoiceField(
            label="Officer to add",
            queryset=team_candidates(problem=problem),
            empty_label="Choose an officer",
            error_messages={
                "required": "Choose the officer to add to the team.",
                "invalid_choice": f"Choose an active officer of {problem.owning_organisation.name} from the list.",
            },
        )
