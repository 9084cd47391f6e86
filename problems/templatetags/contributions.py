"""The problem page's panels for updates, attachments, and who has seen or received the problem.
Each tag runs its selector itself, so the page that includes it needs no knowledge of how."""

from __future__ import annotations

from typing import Any

from django import template

from problems.models import DisclosurePart, Problem
from problems.selectors.access import can_change_problem, can_contribute_to_problem, can_sign_off_problem
from problems.selectors.contributions import (
    DISCLOSURE_PANEL_LIMIT,
    actions_for_organisation,
    attachment_list_for_problem,
    disclosure_events_for_problem,
    update_list_for_problem,
)
from problems.selectors.disclosure import WITHHELD_TEXT, disclosure_for

register = template.Library()


def _may_contribute(user: Any, problem: Problem) -> bool:
    return bool(user.is_authenticated and can_contribute_to_problem(user, problem))


@register.inclusion_tag("problems/_updates.html")
def updates_panel(problem: Problem, user: Any) -> dict[str, Any]:
    may_contribute = _may_contribute(user, problem)
    disclosure = disclosure_for(user=user, problem=problem)
    updates = disclosure.split(DisclosurePart.UPDATE, update_list_for_problem(problem=problem))
    own_actions = (
        actions_for_organisation(problem=problem, user=user)
        if may_contribute and user.organisation_id != problem.owning_organisation_id
        else []
    )
    return {
        "problem": problem,
        "updates": updates.entries,
        "withheld": updates.note,
        "can_contribute": may_contribute,
        # Actions the user's own organisation is responsible for, when it is not the owner (the
        # owner completes actions through the action form); an action's text the share does not
        # disclose is replaced by the withheld note (the action is still theirs to complete).
        "own_actions": [(action, disclosure.entry(DisclosurePart.ACTION, action)) for action in own_actions],
        "withheld_text": WITHHELD_TEXT,
    }


@register.inclusion_tag("problems/_attachments.html")
def attachments_panel(problem: Problem, user: Any) -> dict[str, Any]:
    attachments = disclosure_for(user=user, problem=problem).split(
        DisclosurePart.ATTACHMENT, attachment_list_for_problem(problem=problem)
    )
    return {
        "problem": problem,
        "attachments": attachments.entries,
        "withheld": attachments.note,
        "can_contribute": _may_contribute(user, problem),
    }


@register.inclusion_tag("problems/_disclosures.html")
def disclosure_panel(problem: Problem, user: Any) -> dict[str, Any]:
    """Only the owner and the owning force's supervisors see who has seen or received the problem."""
    visible = bool(user.is_authenticated and (can_change_problem(user, problem) or can_sign_off_problem(user, problem)))
    return {
        "problem": problem,
        "visible": visible,
        "events": disclosure_events_for_problem(problem=problem) if visible else [],
        "limit": DISCLOSURE_PANEL_LIMIT,
    }


@register.filter
def disclosure_recipients(detail: Any) -> str:
    """The recipients named by a disclosure event, as one line."""
    recipients = detail.get("recipients", []) if isinstance(detail, dict) else []
    if isinstance(recipients, str):
        return recipients
    return ", ".join(str(recipient) for recipient in recipients)
