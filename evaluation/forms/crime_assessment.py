"""Forms: a problem's before/after design, the costs of its response, and its EMMIE record.
Parsing only; evaluation.services.assessment checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import DateInput
from evaluation.models import EMMIE_PARTS, POLICE_CRIME_TYPES, EmmieAssessment, EmmieRating, MarylandLevel


class DesignForm(forms.Form):
    response_start = forms.DateField(
        label="When the response began",
        help_text="Any day in the month the response began: that month counts as the first month after.",
        widget=DateInput(),
        required=False,
    )
    crime_types = forms.MultipleChoiceField(
        label="Crime types to count",
        help_text="Leave all unticked to count every type.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    months_before = forms.IntegerField(label="Months before", min_value=1, max_value=36, initial=6)
    months_after = forms.IntegerField(label="Months after", min_value=1, max_value=36, initial=6)
    target_lsoa_codes = forms.CharField(
        label="Target LSOA codes (optional)",
        help_text="One per line. Used when the problem has no location and radius.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    buffer_m = forms.IntegerField(
        label="Displacement buffer width in metres (optional)",
        help_text="A ring this wide around the target area, to look for crime moving round the corner.",
        required=False,
        min_value=1,
        max_value=20000,
    )
    comparison_lsoa_codes = forms.CharField(
        label="Comparison LSOA codes",
        help_text="One per line: similar places the response did not reach. Or give a ring below instead.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comparison_inner_m = forms.IntegerField(
        label="Comparison ring from (metres)", required=False, min_value=0, max_value=50000
    )
    comparison_outer_m = forms.IntegerField(
        label="Comparison ring to (metres)", required=False, min_value=1, max_value=50000
    )
    maryland_level = forms.TypedChoiceField(
        label="Maryland level (optional)",
        help_text="Leave empty to use the level the design suggests.",
        choices=[("", "As the design suggests"), *MarylandLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    maryland_reason = forms.CharField(
        label="Reason for the level you set", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    missing_months_are_zero = forms.BooleanField(
        label="The months with no crime data held truly had no crime",
        help_text="Only if you know it: otherwise shorten the periods to the months held. No effect size is "
        "given while months with no data count as zero unconfirmed.",
        required=False,
    )
    missing_months_reason = forms.CharField(
        label="Why those months count as no crime", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, crime_types: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted({*POLICE_CRIME_TYPES, *(crime_types or [])})
        field = self.fields["crime_types"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind, kind) for kind in kinds]


class CostsForm(forms.Form):
    officer_hours = forms.DecimalField(label="Officer hours", min_value=0, max_digits=9, decimal_places=2, initial=0)
    officer_hourly_cost = forms.DecimalField(
        label="Officer cost per hour (£)", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    partner_hours = forms.DecimalField(label="Partner hours", min_value=0, max_digits=9, decimal_places=2, initial=0)
    partner_hourly_cost = forms.DecimalField(
        label="Partner cost per hour (£)", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    money_spent = forms.DecimalField(
        label="Money spent (£)",
        help_text="Equipment, works, services bought.",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    costs_notes = forms.CharField(label="Notes on the costs", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EmmieForm(forms.ModelForm[EmmieAssessment]):
    class Meta:
        model = EmmieAssessment
        fields = [name for part, _ in EMMIE_PARTS for name in (part, f"{part}_rating")]
        labels = dict(EMMIE_PARTS) | {
            f"{part}_rating": f"{part.capitalize()}: strength of evidence" for part, _ in EMMIE_PARTS
        }
        widgets = {part: forms.Textarea(attrs={"rows": 3}) for part, _ in EMMIE_PARTS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, _ in EMMIE_PARTS:
            field = self.fields[f"{part}_rating"]
            field.choices = [("", "Not rated"), *EmmieRating.choices]  # type: ignore[attr-defined]
