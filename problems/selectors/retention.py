"""Reads for retention reviews (DESIGN.md section 5): who may review a force's closed problems,
which are due, and the counts of what each problem holds (the review page shows counts, never the
case text).

Retention is reviewed by the owning force's supervisors and its data protection officers. The DPO
sees no case record (DESIGN.md section 1): the retention pages show them a problem's metadata and
the number of entries in each part, never its text; supervisors may follow a link to the problem.
Other users get 403 for a problem they can see and 404 for one they cannot (outsiders learn
nothing)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from core.access import get_visible_or_404
from problems.models import Problem, ProblemDisposal, RetentionReview, Stage
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User

RETENTION_ROLES = frozenset({Role.SUPERVISOR, Role.DATA_PROTECTION_OFFICER})
CANNOT_REVIEW_RETENTION = "Only the force's supervisors and data protection officers review retention."
RETENTION_RELATIONS = ("category", "neighbourhood")


def can_review_retention(user: User) -> bool:
    return user.is_authenticated and user.role in RETENTION_ROLES


def retention_problems_for(user: User) -> QuerySet[Problem]:
    """The closed problems whose retention `user` reviews: those of their force (restricted ones
    too: retention covers every record the force holds), disposed ones included."""
    if not can_review_retention(user):
        return Problem.objects.none()
    return Problem.objects.filter(owning_organisation_id=user.organisation_id, stage=Stage.CLOSED)


def retention_check_access(user: User) -> None:
    """The retention list: 403 for a signed-in user who does not review retention."""
    if not can_review_retention(user):
        raise PermissionDenied(CANNOT_REVIEW_RETENTION)


def retention_problem_get_for_user(*, user: User, pk: int) -> Problem:
    """The closed problem `pk` for its retention review: 404 to whoever cannot see it, 403 to a
    user who can see the problem but does not review retention."""
    if not can_review_retention(user):
        if problems_visible_to(user).filter(pk=pk).exists():
            raise PermissionDenied(CANNOT_REVIEW_RETENTION)
        raise Http404
    return get_visible_or_404(
        retention_problems_for(user).select_related(*RETENTION_RELATIONS, "disposal__disposed_by"), pk=pk
    )


def retention_list_due_for(*, user: User, today: datetime.date | None = None) -> QuerySet[Problem]:
    """The force's closed problems, not disposed, whose retention review date is today or past,
    longest due first, each with its category and neighbourhood: one query (the partial index
    problem_retention_due_idx)."""
    today = today or timezone.localdate()
    return (
        retention_problems_for(user)
        .filter(disposed_at__isnull=True, retention_review_date__lte=today)
        .select_related(*RETENTION_RELATIONS)
        .order_by("retention_review_date", "pk")
    )


def retention_list_disposed_for(*, user: User) -> QuerySet[ProblemDisposal]:
    """The force's disposal records, newest first."""
    if not can_review_retention(user):
        return ProblemDisposal.objects.none()
    return ProblemDisposal.objects.filter(problem__owning_organisation_id=user.organisation_id).select_related(
        "disposed_by"
    )


def retention_due_count_for(*, user: User, today: datetime.date | None = None) -> int:
    return retention_list_due_for(user=user, today=today).count()


def retention_due_by_organisation(*, today: datetime.date) -> dict[int, list[str]]:
    """For the monthly sweep (runs as the system): the references of every force's closed
    problems due for retention review, by owning organisation. One query."""
    found: dict[int, list[str]] = {}
    rows = (
        Problem.objects.filter(stage=Stage.CLOSED, disposed_at__isnull=True, retention_review_date__lte=today)
        .order_by("owning_organisation_id", "retention_review_date", "pk")
        .values_list("owning_organisation_id", "reference")
    )
    for organisation_id, reference in rows:
        found.setdefault(organisation_id, []).append(reference)
    return found


def retention_reviews_of(*, problem: Problem) -> QuerySet[RetentionReview]:
    return problem.retention_reviews.select_related("reviewed_by")
