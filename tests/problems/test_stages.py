"""The stage gates and moves: each gate refuses naming exactly what is missing and passes when it
is all there; every move is recorded; sign-off is for supervisors; reopening needs a reason and an
earlier stage, and clears the sign-off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.models import ActionStatus, Problem, Stage, StageTransition, TransitionKind
from problems.selectors import sara as gates
from problems.selectors.sara import problem_missing_for_next_stage
from problems.services.problems import review_interval
from problems.services.stages import (
    REOPEN_REASON_REQUIRED,
    REOPEN_STAGE_INVALID,
    SIGN_OFF_ALREADY,
    SIGN_OFF_NOT_IN_ASSESSMENT,
    STAGE_ALREADY_CLOSED,
    STAGE_CANNOT_ADVANCE,
    problem_advance_stage,
    problem_reopen,
    problem_sign_off,
)
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.problems.factories_sara import ResponseActionFactory, problem_at

pytestmark = pytest.mark.django_db


def _problem(world: World, stage: str, **kwargs: Any) -> Problem:
    return problem_at(stage, force=world.force, owner=world.users["officer"], **kwargs)


def _blank(field: str) -> Callable[[Problem], None]:
    def remove(problem: Problem) -> None:
        setattr(problem, field, "   ")
        problem.save()

    return remove


CHEERS = dict(gates.CHEERS_QUESTIONS)

# (what to take away from a problem that is otherwise ready, the one item the gate must name)
TO_ANALYSIS = [
    (_blank("problem_statement"), gates.MISSING_PROBLEM_STATEMENT),
    *[(_blank(name), gates.MISSING_CHEERS.format(question=question)) for name, question in CHEERS.items()],
]
TO_RESPONSE = [
    (_blank("pat_offender"), gates.MISSING_PAT_OFFENDER),
    (_blank("pat_victim"), gates.MISSING_PAT_VICTIM),
    (_blank("pat_location"), gates.MISSING_PAT_LOCATION),
    (lambda p: p.controllers.all().delete(), gates.MISSING_CONTROLLER),
    (lambda p: p.hypotheses.all().delete(), gates.MISSING_HYPOTHESIS),
    (lambda p: p.objectives.update(baseline=""), gates.MISSING_OBJECTIVE_WITH_BASELINE),
    (lambda p: p.objectives.all().delete(), gates.MISSING_OBJECTIVE_WITH_BASELINE),
]
TO_ASSESSMENT = [(lambda p: p.actions.all().delete(), gates.MISSING_ACTION)]


def _signed(problem: Problem) -> None:
    problem.signed_off_by = UserFactory(role=Role.SUPERVISOR, organisation=problem.owning_organisation)
    problem.signed_off_at = timezone.now()
    problem.save()


TO_CLOSED = [
    (_blank("lessons_learned"), gates.MISSING_LESSONS_LEARNED),
    (lambda p: Problem.objects.filter(pk=p.pk).update(signed_off_at=None, signed_off_by=None), gates.MISSING_SIGN_OFF),
]

CASES = [
    *[(Stage.SCANNING, remove, item) for remove, item in TO_ANALYSIS],
    *[(Stage.ANALYSIS, remove, item) for remove, item in TO_RESPONSE],
    *[(Stage.RESPONSE, remove, item) for remove, item in TO_ASSESSMENT],
    *[(Stage.ASSESSMENT, remove, item) for remove, item in TO_CLOSED],
]


@pytest.mark.parametrize(("stage", "remove", "item"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_gate_refuses_naming_exactly_the_one_missing_item(
    world: World, stage: str, remove: Callable[[Problem], Any], item: str
) -> None:
    problem = _problem(world, stage)
    if stage == Stage.ASSESSMENT:
        _signed(problem)
    remove(problem)
    problem.refresh_from_db()
    assert problem_missing_for_next_stage(problem) == [item]
    with pytest.raises(ValidationError) as refused:
        problem_advance_stage(actor=world.users["officer"], problem=problem)
    following = Stage(gates.next_stage(problem)).label.lower()  # type: ignore[arg-type]
    assert refused.value.messages == [STAGE_CANNOT_ADVANCE.format(stage=following, count=1), item]
    problem.refresh_from_db()
    assert problem.stage == stage
    assert not StageTransition.objects.filter(problem=problem).exists()


@pytest.mark.parametrize("stage", [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT])
def test_gate_passes_when_everything_is_there_and_the_move_is_recorded(world: World, stage: str) -> None:
    problem = _problem(world, stage)
    if stage == Stage.ASSESSMENT:
        _signed(problem)
    assert problem_missing_for_next_stage(problem) == []
    moved = problem_advance_stage(actor=world.users["officer"], problem=problem, note="  Ready to move on.  ")
    following = gates.next_stage(problem)
    assert moved.stage == following
    transition = StageTransition.objects.get(problem=problem)
    assert (transition.kind, transition.from_stage, transition.to_stage, transition.by, transition.note) == (
        TransitionKind.ADVANCE,
        stage,
        following,
        world.users["officer"],
        "Ready to move on.",
    )
    event = AuditEvent.objects.get(verb="problems.problem.stage_advanced", target_id=str(problem.pk))
    assert event.detail["from"] == stage
    assert event.detail["to"] == following
    assert event.actor == world.users["officer"]


def test_an_empty_new_problem_is_refused_listing_every_scanning_item(world: World) -> None:
    problem = _problem(world, Stage.SCANNING, ready=False)
    with pytest.raises(ValidationError) as refused:
        problem_advance_stage(actor=world.users["officer"], problem=problem)
    expected = [gates.MISSING_PROBLEM_STATEMENT, *[gates.MISSING_CHEERS.format(question=q) for q in CHEERS.values()]]
    assert refused.value.messages == [STAGE_CANNOT_ADVANCE.format(stage="analysis", count=7), *expected]


def test_analysis_gate_lists_every_missing_item_at_once(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS, ready=False)
    assert problem_missing_for_next_stage(problem) == [
        gates.MISSING_PAT_OFFENDER,
        gates.MISSING_PAT_VICTIM,
        gates.MISSING_PAT_LOCATION,
        gates.MISSING_CONTROLLER,
        gates.MISSING_HYPOTHESIS,
        gates.MISSING_OBJECTIVE_WITH_BASELINE,
    ]


def test_response_gate_names_each_unfinished_action(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    ResponseActionFactory(problem=problem, description="Visit the off-licence with licensing", status="planned")
    ResponseActionFactory(problem=problem, description="Fit new lighting", status=ActionStatus.IN_PROGRESS)
    ResponseActionFactory(
        problem=problem, description="Dispersal order", status="cancelled", cancel_reason="Not needed"
    )
    assert problem_missing_for_next_stage(problem) == [
        gates.MISSING_ACTION_FINISHED.format(action="Visit the off-licence with licensing", status="planned"),
        gates.MISSING_ACTION_FINISHED.format(action="Fit new lighting", status="in progress"),
    ]


def test_closing_gate_names_each_objective_without_a_result(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    _signed(problem)
    objective = problem.objectives.get()
    objective.result = ""
    objective.save()
    assert problem_missing_for_next_stage(problem) == [
        gates.MISSING_OBJECTIVE_RESULT.format(objective=objective.description)
    ]


def test_moving_to_closed_stamps_the_closing_time_and_a_closed_problem_goes_no_further(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT, next_review_date=timezone.localdate())
    _signed(problem)
    closed = problem_advance_stage(actor=world.users["supervisor"], problem=problem)
    assert closed.stage == Stage.CLOSED
    assert closed.closed_at is not None
    # A closed problem is not reviewed any more (issue 20): no next review date on any page.
    closed.refresh_from_db()
    assert closed.next_review_date is None
    assert problem_missing_for_next_stage(closed) == []
    with pytest.raises(ValidationError) as refused:
        problem_advance_stage(actor=world.users["officer"], problem=closed)
    assert refused.value.messages == [STAGE_ALREADY_CLOSED]


def test_analyst_cannot_advance_a_problem(world: World) -> None:
    problem = _problem(world, Stage.SCANNING)
    with pytest.raises(PermissionDenied):
        problem_advance_stage(actor=world.users["analyst"], problem=problem)
    problem.refresh_from_db()
    assert problem.stage == Stage.SCANNING


def test_every_move_of_a_full_journey_is_recorded_in_order(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    Problem.objects.filter(pk=problem.pk).update(stage=Stage.SCANNING)
    problem.refresh_from_db()
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    for _ in range(3):
        problem = problem_advance_stage(actor=officer, problem=problem)
    problem = problem_sign_off(actor=supervisor, problem=problem)
    problem = problem_advance_stage(actor=supervisor, problem=problem)
    moves = list(StageTransition.objects.filter(problem=problem).values_list("kind", "from_stage", "to_stage", "by"))
    assert moves == [
        (TransitionKind.ADVANCE, Stage.SCANNING, Stage.ANALYSIS, officer.pk),
        (TransitionKind.ADVANCE, Stage.ANALYSIS, Stage.RESPONSE, officer.pk),
        (TransitionKind.ADVANCE, Stage.RESPONSE, Stage.ASSESSMENT, officer.pk),
        # The sign-off is in the history too, with its note (here none).
        (TransitionKind.SIGN_OFF, Stage.ASSESSMENT, Stage.ASSESSMENT, supervisor.pk),
        (TransitionKind.ADVANCE, Stage.ASSESSMENT, Stage.CLOSED, supervisor.pk),
    ]


# --- sign-off -------------------------------------------------------------------------------------


def test_supervisor_signs_off_an_assessment(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    signed = problem_sign_off(actor=world.users["supervisor"], problem=problem)
    assert signed.signed_off_by == world.users["supervisor"]
    assert signed.signed_off_at is not None
    assert AuditEvent.objects.filter(verb="problems.problem.signed_off", target_id=str(problem.pk)).exists()


@pytest.mark.parametrize("persona", ["officer", "analyst"])
def test_only_a_supervisor_may_sign_off(world: World, persona: str) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    with pytest.raises(PermissionDenied):
        problem_sign_off(actor=world.users[persona], problem=problem)
    problem.refresh_from_db()
    assert problem.signed_off_at is None


def test_another_forces_supervisor_cannot_sign_off(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    stranger = UserFactory(role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        problem_sign_off(actor=stranger, problem=problem)


def test_sign_off_is_only_in_assessment_and_only_once(world: World) -> None:
    supervisor = world.users["supervisor"]
    response = _problem(world, Stage.RESPONSE)
    with pytest.raises(ValidationError) as refused:
        problem_sign_off(actor=supervisor, problem=response)
    assert refused.value.messages == [SIGN_OFF_NOT_IN_ASSESSMENT]
    problem = problem_sign_off(actor=supervisor, problem=_problem(world, Stage.ASSESSMENT))
    with pytest.raises(ValidationError) as again:
        problem_sign_off(actor=supervisor, problem=problem)
    assert again.value.messages == [
        SIGN_OFF_ALREADY.format(
            name=supervisor.full_name, date=timezone.localtime(problem.signed_off_at).strftime("%d %B %Y")
        )
    ]


# --- reopening ------------------------------------------------------------------------------------


def test_reopening_a_closed_problem_clears_the_closing_time_and_the_sign_off(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    _signed(problem)
    problem = problem_advance_stage(actor=world.users["supervisor"], problem=problem)
    reopened = problem_reopen(
        actor=world.users["officer"], problem=problem, to_stage=Stage.RESPONSE, reason="Drinkers have returned."
    )
    reopened.refresh_from_db()
    assert reopened.stage == Stage.RESPONSE
    assert reopened.closed_at is None
    # Reviewed again, the first time one interval of its risk level from today.
    assert reopened.next_review_date == timezone.localdate() + review_interval(reopened.risk_level)
    assert reopened.signed_off_by is None
    assert reopened.signed_off_at is None
    transition = StageTransition.objects.filter(problem=problem).last()
    assert transition is not None
    assert (transition.kind, transition.from_stage, transition.to_stage, transition.note) == (
        TransitionKind.REOPEN,
        Stage.CLOSED,
        Stage.RESPONSE,
        "Drinkers have returned.",
    )
    event = AuditEvent.objects.get(verb="problems.problem.reopened", target_id=str(problem.pk))
    assert event.detail["sign_off_cleared"] is True


def test_reopening_from_assessment_clears_the_sign_off(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    _signed(problem)
    problem_reopen(actor=world.users["supervisor"], problem=problem, to_stage=Stage.ANALYSIS, reason="New data.")
    problem.refresh_from_db()
    assert (problem.stage, problem.signed_off_at) == (Stage.ANALYSIS, None)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(world: World, reason: str) -> None:
    problem = _problem(world, Stage.RESPONSE)
    with pytest.raises(ValidationError) as refused:
        problem_reopen(actor=world.users["officer"], problem=problem, to_stage=Stage.SCANNING, reason=reason)
    assert refused.value.message_dict == {"reason": [REOPEN_REASON_REQUIRED]}
    problem.refresh_from_db()
    assert problem.stage == Stage.RESPONSE
    assert not StageTransition.objects.filter(problem=problem).exists()


@pytest.mark.parametrize("to_stage", [Stage.RESPONSE, Stage.ASSESSMENT, Stage.CLOSED, "nonsense"])
def test_reopening_goes_only_to_an_earlier_stage(world: World, to_stage: str) -> None:
    problem = _problem(world, Stage.RESPONSE)
    with pytest.raises(ValidationError) as refused:
        problem_reopen(actor=world.users["officer"], problem=problem, to_stage=to_stage, reason="Because.")
    assert refused.value.message_dict == {"to_stage": [REOPEN_STAGE_INVALID.format(stage="response")]}
    problem.refresh_from_db()
    assert problem.stage == Stage.RESPONSE


def test_analyst_cannot_reopen(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    with pytest.raises(PermissionDenied):
        problem_reopen(actor=world.users["analyst"], problem=problem, to_stage=Stage.SCANNING, reason="Because.")
