"""`{% decision_log problem user %}`: the problem's decision log, for the problem page. The tag runs
the selector itself, so the page that includes it needs no knowledge of how the log is fetched."""

from __future__ import annotations

from typing import Any

from django import template

from problems.models import Problem
from problems.selectors.access import can_record_decision
from problems.selectors.decisions import decision_list_for_problem

register = template.Library()


@register.inclusion_tag("problems/_decision_log.html")
def decision_log(problem: Problem, user: Any) -> dict[str, Any]:
    return {
        "problem": problem,
        "decisions": decision_list_for_problem(problem=problem),
        "can_record_decision": bool(user.is_authenticated and can_record_decision(user, problem)),
        "heading_level": 2,
    }
