"""`{% decision_log problem user %}`: the problem's decision log, for the problem page. The tag runs
the selector itself, so the page that includes it needs no knowledge of how the log is fetched.

A refused confirmation re-renders the problem page with its form (`form` in the page's context):
the tag hands it to the entry it was for, so the note typed there is kept and its error shown."""

from __future__ import annotations

from typing import Any

from django import template

from problems.forms.decisions import DecisionConfirmForm
from problems.models import DisclosurePart, Problem
from problems.selectors.access import can_record_decision
from problems.selectors.decisions import decision_list_for_problem, decision_log_rows
from problems.selectors.disclosure import disclosure_for

register = template.Library()


@register.inclusion_tag("problems/_decision_log.html", takes_context=True)
def decision_log(context: template.Context, problem: Problem, user: Any) -> dict[str, Any]:
    form = context.get("form")
    decisions = disclosure_for(user=user, problem=problem).split(
        DisclosurePart.DECISION, decision_list_for_problem(problem=problem)
    )
    return {
        "problem": problem,
        "rows": decision_log_rows(entries=decisions.entries, user=user),
        "withheld": decisions.note,
        "can_record_decision": bool(user.is_authenticated and can_record_decision(user, problem)),
        "confirm_form": form if isinstance(form, DecisionConfirmForm) else None,
        "heading_level": 2,
    }


@register.simple_tag
def decision_confirm_form(entry: Any, refused: DecisionConfirmForm | None) -> DecisionConfirmForm:
    """The confirmation form for `entry`: the refused one again if it was for this entry (what was
    typed, with its errors), else an empty one."""
    if refused is not None and refused.entry_pk == entry.pk:
        return refused
    return DecisionConfirmForm(entry=entry)
