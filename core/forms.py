"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.concurrency import EditConflict, form_show_conflict

LATITUDE_INVALID = "Enter the latitude as a number between -90 and 90, for example 53.480759."
LONGITUDE_INVALID = "Enter the longitude as a number between -180 and 180, for example -2.242631."
# Every way a typed coordinate can be wrong gets the one message that says what to type.
_COORDINATE_ERRORS = ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits")


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates, which it needs."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _coordinate_field(*, label: str, limit: int, message: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=help_text,
        error_messages=dict.fromkeys(_COORDINATE_ERRORS, message),
    )


def latitude_field(*, help_text: str = "") -> forms.DecimalField:
    """An optional latitude in degrees (the models' DecimalField(9, 6)), typed or set by the map's
    location picker (static/js/location_picker.js)."""
    return _coordinate_field(label="Latitude", limit=90, message=LATITUDE_INVALID, help_text=help_text)


def longitude_field(*, help_text: str = "") -> forms.DecimalField:
    """An optional longitude in degrees; see latitude_field."""
    return _coordinate_field(label="Longitude", limit=180, message=LONGITUDE_INVALID, help_text=help_text)


def form_add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has that field,
    otherwise in the error summary (a form may not show every field a service checks). A record
    changed by someone else meanwhile (core.concurrency) shows their version beside the form."""
    if isinstance(error, EditConflict):
        form_show_conflict(form, error)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
