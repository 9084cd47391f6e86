"""Seldom-heard coverage: computed from a hand-made set of events, by neighbourhood and group, with
the source that reached each group; the registry of reach sources; the grid page and the
supervisor's home page list of gaps, each in a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engagement.coverage import reach_sources, register_reach_source, unregister_reach_source
from engagement.selectors.coverage import coverage_grid
from partnerships.models import SeldomHeardGroup
from tests.conftest import World, sign_in
from tests.engagement.factories import groups, make_event, neighbourhood_for
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def _cells(grid, neighbourhood_name: str) -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    row = next(r for r in grid.rows if r.neighbourhood.name == neighbourhood_name)
    return {cell.group.name: cell.sources for cell in row.cells}


def test_engagement_source_is_registered_by_the_app() -> None:
    assert "engagement" in reach_sources()


def test_coverage_marks_groups_reached_by_events_in_the_period_and_the_gaps(world: World) -> None:
    eastgate = neighbourhood_for(world, name="Eastgate")
    riverside = neighbourhood_for(world, name="Riverside")
    make_event(eastgate, held_on=START, groups_represented=groups("Young people", "Older people"))
    make_event(eastgate, held_on=END, groups_represented=groups("Older people", "Students"))
    # Outside the period, on each side: not counted.
    make_event(eastgate, held_on=START - datetime.timedelta(days=1), groups_represented=groups("Faith communities"))
    make_event(eastgate, held_on=END + datetime.timedelta(days=1), groups_represented=groups("Business owners"))
    make_event(riverside, held_on=datetime.date(2026, 3, 1), groups_represented=groups("Disabled people"))

    grid = coverage_grid(user=world.users["supervisor"], start=START, end=END)

    eastgate_cells = _cells(grid, "Eastgate")
    assert {name for name, sources in eastgate_cells.items() if sources} == {"Young people", "Older people", "Students"}
    assert eastgate_cells["Older people"] == ("engagement",)
    assert eastgate_cells["Faith communities"] == ()
    assert eastgate_cells["Business owners"] == ()
    riverside_cells = _cells(grid, "Riverside")
    assert {name for name, sources in riverside_cells.items() if sources} == {"Disabled people"}
    row = next(r for r in grid.rows if r.neighbourhood.name == "Riverside")
    assert len(row.gaps) == SeldomHeardGroup.objects.filter(active=True).count() - 1


def test_a_registered_source_adds_groups_it_reached_and_is_named_in_the_cell(world: World) -> None:
    eastgate = neighbourhood_for(world, name="Eastgate")
    make_event(eastgate, held_on=START, groups_represented=groups("Young people"))
    students = SeldomHeardGroup.objects.get(name="Students")
    young = SeldomHeardGroup.objects.get(name="Young people")
    calls: list[tuple[list[int], datetime.date, datetime.date]] = []

    def leaflets(ids: Sequence[int], start: datetime.date, end: datetime.date) -> Iterable[tuple[int, int]]:
        calls.append((list(ids), start, end))
        return [(eastgate.pk, students.pk), (eastgate.pk, young.pk)]

    register_reach_source("leaflets", leaflets)
    try:
        grid = coverage_grid(user=world.users["officer"], start=START, end=END)
    finally:
        unregister_reach_source("leaflets")

    assert calls == [([eastgate.pk], START, END)]
    cells = _cells(grid, "Eastgate")
    assert cells["Students"] == ("leaflets",)
    assert cells["Young people"] == ("engagement", "leaflets")
    assert "leaflets" not in reach_sources()


def test_partner_sees_coverage_only_of_their_partnerships_neighbourhoods(world: World) -> None:
    neighbourhood_for(world, name="Eastgate")
    NeighbourhoodFactory(name="Elsewhere", organisation=world.force)  # no partnership
    grid = coverage_grid(user=world.users["partner_member"])
    assert [row.neighbourhood.name for row in grid.rows] == ["Eastgate"]
    assert coverage_grid(user=world.users["unrelated_partner"]).rows == []
    assert coverage_grid(user=world.users["administrator"]).rows == []


def test_police_of_another_force_see_no_coverage_of_ours(world: World) -> None:
    neighbourhood_for(world)
    other = PoliceForceFactory()
    from tests.accounts.factories import UserFactory

    outsider = UserFactory(role="supervisor", organisation=other)
    assert coverage_grid(user=outsider).rows == []


def test_coverage_page_shows_the_grid_with_reached_and_not_reached_cells(world: World) -> None:
    eastgate = neighbourhood_for(world)
    make_event(eastgate, groups_represented=groups("Young people"))
    response = sign_in(Client(), world.users["analyst"]).get(reverse("coverage"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-group="Young people" data-sources="engagement"' in text
    assert 'data-group="Students" data-sources=""' in text
    assert "Not reached" in text


def test_coverage_page_reports_a_reversed_period_without_failing(world: World) -> None:
    neighbourhood_for(world)
    response = sign_in(Client(), world.users["officer"]).get(
        reverse("coverage"), {"start": "2026-06-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in response.content.decode()
    assert 'value="2026-06-01"' in response.content.decode()


def test_coverage_page_keeps_the_same_query_count_with_1_and_with_5_neighbourhoods(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = sign_in(Client(), world.users["officer"])
    sources = len(reach_sources())

    def count(rows: int) -> None:
        for _ in range(rows - len(client.get(reverse("coverage")).context["grid"].rows)):
            n = NeighbourhoodFactory(organisation=world.force)
            make_event(n, by=world.users["officer"], groups_represented=groups("Young people", "Students"))
        # 1 the session, 2 the user, 3 the OTP device, 4 the neighbourhoods for the filter, 5 the
        # neighbourhoods of the grid, 6 the groups, then one query per reach source.
        with django_assert_num_queries(6 + sources):
            response = client.get(reverse("coverage"))
        assert len(response.context["grid"].rows) == rows

    count(1)
    count(5)


def test_supervisor_home_lists_neighbourhoods_with_groups_not_reached(world: World) -> None:
    eastgate = neighbourhood_for(world, name="Eastgate")
    everyone = list(SeldomHeardGroup.objects.filter(active=True))
    make_event(eastgate, groups_represented=[g for g in everyone if g.name != "Students"])
    riverside = neighbourhood_for(world, name="Riverside")
    make_event(riverside, groups_represented=everyone)
    # Reached, but more than twelve months ago: a gap today.
    northfield = neighbourhood_for(world, name="Northfield")
    make_event(northfield, held_on=timezone.localdate() - datetime.timedelta(days=400), groups_represented=everyone)

    response = sign_in(Client(), world.users["supervisor"]).get(reverse("home"))

    gaps = {row.neighbourhood.name: [g.name for g in row.gaps] for row in response.context["coverage_gaps"]}
    assert gaps["Eastgate"] == ["Students"]
    assert "Riverside" not in gaps
    assert len(gaps["Northfield"]) == len(everyone)
    assert "Seldom-heard groups not reached" in response.content.decode()


def test_supervisor_home_keeps_the_same_query_count_with_1_and_with_5_neighbourhoods_with_gaps(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = sign_in(Client(), world.users["supervisor"])
    sources = len(reach_sources())

    def count(rows: int) -> None:
        for _ in range(rows - len(client.get(reverse("home")).context["coverage_gaps"])):
            n = NeighbourhoodFactory(organisation=world.force)
            make_event(n, by=world.users["officer"], groups_represented=groups("Young people"))
        # 1 the session, 2 the user, 3 the OTP device, 4 partners with no SPOC, 5 overdue problems,
        # 6 problems awaiting sign-off, 7 failed reminders, 8 the force's neighbourhoods, 9 the
        # groups, then one query per reach source, then the force's inactive accounts (none, so no
        # problem they lead is read), the handovers awaiting the supervisor's acknowledgement and
        # the count of closed problems due for a retention review.
        with django_assert_num_queries(9 + sources + 3):
            response = client.get(reverse("home"))
        assert len(response.context["coverage_gaps"]) == rows

    count(1)
    count(5)


def test_default_period_is_the_last_twelve_months() -> None:
    from engagement.selectors.coverage import default_period

    start, end = default_period(TODAY)
    assert end == TODAY
    assert (end - start).days == 364
