"""The demo problems: about twenty across every stage, one worked example from scanning to
closure, and running the demo twice changes nothing."""

from __future__ import annotations

import io

import pytest

from accounts import demo as accounts_demo
from core.models import AuditEvent
from partnerships.demo import organisations as demo_organisations
from partnerships.models import Organisation, Sector
from problems.demo import problems as demo_problems
from problems.models import (
    ActionStatus,
    DecisionLogEntry,
    Problem,
    ReviewEntry,
    Stage,
    StageTransition,
)

pytestmark = pytest.mark.django_db


def _seed() -> None:
    # In seed_demo's order: organisations, the demo users, then the records.
    demo_organisations.seed(stdout=io.StringIO())
    accounts_demo.seed(stdout=io.StringIO())
    demo_problems.seed(stdout=io.StringIO())


def _counts() -> tuple[int, ...]:
    return (
        Problem.objects.count(),
        DecisionLogEntry.objects.count(),
        ReviewEntry.objects.count(),
        StageTransition.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seeding_twice_changes_nothing() -> None:
    _seed()
    counts = _counts()
    _seed()
    assert _counts() == counts


def test_about_twenty_problems_cover_every_stage() -> None:
    _seed()
    problems = Problem.objects.filter(owning_organisation__name="Northshire Police")
    assert 18 <= problems.count() <= 22
    assert set(problems.values_list("stage", flat=True)) == set(Stage.values)


def test_the_worked_example_is_closed_signed_off_and_complete() -> None:
    _seed()
    problem = Problem.objects.get(title=demo_problems.WORKED_EXAMPLE)
    assert problem.stage == Stage.CLOSED
    assert problem.closed_at is not None
    assert problem.signed_off_by is not None
    assert problem.signed_off_by.email == "supervisor@police.example"
    assert list(problem.transitions.values_list("to_stage", flat=True)) == [
        Stage.ANALYSIS,
        Stage.RESPONSE,
        Stage.ASSESSMENT,
        Stage.CLOSED,
    ]
    assert all(objective.result for objective in problem.objectives.all())
    assert problem.objectives.filter(baseline="").count() == 0
    assert problem.lessons_learned
    statuses = set(problem.actions.values_list("status", flat=True))
    assert statuses <= {ActionStatus.DONE, ActionStatus.CANCELLED}
    assert ActionStatus.DONE in statuses
    assert problem.reviews.count() >= 2

    joint = problem.decisions.get(is_joint=True)
    partners = {organisation.name for organisation in joint.partner_organisations.all()}
    assert partners == {"Northshire City Council", "Eastgate Homelessness Project"}
    assert problem.decisions.filter(corrects__isnull=False).count() == 1
    charity = Organisation.objects.get(name="Eastgate Homelessness Project")
    assert charity.sector == Sector.VOLUNTARY
    # The licensed shop takes part as a named controller and through an action it agreed to.
    assert problem.controllers.filter(who__contains="licensed shop").exists()
    assert problem.actions.filter(description__contains="licensed shop").exists()
