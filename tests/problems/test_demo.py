"""The demo problems: about twenty across every stage, one worked example from scanning to
closure, and running the demo twice changes nothing."""

from __future__ import annotations

import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import Role, User
from core.models import AuditEvent
from partnerships.demo import neighbourhoods as demo_neighbourhoods
from partnerships.demo import organisations as demo_organisations
from partnerships.models import Organisation, Sector
from problems.demo import leads as demo_leads
from problems.demo import problems as demo_problems
from problems.models import (
    ActionStatus,
    DecisionLogEntry,
    Handover,
    Problem,
    ProblemTeamMember,
    ReviewEntry,
    Stage,
    StageTransition,
    TransitionKind,
)
from problems.selectors.leads import handover_list_awaiting

pytestmark = pytest.mark.django_db


def _seed() -> None:
    # In seed_demo's order: organisations, the demo users, the neighbourhoods, then the records.
    demo_organisations.seed(stdout=io.StringIO())
    accounts_demo.seed(stdout=io.StringIO())
    demo_neighbourhoods.seed(stdout=io.StringIO())
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


def test_every_demo_problem_has_its_demand_and_those_analysed_their_definition_and_aims() -> None:
    _seed()
    problems = Problem.objects.filter(owning_organisation__name="Northshire Police").prefetch_related("demand_sources")
    for problem in problems:
        assert problem.demand_sources.all(), problem.title
        assert problem.demand_note, problem.title
        assert problem.perceived_problem, problem.title
        assert problem.perceived_aim, problem.title
        analysed = problem.stage != Stage.SCANNING
        defined = bool(problem.defined_problem and problem.defined_aim and problem.aim_evaluation)
        assert defined is analysed, problem.title
    kinds = {source.kind for problem in problems for source in problem.demand_sources.all()}
    assert len(kinds) >= 6


def test_the_worked_example_is_closed_signed_off_and_complete() -> None:
    _seed()
    problem = Problem.objects.get(title=demo_problems.WORKED_EXAMPLE)
    assert problem.stage == Stage.CLOSED
    assert problem.closed_at is not None
    assert problem.signed_off_by is not None
    assert problem.signed_off_by.email == "supervisor@police.example"
    assert list(problem.transitions.filter(kind=TransitionKind.ADVANCE).values_list("to_stage", flat=True)) == [
        Stage.ANALYSIS,
        Stage.RESPONSE,
        Stage.ASSESSMENT,
        Stage.CLOSED,
    ]
    assert problem.transitions.get(kind=TransitionKind.SIGN_OFF).note.startswith("Checked the before and after")
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


def _seed_with_leads() -> None:
    _seed()
    demo_leads.seed(stdout=io.StringIO())


def test_the_demo_has_a_second_officer_a_completed_handover_and_one_awaiting_acknowledgement() -> None:
    _seed_with_leads()
    olivia = User.objects.get(email=demo_leads.OFFICER)
    owen = User.objects.get(email=demo_leads.SECOND_OFFICER, role=Role.OFFICER, is_active=True)
    completed = Problem.objects.get(title=demo_leads.COMPLETED)
    assert completed.owner == owen
    assert [(h.from_user, h.to_user, h.is_pending) for h in completed.handovers.all()] == [(olivia, owen, False)]
    pending = Problem.objects.get(title=demo_leads.PENDING)
    assert pending.owner == olivia
    assert [(h.to_user, h.is_pending) for h in pending.handovers.all()] == [(owen, False), (olivia, True)]
    assert [h.problem for h in handover_list_awaiting(user=olivia)] == [pending]
    assert ProblemTeamMember.objects.filter(problem__title=demo_leads.TEAM, user=owen).exists()
    counts = (Handover.objects.count(), ProblemTeamMember.objects.count())
    _seed_with_leads()
    assert (Handover.objects.count(), ProblemTeamMember.objects.count()) == counts
