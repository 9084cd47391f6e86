"""A partner's lists (their problem list, "Shared with us", their home page's shared problems)
start from their organisation's active shares (problems.selectors.sharing.problem_list_from_shares);
the guardian permissions stay the rule (problems.selectors.access.problems_shared_with, and every
problem page). Both ways must agree: the same rows in the same order, for a world of active,
suspended, revoked and lapsed shares."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from partnerships.models import Agreement
from problems.models import ActionStatus, Problem, ProblemShare, Stage
from problems.models.sharing import ShareAccess
from problems.selectors.access import problem_get_for_user, problems_shared_with
from problems.selectors.partner_home import shared_problem_list_recent
from problems.selectors.problems import problem_list_neighbourhoods_for, problem_list_visible_to
from problems.selectors.sharing import problem_list_from_shares, shared_with_us_list
from problems.services.sharing import share_revoke, shares_suspend_for_agreement
from tests.conftest import World
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import active_agreement, share

pytestmark = pytest.mark.django_db

PARTNERS = ("partner_member", "partner_lead")


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _problem(world: World, n: int, **fields: Any) -> Problem:
    """Problems opened on different days, some on the same day (the order's tie-break: id)."""
    fields.setdefault("next_review_date", _days(n % 4) if n % 5 else None)
    return ProblemFactory(force=world.force, owner=world.users["officer"], opened_on=_days(-(n // 2)), **fields)


def _world_of_shares(world: World) -> dict[str, Problem]:
    officer = world.users["officer"]
    problems = {
        name: _problem(world, n)
        for n, name in enumerate(
            [
                "view",
                "contribute",
                "revoked",
                "suspended",
                "lapsed",
                "reshared",
                "other_partner",
                "unshared",
                "second_view",
                "closed",
            ]
        )
    }
    agreement = active_agreement(world.force, world.partner)
    lapsing = active_agreement(world.force, world.partner, reference="ISA-LAPSING")
    suspended = active_agreement(world.force, world.partner, reference="ISA-SUSPENDED")
    share(world, problems["view"], agreement=agreement)
    share(world, problems["second_view"], agreement=agreement)
    share(world, problems["contribute"], agreement=agreement, access_level=ShareAccess.CONTRIBUTE)
    share_revoke(actor=officer, share=share(world, problems["revoked"], agreement=agreement), reason="Done with")
    share(world, problems["suspended"], agreement=suspended)
    shares_suspend_for_agreement(agreement=suspended, reason="Terminated", cause="terminated")
    # Its agreement expired yesterday and no sweep has suspended the share yet: access has ended.
    share(world, problems["lapsed"], agreement=lapsing)
    Agreement.objects.filter(pk=lapsing.pk).update(expiry_date=_days(-1))
    first = share(world, problems["reshared"], agreement=agreement)
    share_revoke(actor=officer, share=first, reason="Shared too soon")
    share(world, problems["reshared"], agreement=agreement, access_level=ShareAccess.CONTRIBUTE)
    share(world, problems["other_partner"], organisation=world.unrelated)
    share(world, problems["closed"], agreement=agreement)
    Problem.objects.filter(pk=problems["closed"].pk).update(stage=Stage.CLOSED, next_review_date=None)
    # An action overdue for the partner puts its problem first in "Shared with us".
    ResponseActionFactory(
        problem=problems["second_view"],
        responsible_organisation=world.partner,
        due_date=_days(-2),
        status=ActionStatus.PLANNED,
    )
    return problems


def _pks(rows: Any) -> list[int]:
    return [row.pk for row in rows]


def _by_guardian(user: Any) -> list[Problem]:
    return list(problems_shared_with(user).order_by(*Problem._meta.ordering))


@pytest.mark.parametrize("persona", PARTNERS)
def test_the_partners_problem_list_from_shares_is_the_guardian_projections_in_order(world: World, persona: str) -> None:
    problems = _world_of_shares(world)
    user = world.users[persona]

    listed = _pks(problem_list_visible_to(user=user))

    assert listed == _pks(_by_guardian(user))
    assert set(listed) == {problems[name].pk for name in ("view", "second_view", "contribute", "reshared", "closed")}
    assert _pks(problem_list_visible_to(user=user, stage=Stage.CLOSED)) == [problems["closed"].pk]


@pytest.mark.parametrize("persona", PARTNERS)
def test_shared_with_us_from_shares_is_the_guardian_projections_in_its_order(world: World, persona: str) -> None:
    problems = _world_of_shares(world)
    user = world.users[persona]
    overdue = {problems["second_view"].pk}
    # The list's order: problems with an action overdue for the organisation first, then soonest
    # review (none last), then reference; computed here from the guardian projection's rows.
    expected = sorted(
        _by_guardian(user),
        key=lambda p: (p.pk not in overdue, p.next_review_date is None, p.next_review_date or _days(0), p.reference),
    )

    rows = list(shared_with_us_list(user=user))

    assert _pks(rows) == _pks(expected)
    assert rows[0].pk == problems["second_view"].pk
    active = {s.problem_id: s for s in ProblemShare.objects.filter(organisation=world.partner, ended_at__isnull=True)}
    assert [(r.share_access, r.share_agreement) for r in rows] == [
        (active[r.pk].access_level, active[r.pk].agreement.reference) for r in rows
    ]
    assert set(_pks(shared_problem_list_recent(user=user))) == set(_pks(expected))


def test_every_problem_is_listed_for_a_partner_exactly_when_its_page_opens_for_them(world: World) -> None:
    problems = _world_of_shares(world)
    for persona in (*PARTNERS, "unrelated_partner"):
        user = world.users[persona]
        listed = set(_pks(problem_list_from_shares(user)))
        for problem in problems.values():
            try:
                problem_get_for_user(user=user, pk=problem.pk)
                opens = True
            except Http404:
                opens = False
            assert (problem.pk in listed) == opens, (persona, problem.title)


def test_the_partners_neighbourhood_filter_offers_the_areas_of_their_shared_problems(world: World) -> None:
    _world_of_shares(world)
    offered = set(problem_list_neighbourhoods_for(world.users["partner_member"]).values_list("pk", flat=True))
    shared = {p.neighbourhood_id for p in _by_guardian(world.users["partner_member"])}
    assert offered == shared - {None}
    assert offered


def test_police_users_get_no_rows_from_shares(world: World) -> None:
    _world_of_shares(world)
    for persona in ("officer", "supervisor", "analyst"):
        assert list(problem_list_from_shares(world.users[persona])) == []
