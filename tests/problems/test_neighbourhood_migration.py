"""The migrations that made a problem's typed neighbourhood a foreign key to its force's list
(problems 0010-0012, issue 17), run on real rows: every typed spelling of a listed neighbourhood
finds it, a name that matches none becomes a neighbourhood of the force to review, a blank stays
empty, no problem is lost; and a problem typed "City centre " is then in the City Centre report.
Reversed, each problem's text is its neighbourhood's name again."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from evaluation.selectors.impact import impact_scope_for
from evaluation.selectors.impact_report import impact_report_build
from partnerships.models import Neighbourhood
from problems.models import Problem, ProblemCategory
from problems.models.problems import NO_NEIGHBOURHOOD
from tests.conftest import World
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.partnerships.factories_partnerships import make_partnership

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("problems", "0009_decision_confirmations")]

# Typed by officers of the world's force, each with the neighbourhood it must end in.
TYPED = {
    "City centre ": "City Centre",
    "CITY  CENTRE": "City Centre",
    " City Centre": "City Centre",
    "city\tcentre": "City Centre",
    "Cardiff city centre": "Cardiff city centre",
    "cardiff CITY centre ": "Cardiff city centre",
    "Eastgate": "Eastgate",
    "": None,
}


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; the models as they were there (the historical apps)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    # Every app's latest, not only problems': migrating problems back also reverses the apps whose
    # migrations depend on it (data protection, the API, ...), and the next test on this database
    # (whichever pytest-xdist worker runs it) needs them all.
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_0010() -> Iterator[Any]:
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_latest())


def _typed_problem(apps: Any, world: World, number: int, text: str, *, force: Any = None) -> int:
    force = force or world.force
    owner = world.users["officer"] if force == world.force else world.users["analyst"]
    problem = apps.get_model("problems", "Problem").objects.create(
        reference=f"PRB-2026-{number:05d}",
        title=f"Problem {number}",
        description="Typed before the neighbourhood list.",
        category_id=ProblemCategory.objects.get(code="asb").pk,
        owning_organisation_id=force.pk,
        owner_id=owner.pk,
        created_by_id=owner.pk,
        neighbourhood=text,
        source="community_report",
        risk_level="medium",
        opened_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    return int(problem.pk)


def test_typed_neighbourhoods_are_matched_ignoring_case_and_spaces_and_none_is_lost(
    world: World, before_0010: Any
) -> None:
    partnership = make_partnership(members=[world.force, world.partner], name="City Partnership")
    city = NeighbourhoodFactory(
        name="City Centre", slug="city-centre", organisation=world.force, partnership=partnership
    )
    eastgate = NeighbourhoodFactory(name="Eastgate", slug="eastgate", organisation=world.force, partnership=partnership)
    southshire = PoliceForceFactory(name="Southshire Police")
    ids = {text: _typed_problem(before_0010, world, n, text) for n, text in enumerate(TYPED, start=1)}
    # Another force typed "City centre" too: it has no such neighbourhood, so it gets its own.
    elsewhere = _typed_problem(before_0010, world, 99, "City centre", force=southshire)

    _migrate(_latest())

    assert Problem.objects.count() == len(TYPED) + 1
    found = {text: Problem.objects.select_related("neighbourhood").get(pk=pk).neighbourhood for text, pk in ids.items()}
    assert {text: (n.name if n else None) for text, n in found.items()} == TYPED
    assert found["City centre "] == city
    assert found["Eastgate"] == eastgate
    made = found["Cardiff city centre"]
    assert made is not None
    assert (made.organisation_id, made.needs_review, made.active, made.slug) == (
        world.force.pk,
        True,
        True,
        "cardiff-city-centre",
    )
    assert not Neighbourhood.objects.get(pk=city.pk).needs_review
    theirs = Problem.objects.select_related("neighbourhood").get(pk=elsewhere).neighbourhood
    assert theirs is not None
    assert (theirs.name, theirs.organisation_id, theirs.needs_review, theirs.slug) == (
        "City centre",
        southshire.pk,
        True,
        "city-centre-2",
    )

    # The report for City Centre counts the four typed spellings of it, and the blank one is on a
    # line of its own.
    supervisor = world.users["supervisor"]
    today = timezone.localdate()
    scope = impact_scope_for(
        user=supervisor, area=f"neighbourhood-{city.pk}", start=today - datetime.timedelta(days=30), end=today
    )
    report = impact_report_build(scope, with_sources=False)
    assert report.flow.opened == 4
    assert set(scope.problems().values_list("pk", flat=True)) == {ids[t] for t in TYPED if TYPED[t] == "City Centre"}
    assert [(a.name, a.opened) for a in report.flow.by_area] == [("City Centre", 4), (NO_NEIGHBOURHOOD, 1)]
    partnership_scope = impact_scope_for(
        user=supervisor, area=f"partnership-{partnership.pk}", start=today - datetime.timedelta(days=30), end=today
    )
    by_area = impact_report_build(partnership_scope, with_sources=False).flow.by_area
    assert [(a.name, a.opened) for a in by_area] == [("City Centre", 4), ("Eastgate", 1), (NO_NEIGHBOURHOOD, 1)]


def test_reversed_each_problem_has_its_neighbourhoods_name_as_text(world: World, before_0010: Any) -> None:
    NeighbourhoodFactory(name="City Centre", slug="city-centre", organisation=world.force)
    ids = {text: _typed_problem(before_0010, world, n, text) for n, text in enumerate(TYPED, start=1)}
    _migrate(_latest())

    old = _migrate(BEFORE)

    texts = dict(old.get_model("problems", "Problem").objects.values_list("pk", "neighbourhood"))
    assert {text: texts[pk] for text, pk in ids.items()} == {text: name or "" for text, name in TYPED.items()}
