"""Reads of follows: whether a user follows a problem (the problem page's Follow button)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from problems.models import Problem, ProblemFollower

if TYPE_CHECKING:
    from accounts.models import User


def follower_for(*, user: User, problem: Problem) -> ProblemFollower | None:
    """The user's follow of the problem, or None. One query."""
    return ProblemFollower.objects.filter(problem_id=problem.pk, user_id=user.pk).first()
