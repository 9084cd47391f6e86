"""`CompiledQuery` (core.compiled): a query compiled once per shape gives what the ORM gives, for
every police persona and problem the problem page can be asked for (the page's main query,
problems.selectors.page) and for the home page's handover panel (problems.selectors.leads), and
refuses to compile a query it could get wrong."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from core.compiled import CompiledQuery
from problems.models import Problem
from problems.selectors import leads as leads_selectors
from problems.selectors import page as page_selectors
from problems.selectors.access import problem_get_for_user
from problems.selectors.leads import handover_list_awaiting, handover_list_awaiting_first
from problems.selectors.page import problem_page_get_for_user, problem_page_queryset
from problems.services.contributions import problem_consulted
from problems.services.leads import problem_hand_over
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ControllerFactory, ResponseActionFactory

FIELDS = ("pk", "reference", "title", "stage", "restricted", "owner_id", "owning_organisation_id")
ANNOTATIONS = ("page_follow_digest", "page_own_views", "page_own_last_view")


def _seen(problem: Problem) -> tuple[Any, ...]:
    return (
        *(getattr(problem, name) for name in FIELDS),
        *(getattr(problem, name) for name in ANNOTATIONS),
        problem.category.name,
        problem.owner.email,
        problem.owning_organisation.name,
        problem.neighbourhood.name if problem.neighbourhood else None,
        sorted(c.pk for c in problem.controllers.all()),
        sorted((a.pk, a.responsible_organisation_id) for a in problem.actions.all()),
    )


@pytest.mark.django_db
def test_the_problem_page_query_gives_what_the_orm_gives_for_every_police_persona(
    world: World, django_assert_num_queries: Any
) -> None:
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    own = ProblemFactory(force=world.force, owner=officer)
    ControllerFactory(problem=own)
    ResponseActionFactory(problem=own)
    problems = [
        own,
        ProblemFactory(force=world.force, owner=colleague),
        ProblemFactory(force=world.force, owner=colleague, restricted=True),
        ProblemFactory(force=world.force, owner=colleague, restricted=True, named=[officer]),
        ProblemFactory(force=world.force, owner=officer, restricted=True),
        ProblemFactory(),  # another force's
    ]
    problem_consulted(actor=officer, problem=own, how="page")
    for user in (officer, supervisor, colleague, world.users["analyst"]):
        for problem in problems:
            try:
                expected = problem_get_for_user(user=user, pk=problem.pk, queryset=problem_page_queryset(user=user))
            except Http404:
                with pytest.raises(Http404):
                    problem_page_get_for_user(user=user, pk=problem.pk)
            else:
                assert _seen(problem_page_get_for_user(user=user, pk=problem.pk)) == _seen(expected)
    assert all(plan is not None for plan in page_selectors._POLICE_PAGE_QUERY._plans.values())
    # The same queries as the ORM's: the problem, then its prefetches.
    with django_assert_num_queries(7):
        problem_page_get_for_user(user=officer, pk=own.pk)


@pytest.mark.django_db
def test_a_missing_problem_is_not_found(world: World) -> None:
    for pk in (0, 2**31, 999_999):
        with pytest.raises(Http404):
            problem_page_get_for_user(user=world.users["officer"], pk=pk)


def _by_owner(shape: str, *, owner_id: int) -> QuerySet[Problem]:
    return Problem.objects.filter(owner_id=owner_id, stage=shape).order_by("pk")


def _with_the_clock(shape: str, *, owner_id: int) -> QuerySet[Problem]:
    return Problem.objects.filter(owner_id=owner_id, created_at__lte=timezone.now())


def _marker_in_a_text(shape: str, *, owner_id: int) -> QuerySet[Problem]:
    return Problem.objects.filter(title=f"about {owner_id}")


def _marker_unused(shape: str, *, owner_id: int) -> QuerySet[Problem]:
    return Problem.objects.filter(stage=shape) if owner_id else Problem.objects.none()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "compiled"),
    [(_by_owner, True), (_with_the_clock, False), (_marker_in_a_text, False), (_marker_unused, False)],
)
def test_queries_it_could_get_wrong_are_left_to_the_orm(world: World, build: Any, compiled: bool) -> None:
    officer = world.users["officer"]
    mine = ProblemFactory(force=world.force, owner=officer, title=f"about {officer.pk}")
    ProblemFactory(force=world.force)
    query = CompiledQuery(build)
    for _ in range(2):
        assert query.fetch(mine.stage, owner_id=officer.pk) == list(build(mine.stage, owner_id=officer.pk))
    assert [plan is not None for plan in query._plans.values()] == [compiled]


@pytest.mark.django_db
def test_the_handover_panel_gives_what_the_orm_gives(world: World) -> None:
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    for n in range(3):
        problem = ProblemFactory(force=world.force, owner=colleague, restricted=n == 2)
        problem_hand_over(actor=colleague, problem=problem, to_user=officer if n else supervisor, note="Over to you")
    for user in (officer, supervisor, colleague):
        for limit in (1, 11):
            expected = list(handover_list_awaiting(user=user)[:limit])
            assert handover_list_awaiting_first(user=user, limit=limit) == expected
            assert [h.problem.reference for h in handover_list_awaiting_first(user=user, limit=limit)] == [
                h.problem.reference for h in expected
            ]
    assert len(handover_list_awaiting_first(user=officer, limit=11)) == 2
    assert leads_selectors._POLICE_HANDOVERS_AWAITING._plans
    assert all(plan is not None for plan in leads_selectors._POLICE_HANDOVERS_AWAITING._plans.values())
