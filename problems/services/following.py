"""Following a problem (and choosing the daily digest), and stopping. Anyone who can see a problem
may follow it; following grants nothing (problems.models.following)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.audit import audit_record
from problems.models import Problem, ProblemFollower
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User

FOLLOW_NOT_VISIBLE = "You can follow only a problem you can see."


@transaction.atomic
def problem_follow(*, actor: User, problem: Problem, digest: bool = False) -> ProblemFollower:
    """Follow the problem (or change the digest choice of an existing follow)."""
    if not problems_visible_to(actor).filter(pk=problem.pk).exists():
        raise PermissionDenied(FOLLOW_NOT_VISIBLE)
    follower, created = ProblemFollower.objects.get_or_create(
        problem=problem, user=actor, defaults={"digest": bool(digest)}
    )
    if created:
        audit_record(
            actor=actor,
            verb="problems.problem.followed",
            target=problem,
            detail={"reference": problem.reference, "digest": follower.digest},
        )
    elif follower.digest != bool(digest):
        follower.digest = bool(digest)
        follower.save(update_fields=["digest"])
        audit_record(
            actor=actor,
            verb="problems.problem.follow_changed",
            target=problem,
            detail={"reference": problem.reference, "digest": follower.digest},
        )
    return follower


@transaction.atomic
def problem_unfollow(*, actor: User, problem: Problem) -> bool:
    """Stop following the problem. Returns whether the actor was following it (no audit if not).
    Allowed even once the problem is out of sight: nobody is kept following against their will."""
    deleted, _ = ProblemFollower.objects.filter(problem=problem, user=actor).delete()
    if deleted:
        audit_record(
            actor=actor, verb="problems.problem.unfollowed", target=problem, detail={"reference": problem.reference}
        )
    return bool(deleted)
