"""Who may write a problem's assessment and the unit costs of crime (DESIGN.md section 4). The one
place these rules live: services refuse by them, views and templates ask them.

- A problem's before/after design, costs and EMMIE: those who may edit the problem's sections (its lead,
  its team, a supervisor of the owning force) and the owning force's analysts, who build the comparisons.
- Unit costs of crime: analysts and supervisors of any force."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Role
from problems.selectors.access import can_edit_problem_sections

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem


def can_assess_problem(user: User, problem: Problem) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ANALYST and problem.owning_organisation_id == user.organisation_id:
        return True
    return can_edit_problem_sections(user, problem)


def can_edit_unit_costs(user: User) -> bool:
    return user.is_authenticated and user.is_police and user.role in (Role.ANALYST, Role.SUPERVISOR)
