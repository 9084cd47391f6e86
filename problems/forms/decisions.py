"""Forms: the decision log. Parsing and field validation only; decision_record checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from partnerships.models import DataCategory, Organisation
from problems.forms.disclosure import data_category_field
from problems.models import DecisionLogEntry, DisclosurePart, Problem
from problems.models.disclosure import DECISION_CATEGORY_HELP

TEXTAREA = {"rows": 3}


def _text(label: str, help_text: str, message: str = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": message} if message else {},
    )


class DecisionForm(forms.Form):
    """The National Decision Model's headings, in its order, each with a line on what to write."""

    information = _text(
        "Information and intelligence",
        "What did you know when you decided, and where did it come from?",
        "Enter the information and intelligence the decision was based on.",
    )
    threat_and_risk = _text(
        "Assessment of threat and risk",
        "What could happen, how likely and how harmful is it, and what is the working strategy?",
        "Enter your assessment of the threat and risk.",
    )
    powers_and_policy = _text(
        "Powers and policy",
        "Which legal powers, policies and guidance apply?",
        "Enter the powers and policy that apply.",
    )
    options = _text(
        "Options considered",
        "What could you have done, including doing nothing, and why did you reject the others?",
        "Enter the options you considered.",
    )
    decision_and_action = _text(
        "Decision and action",
        "What you decided, who will do what, and by when.",
        "Enter the decision and the action taken.",
    )
    review = _text(
        "Review",
        "When and how the decision will be reviewed, or what happened as a result. Optional.",
        required=False,
    )
    code_of_ethics = _text(
        "Code of Ethics consideration",
        "How the decision is fair, proportionate and in keeping with the Code of Ethics.",
        "Enter how the decision fits the Code of Ethics.",
    )
    is_joint = forms.BooleanField(
        label="Joint decision",
        required=False,
        help_text="Tick if the decision was made together with partner organisations.",
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label="Partner organisations that decided together",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for a joint decision.",
    )
    # Made in __init__ (problems.forms.disclosure): declared here for its place on the form.
    data_category = forms.ModelChoiceField(queryset=DataCategory.objects.none(), required=False)
    corrects = forms.ModelChoiceField(
        queryset=DecisionLogEntry.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "A correction must refer to an entry in this problem's decision log."},
    )

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Organisation.objects.filter(active=True).exclude(pk=problem.owning_organisation_id)
        self.fields["partner_organisations"].queryset = partners.order_by("name")  # type: ignore[attr-defined]
        self.fields["corrects"].queryset = DecisionLogEntry.objects.filter(problem=problem)  # type: ignore[attr-defined]
        self.fields["data_category"] = data_category_field(DisclosurePart.DECISION, help_text=DECISION_CATEGORY_HELP)


CONFIRM_NOTE_MAX_LENGTH = 2000
CONFIRM_NOTE_TOO_LONG = f"Keep the note to {CONFIRM_NOTE_MAX_LENGTH} characters or fewer."


class DecisionConfirmForm(forms.Form):
    """A partner lead confirms a joint decision, with an optional note. Bound for one entry: its
    field's id names the entry, so the error summary links to the note of the entry refused."""

    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=CONFIRM_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": CONFIRM_NOTE_TOO_LONG},
    )

    def __init__(self, *args: Any, entry: DecisionLogEntry, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"decision-{entry.pk}-confirm-%s")
        super().__init__(*args, **kwargs)
        self.entry_pk = entry.pk
