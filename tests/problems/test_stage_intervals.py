"""The stored stays of problems in stages (StageInterval): written by the stage services with each
move, equal to those recomputed from the transitions (by the rebuild, by the data migration's
statement, and independently here), for a world of moves, reopenings, sign-offs and a sign-off
sent back. The impact report reads them (tests/evaluation/test_impact_report.py)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection

from problems.models import Problem, Stage, StageInterval, StageTransition, TransitionKind
from problems.services.stage_intervals import stage_intervals_rebuild
from problems.services.stages import problem_advance_stage, problem_reopen, problem_sign_off
from tests.conftest import World
from tests.problems.factories_sara import problem_at

pytestmark = pytest.mark.django_db

Stay = tuple[int, int, str, Any, Any]  # problem, transition, stage, entered, left


def _ready_in_scanning(world: World) -> Problem:
    """A problem in scanning with the content of every gate (the sign-off apart)."""
    problem = problem_at(Stage.ASSESSMENT, force=world.force, owner=world.users["officer"])
    Problem.objects.filter(pk=problem.pk).update(stage=Stage.SCANNING)
    return Problem.objects.get(pk=problem.pk)


def _world_of_moves(world: World) -> list[Problem]:
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    worked = _ready_in_scanning(world)
    for _ in range(3):  # scanning > analysis > response > assessment
        worked = problem_advance_stage(actor=officer, problem=worked)
    worked = problem_sign_off(actor=supervisor, problem=worked, note="Good work")
    worked = problem_advance_stage(actor=officer, problem=worked)  # closed
    worked = problem_reopen(actor=officer, problem=worked, to_stage=Stage.RESPONSE, reason="It came back")
    worked = problem_advance_stage(actor=officer, problem=worked)  # assessment again
    worked = problem_sign_off(actor=supervisor, problem=worked)
    # The sign-off sent back: reopened from assessment to analysis after it was signed off.
    worked = problem_reopen(actor=officer, problem=worked, to_stage=Stage.ANALYSIS, reason="Redo the analysis")
    worked = problem_advance_stage(actor=officer, problem=worked)  # response, where it stays

    bounced = _ready_in_scanning(world)
    bounced = problem_advance_stage(actor=officer, problem=bounced)
    bounced = problem_reopen(actor=officer, problem=bounced, to_stage=Stage.SCANNING, reason="Not a problem yet")
    bounced = problem_advance_stage(actor=officer, problem=bounced)

    untouched = _ready_in_scanning(world)
    return [worked, bounced, untouched]


def _stored() -> list[Stay]:
    return [
        (i.problem_id, i.transition_id, i.stage, i.entered_at, i.left_at)
        for i in StageInterval.objects.order_by("problem_id", "left_at", "transition_id")
    ]


def _recomputed() -> list[Stay]:
    """The stays read off the transitions, in Python: each stage-changing move ends a stay in the
    stage it left, begun at the problem's previous such move or when it was logged."""
    stays: list[Stay] = []
    for problem in Problem.objects.order_by("pk"):
        entered = problem.created_at
        for move in StageTransition.objects.filter(problem=problem).order_by("at", "id"):
            if move.kind == TransitionKind.SIGN_OFF:
                continue
            stays.append((problem.pk, move.pk, move.from_stage, entered, move.at))
            entered = move.at
    return stays


def test_the_stored_stays_equal_those_recomputed_from_the_transitions(world: World) -> None:
    worked, bounced, untouched = _world_of_moves(world)
    stored = _stored()

    assert stored == _recomputed()
    stages = {pk: [stay[2] for stay in stored if stay[0] == pk] for pk in (worked.pk, bounced.pk, untouched.pk)}
    assert stages == {
        worked.pk: ["scanning", "analysis", "response", "assessment", "closed", "response", "assessment", "analysis"],
        bounced.pk: ["scanning", "analysis", "scanning"],
        untouched.pk: [],
    }


def test_a_sign_off_ends_no_stay_in_assessment(world: World) -> None:
    worked = _world_of_moves(world)[0]
    moves = list(StageTransition.objects.filter(problem=worked).order_by("at", "id"))
    into_assessment, sign_off, closing = moves[2], moves[3], moves[4]
    assert sign_off.kind == TransitionKind.SIGN_OFF

    stay = StageInterval.objects.get(transition=closing)

    assert (stay.stage, stay.entered_at, stay.left_at) == (Stage.ASSESSMENT, into_assessment.at, closing.at)
    assert not StageInterval.objects.filter(transition=sign_off).exists()


def test_the_rebuild_and_the_data_migration_give_the_stays_the_services_wrote(world: World) -> None:
    _world_of_moves(world)
    written = [stay[1:] for stay in _stored()]

    StageInterval.objects.all().delete()
    assert stage_intervals_rebuild() == len(written)
    assert [stay[1:] for stay in _stored()] == written

    StageInterval.objects.all().delete()
    migration = importlib.import_module("problems.migrations.0024_stage_intervals")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL, ["sign_off"])
    assert [stay[1:] for stay in _stored()] == written


def test_the_rebuild_of_some_problems_leaves_the_others_stays_alone(world: World) -> None:
    worked, bounced, _ = _world_of_moves(world)
    before = _stored()
    StageInterval.objects.filter(problem=bounced).update(stage=Stage.CLOSED)

    stage_intervals_rebuild(problem_ids=[bounced.pk])

    assert _stored() == before
    assert StageInterval.objects.filter(problem=worked).count() == 8
