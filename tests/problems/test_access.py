"""Who sees a problem: the owning force's police users; restricted ones only the owner, the
force's supervisors and named users; partners and administrators nothing (DESIGN.md section 4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from problems.selectors.access import problem_get_for_user, problems_visible_to
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def test_police_users_of_the_owning_force_see_unrestricted_problems(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    for persona in ("officer", "supervisor", "analyst"):
        assert list(problems_visible_to(world.users[persona])) == [problem], persona
    for persona in ("partner_member", "partner_lead", "unrelated_partner", "administrator"):
        assert not problems_visible_to(world.users[persona]).exists(), persona


def test_restricted_problem_is_hidden_from_other_officers(world: World) -> None:
    other_officer = UserFactory(role=Role.OFFICER, organisation=world.force)
    named = UserFactory(role=Role.ANALYST, organisation=world.force)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], restricted=True, named=[named])
    for user in (world.users["officer"], world.users["supervisor"], named):
        assert problem_get_for_user(user=user, pk=problem.pk) == problem
    for user in (other_officer, world.users["analyst"]):
        with pytest.raises(Http404):
            problem_get_for_user(user=user, pk=problem.pk)


def test_another_forces_problem_is_not_found(world: World) -> None:
    problem = ProblemFactory()
    with pytest.raises(Http404):
        problem_get_for_user(user=world.users["supervisor"], pk=problem.pk)


def test_only_owner_and_supervisors_change_and_only_supervisors_sign_off(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    other_officer = UserFactory(role=Role.OFFICER, organisation=world.force)
    assert problem_get_for_user(user=world.users["officer"], pk=problem.pk, action="change")
    assert problem_get_for_user(user=world.users["supervisor"], pk=problem.pk, action="sign_off")
    assert problem_get_for_user(user=other_officer, pk=problem.pk, action="contribute")
    with pytest.raises(PermissionDenied):
        problem_get_for_user(user=other_officer, pk=problem.pk, action="change")
    with pytest.raises(PermissionDenied):
        problem_get_for_user(user=world.users["officer"], pk=problem.pk, action="sign_off")
    with pytest.raises(PermissionDenied):
        problem_get_for_user(user=world.users["analyst"], pk=problem.pk, action="contribute")
