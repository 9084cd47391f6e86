"""The award entry's two texts. Word limits are checked here for the form's messages and again
by the service (evaluation.services.award), which owns the rule."""

from __future__ import annotations

from typing import Any

from django import forms

from evaluation.services.award import (
    SARA_MAX_WORDS,
    SARA_REQUIRED,
    SUMMARY_MAX_WORDS,
    SUMMARY_REQUIRED,
    award_word_errors,
)

# A generous character cap, so a pasted document cannot fill the database (4,000 long words).
MAX_CHARACTERS = 60000


class AwardEntryForm(forms.Form):
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_CHARACTERS,
        help_text=f"At most {SUMMARY_MAX_WORDS} words.",
        error_messages={"required": SUMMARY_REQUIRED},
    )
    sara_description = forms.CharField(
        label="SARA description",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=MAX_CHARACTERS,
        help_text=f"At most {SARA_MAX_WORDS:,} words: scanning, analysis, response and assessment.",
        error_messages={"required": SARA_REQUIRED},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "summary" in data and "sara_description" in data:
            for field, message in award_word_errors(
                summary=data["summary"], sara_description=data["sara_description"]
            ).items():
                self.add_error(field, message)
        return data
