"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.concurrency import EditConflict, form_show_conflict


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates, which it needs."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
