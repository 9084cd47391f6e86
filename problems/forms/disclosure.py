"""The data category field of every form that writes a part of a problem that can hold personal
data (problems.models.disclosure): empty keeps the part's usual category."""

from __future__ import annotations

from django import forms

from partnerships.models import DataCategory
from problems.models import DEFAULT_CATEGORY_CODES
from problems.models.disclosure import CATEGORY_HELP

CATEGORY_INVALID = "Choose a data category from the list."
USUAL_CATEGORY = "The usual category: {name}"
# The labels avoid the words of their forms' other labels ("Description", "Category", "Problem
# statement"), so that each field is found by its own label alone.
KIND_OF_DATA = "Kind of personal data (for sharing)"


def data_category_field(
    part: str, *, label: str = KIND_OF_DATA, help_text: str = CATEGORY_HELP
) -> forms.ModelChoiceField[DataCategory]:
    """A choice of every data category; the empty choice names the part's default."""
    default = DEFAULT_CATEGORY_CODES[part]
    name = DataCategory.objects.filter(code=default).values_list("name", flat=True).first() or default
    return forms.ModelChoiceField(
        label=label,
        queryset=DataCategory.objects.order_by("kind", "name"),
        required=False,
        empty_label=USUAL_CATEGORY.format(name=name),
        help_text=help_text,
        error_messages={"invalid_choice": CATEGORY_INVALID},
    )
