"""`{% decision_confirm_form entry confirm_form as form %}`: the confirmation form of one entry of
the decision log (problems/_decision_entries.html). The log itself comes from the page's selector
(problems.selectors.page); nothing here asks the database.

A refused confirmation re-renders the problem page with its form (`confirm_form`): the tag hands
it to the entry it was for, so the note typed there is kept and its error shown."""

from __future__ import annotations

from typing import Any

from django import template

from problems.forms.decisions import DecisionConfirmForm

register = template.Library()


@register.simple_tag
def decision_confirm_form(entry: Any, refused: DecisionConfirmForm | None) -> DecisionConfirmForm:
    """The confirmation form for `entry`: the refused one again if it was for this entry (what was
    typed, with its errors), else an empty one."""
    if refused is not None and refused.entry_pk == entry.pk:
        return refused
    return DecisionConfirmForm(entry=entry)
