"""Forms of the retention review: retain (reason and next review date) or dispose (confirmed).
Parsing only: the service checks the rules (problems.services.retention)."""

from __future__ import annotations

from django import forms

from core.forms import DateInput
from problems.services.retention import (
    DISPOSE_NOT_CONFIRMED,
    RETAIN_DATE_REQUIRED,
    RETAIN_REASON_MAX_LENGTH,
    RETAIN_REASON_REQUIRED,
    RETAIN_REASON_TOO_LONG,
)

RETAIN_DATE_INVALID = "Enter the next review date as a real date, for example 1 March 2030."


class RetainForm(forms.Form):
    reason = forms.CharField(
        label="Why keep it",
        help_text="The reason this record is still needed for a policing purpose. Do not name people.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RETAIN_REASON_MAX_LENGTH,
        error_messages={"required": RETAIN_REASON_REQUIRED, "max_length": RETAIN_REASON_TOO_LONG},
    )
    next_review_date = forms.DateField(
        label="Next retention review",
        widget=DateInput(),
        error_messages={"required": RETAIN_DATE_REQUIRED, "invalid": RETAIN_DATE_INVALID},
    )


class DisposeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that disposal erases the problem's case text, updates, files and decisions for good, "
        "leaving only its metadata record, and cannot be undone.",
        error_messages={"required": DISPOSE_NOT_CONFIRMED},
    )
