"""Forms of the data protection pages: parsing and field validation only (the services check the
rest). Messages are constants that tests assert."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import DateInput
from dataprotection.models import Breach, BreachStatus
from dataprotection.selectors.audit_log import TARGET_TYPES, AuditFilters
from dataprotection.selectors.subject_access import TERM_MAX_LENGTH, TERM_MIN_LENGTH
from partnerships.models import Agreement
from problems.models import ProblemShare

TERM_REQUIRED = "Enter a name or identifier to search for."
TERM_TOO_SHORT = f"Enter at least {TERM_MIN_LENGTH} characters."
TERM_TOO_LONG = f"Enter {TERM_MAX_LENGTH} characters or fewer."
DATE_INVALID = "Enter a real date, like 31 3 2026."
DATES_BACKWARDS = "The end date must be on or after the start date."
TARGET_TYPE_INVALID = "Choose a kind of object from the list."
DATETIME_INVALID = "Enter a real date and time."
SUMMARY_REQUIRED = "Say in a line what happened."
DESCRIPTION_REQUIRED = "Describe what happened."
FOUND_REQUIRED = "Enter when the breach was found."
COUNT_INVALID = "Enter the number of people affected as a whole number, 0 or more."
STATUS_INVALID = "Choose a status from the list."
ACTION_REQUIRED = "Describe the action."


class SubjectAccessForm(forms.Form):
    q = forms.CharField(
        label="Name or identifier",
        max_length=TERM_MAX_LENGTH,
        min_length=TERM_MIN_LENGTH,
        help_text="A person's name, an address, a phone number, a vehicle registration…",
        error_messages={"required": TERM_REQUIRED, "min_length": TERM_TOO_SHORT, "max_length": TERM_TOO_LONG},
    )

    def clean_q(self) -> str:
        term = " ".join(self.cleaned_data["q"].split())
        if len(term) < TERM_MIN_LENGTH:
            raise forms.ValidationError(TERM_TOO_SHORT)
        return term


class AuditFilterForm(forms.Form):
    """The audit viewer's filters. An invalid value is reported and the list shows unfiltered by it."""

    who = forms.CharField(label="Who", required=False, max_length=150, help_text="Email address or part of a name")
    verb = forms.CharField(
        label="Kind of event",
        required=False,
        max_length=100,
        help_text="For example problems.problem.consulted, or problems for every event of problems",
    )
    target_type = forms.ChoiceField(
        label="Object",
        required=False,
        choices=[("", "Any kind of object"), *TARGET_TYPES],
        error_messages={"invalid_choice": TARGET_TYPE_INVALID},
    )
    target = forms.CharField(
        label="Object id or reference", required=False, max_length=64, help_text="A number, or a reference"
    )
    since = forms.DateField(label="From", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID})
    until = forms.DateField(label="To", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", DATES_BACKWARDS)
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters (none when the form is unbound; the valid fields of an invalid form)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            who=data.get("who") or "",
            verb=data.get("verb") or "",
            target_type=data.get("target_type") or "",
            target=data.get("target") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO format, which it needs)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime(label: str, *, required: bool = False, **messages: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        error_messages={"invalid": DATETIME_INVALID, **messages},
    )


class ShareChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ProblemShare) -> str:
        # The problem by its reference only: the DPO sees no case text (DESIGN.md section 1).
        return f"{obj.problem.reference} shared with {obj.organisation.name} on {obj.shared_at:%d %b %Y}"


class BreachForm(forms.Form):
    summary = forms.CharField(
        label="What happened, in a line", max_length=200, error_messages={"required": SUMMARY_REQUIRED}
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": DESCRIPTION_REQUIRED},
    )
    occurred_at = _datetime("When it happened (if known)")
    found_at = _datetime("When it was found", required=True)
    people_affected_count = forms.IntegerField(
        label="Number of people affected",
        required=False,
        min_value=0,
        error_messages={"invalid": COUNT_INVALID, "min_value": COUNT_INVALID},
    )
    people_affected_description = forms.CharField(
        label="Who is affected", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shares = ShareChoiceField(
        label="Shares involved",
        queryset=ProblemShare.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreements = forms.ModelMultipleChoiceField(
        label="Agreements involved",
        queryset=Agreement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label="Status", choices=BreachStatus.choices, error_messages={"invalid_choice": STATUS_INVALID}
    )
    reported_to_ico_at = _datetime("Reported to the ICO at")
    decision_note = forms.CharField(
        label="Reasons for the reporting decision", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELD_ORDER = (
        "summary",
        "description",
        "occurred_at",
        "found_at",
        "people_affected_count",
        "people_affected_description",
        "shares",
        "agreements",
        "status",
        "reported_to_ico_at",
        "decision_note",
    )

    def __init__(self, *args: Any, shares: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_at"].error_messages["required"] = FOUND_REQUIRED
        self.fields["shares"].queryset = shares  # type: ignore[attr-defined]
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(breach: Breach) -> dict[str, Any]:
        from django.utils import timezone

        initial: dict[str, Any] = {name: getattr(breach, name) for name in BreachForm.FIELD_ORDER}
        for name in ("occurred_at", "found_at", "reported_to_ico_at"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name])
        initial["shares"] = list(breach.shares.all())
        initial["agreements"] = list(breach.agreements.all())
        return initial


class BreachActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": ACTION_REQUIRED}
    )
    owner = forms.CharField(label="Who does it", required=False, max_length=150)
    due_on = forms.DateField(
        label="Due by", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID}
    )
