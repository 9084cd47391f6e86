"""The hotspot page's choices: force, area, crime types, months and grid size. Parsing only; an
invalid value is reported and the page shows nothing until it is put right."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from evaluation.models.crime import POLICE_CRIME_TYPES
from evaluation.selectors.areas import add_months
from evaluation.selectors.hotspots import CELL_SIZES_M, HotspotQuery
from partnerships.models import Neighbourhood

MONTH_INVALID = "Enter a month as a year and month, for example 2026-04."
MONTHS_OUT_OF_ORDER = "The first month must not be after the last month."
MONTHS_TOO_MANY = "Choose at most 36 months."
FORCE_CHOICE_INVALID = "Choose a force from the list."
AREA_CHOICE_INVALID = "Choose a neighbourhood from the list."
CRIME_TYPE_CHOICE_INVALID = "Choose crime types from the list."
CELL_CHOICE_INVALID = "Choose a grid size from the list."
AREA_WITHOUT_LSOAS = "The neighbourhood has no LSOA codes yet: ask an administrator to add them."
MAX_MONTHS = 36


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(error_messages={"invalid": MONTH_INVALID}, **kwargs)


class HotspotForm(forms.Form):
    force = forms.ChoiceField(label="Force", required=False, error_messages={"invalid_choice": FORCE_CHOICE_INVALID})
    area: forms.ModelChoiceField[Neighbourhood] = forms.ModelChoiceField(
        label="Neighbourhood",
        required=False,
        queryset=Neighbourhood.objects.none(),
        empty_label="The whole force",
        help_text="Counts the neighbourhood's LSOAs.",
        error_messages={"invalid_choice": AREA_CHOICE_INVALID},
    )
    crime_types = forms.MultipleChoiceField(
        label="Crime types",
        required=False,
        choices=[(crime_type, crime_type) for crime_type in POLICE_CRIME_TYPES],
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="None chosen: every type.",
        error_messages={"invalid_choice": CRIME_TYPE_CHOICE_INVALID},
    )
    first_month = MonthField(label="First month", required=False)
    last_month = MonthField(label="Last month", required=False)
    cell_m = forms.TypedChoiceField(
        label="Grid size",
        coerce=int,
        choices=[(size, f"{size} m") for size in CELL_SIZES_M],
        initial=250,
        required=False,
        error_messages={"invalid_choice": CELL_CHOICE_INVALID},
    )

    def __init__(self, *args: Any, forces: list[str], areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = [("", "Every force held"), *((name, name) for name in forces)]  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("area")
        if area is not None and not area.lsoa_codes.split():
            self.add_error("area", AREA_WITHOUT_LSOAS)
        first, last = data.get("first_month"), data.get("last_month")
        if first and last:
            if first > last:
                self.add_error("first_month", MONTHS_OUT_OF_ORDER)
            elif (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
                self.add_error("first_month", MONTHS_TOO_MANY)
        return data

    def hotspot_query(self, latest: datetime.date | None) -> HotspotQuery | None:
        """The query from valid choices (three months up to the latest held by default); None when a
        choice is invalid or no crime is held."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else {}
        last = data.get("last_month") or latest
        if last is None:
            return None
        last = last.replace(day=1)
        first = (data.get("first_month") or add_months(last, -2)).replace(day=1)
        area = data.get("area")
        codes = tuple(code.strip().upper() for code in (area.lsoa_codes if area else "").split() if code.strip())
        return HotspotQuery(
            first_month=first,
            last_month=last,
            force=data.get("force") or "",
            crime_types=tuple(data.get("crime_types") or ()),
            lsoa_codes=codes,
            area_name=area.name if area else "",
            cell_m=data.get("cell_m") or 250,
        )
