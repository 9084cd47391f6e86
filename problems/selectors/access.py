"""Who may see and do what with a problem (DESIGN.md section 4). The one place these rules live:
views, selectors and templates all ask here.

Police users of the owning force see its unrestricted problems; a restricted problem is seen only
by its owner, the owning force's supervisors and its named users. Partners see nothing until the
problem is shared with their organisation (the sharing issue); administrators see no operational
records. Outsiders get 404, never 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role
from core.access import get_visible_or_404
from problems.models import Problem

if TYPE_CHECKING:
    from accounts.models import User

PROBLEM_ACTIONS = ("view", "change", "contribute", "sign_off")
# Analysts read problems to prepare comparisons; officers and supervisors also work them.
CONTRIBUTING_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def problems_visible_to(user: User) -> QuerySet[Problem]:
    """Every problem the user may see; a plain queryset to build lists and access helpers on."""
    if not user.is_authenticated or not user.is_police:
        return Problem.objects.none()
    own_force = Problem.objects.filter(owning_organisation_id=user.organisation_id)
    if user.role == Role.SUPERVISOR:
        return own_force
    named = Problem.named_users.through.objects.filter(problem_id=OuterRef("pk"), user_id=user.pk)
    return own_force.filter(Q(restricted=False) | Q(owner_id=user.pk) | Exists(named))


def can_create_problem(user: User) -> bool:
    return user.is_authenticated and user.role in CONTRIBUTING_ROLES and user.organisation.is_police


def can_change_problem(user: User, problem: Problem) -> bool:
    """Edit the record and its SARA content, move it between stages: its owner or a supervisor."""
    if problem.owning_organisation_id != user.organisation_id:
        return False
    return problem.owner_id == user.pk or user.role == Role.SUPERVISOR


def can_contribute_to_problem(user: User, problem: Problem) -> bool:
    """Add decision log entries and reviews: officers and supervisors of the owning force."""
    return problem.owning_organisation_id == user.organisation_id and user.role in CONTRIBUTING_ROLES


def can_sign_off_problem(user: User, problem: Problem) -> bool:
    return problem.owning_organisation_id == user.organisation_id and user.role == Role.SUPERVISOR


_CHECKS = {
    "change": can_change_problem,
    "contribute": can_contribute_to_problem,
    "sign_off": can_sign_off_problem,
}


def problem_get_for_user(
    *, user: User, pk: object, action: str = "view", queryset: QuerySet[Problem] | None = None
) -> Problem:
    """The problem if the user may see it (else 404) and may do `action` to it (else 403).
    `queryset` lets a view add its select_related/prefetch_related."""
    if action not in PROBLEM_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    visible = problems_visible_to(user)
    if queryset is not None:
        visible = queryset & visible
    problem = get_visible_or_404(visible, pk=pk)
    if action != "view" and not _CHECKS[action](user, problem):
        raise PermissionDenied
    return problem
