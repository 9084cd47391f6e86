"""The token form: parsing only (api.services.token_create checks the rules)."""

from __future__ import annotations

from django import forms

from api.models import TokenScope
from api.services import LIFETIME_CHOICES, MAX_LIFETIME_DAYS, NAME_MAX_LENGTH, NAME_REQUIRED

LIFETIME_REQUIRED = "Choose how long the token lasts."
SCOPE_REQUIRED = "Choose what the token may do."


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text="Where it is used, for example \u201cCouncil case system\u201d.",
        error_messages={"required": NAME_REQUIRED},
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=TokenScope.choices,
        widget=forms.RadioSelect,
        initial=TokenScope.READ,
        error_messages={"required": SCOPE_REQUIRED},
    )
    lifetime_days = forms.TypedChoiceField(
        label="Lasts for",
        choices=[(days, f"{days} days") for days in LIFETIME_CHOICES],
        coerce=int,
        initial=MAX_LIFETIME_DAYS,
        error_messages={"required": LIFETIME_REQUIRED},
    )
