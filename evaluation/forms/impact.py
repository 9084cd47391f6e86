"""The impact report's choices: the period and the area (a neighbourhood or a partnership the user
may report on). Parsing and field validation only; the selector checks access again."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import DateInput

START_REQUIRED = "Enter the first day of the period, for example 2026-01-01."
END_REQUIRED = "Enter the last day of the period, for example 2026-12-31."
DATE_INVALID = "Enter a real date, for example 2026-04-30."
END_BEFORE_START = "The end of the period must be on or after its start."
PERIOD_TOO_LONG = "Choose a period of at most 5 years."
AREA_REQUIRED = "Choose a neighbourhood or partnership from the list."
MAX_PERIOD_DAYS = 5 * 366


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=364), today


class ImpactReportForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=DateInput,
        error_messages={"required": START_REQUIRED, "invalid": DATE_INVALID},
    )
    end = forms.DateField(
        label="To",
        widget=DateInput,
        error_messages={"required": END_REQUIRED, "invalid": DATE_INVALID},
    )
    area = forms.ChoiceField(
        label="Neighbourhood or partnership",
        error_messages={"required": AREA_REQUIRED, "invalid_choice": AREA_REQUIRED},
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for value, label, group in areas:
            groups.setdefault(group, []).append((value, label))
        area_field: forms.ChoiceField = self.fields["area"]  # type: ignore[assignment]
        area_field.choices = [("", "Choose an area"), *groups.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", END_BEFORE_START)
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", PERIOD_TOO_LONG)
        return data
