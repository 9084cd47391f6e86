"""The coverage grid's period and neighbourhood: parsing and field validation only."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import DateInput
from engagement.forms.events import DATE_INVALID, NEIGHBOURHOOD_INVALID
from partnerships.models import Neighbourhood

PERIOD_REVERSED = "The end of the period must be on or after its start."
PERIOD_TOO_LONG = "Choose a period of at most five years."
MAX_PERIOD_DAYS = 5 * 366


class CoverageForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID})
    end = forms.DateField(label="To", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID})
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", PERIOD_REVERSED)
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", PERIOD_TOO_LONG)
        return cleaned
