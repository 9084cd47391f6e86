"""Template tags for the sharing slots of the problem page (problems/_share_banner.html and
problems/_shares_panel.html): each runs its selector, so the page needs no knowledge of sharing.

    {% partner_share problem request.user as share %}
    {% problem_shares problem request.user as shares %}   (None unless the user manages shares)
"""

from __future__ import annotations

from typing import Any

from django import template

from problems.models import Problem
from problems.models.sharing import ProblemShare
from problems.selectors.sharing import can_manage_shares, share_for_partner_view, share_list_for_problem

register = template.Library()


@register.simple_tag
def partner_share(problem: Problem, user: Any) -> ProblemShare | None:
    return share_for_partner_view(user=user, problem=problem)


@register.simple_tag
def problem_shares(problem: Problem, user: Any) -> list[ProblemShare] | None:
    if not can_manage_shares(user, problem):
        return None
    return list(share_list_for_problem(problem=problem))
