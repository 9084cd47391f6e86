"""The search box's one field: parsing only (search.views)."""

from __future__ import annotations

from django import forms

from core.search import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH

QUERY_EMPTY = "Enter a word, name or reference to search for."
QUERY_TOO_SHORT = f"Enter at least {MIN_QUERY_LENGTH} characters to search for."
QUERY_TOO_LONG = f"Enter at most {MAX_QUERY_LENGTH} characters to search for."


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"required": QUERY_EMPTY, "min_length": QUERY_TOO_SHORT, "max_length": QUERY_TOO_LONG},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
