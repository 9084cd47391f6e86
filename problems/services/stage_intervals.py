"""The stays of problems in stages (StageInterval), derived from their moves (StageTransition).

Each move that changes the stage ends a stay in the stage it left: entered at the problem's
previous such move (or when the problem was logged), left at this one. The stage services write
the stay with the move (`stage_interval_record`); `stage_intervals_rebuild` derives them all again
from the transitions (the data migration that introduced them runs the same statement, and so do
the benchmark's and the tests' generated histories, which write transitions directly). They are
a projection of the transitions, like the guardian permissions of the shares: no audit event of
their own (the move's event records the move)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from problems.models import Problem, StageInterval, StageTransition, TransitionKind

# One row per stage-changing transition; LAG over the problem's stage-changing transitions finds
# when the stay began. A sign-off (the stage does not change) ends no stay. Table names come from
# model metadata; every value is a bound parameter.
REBUILD_SQL = """
    INSERT INTO {intervals} (problem_id, transition_id, stage, entered_at, left_at)
    SELECT t.problem_id, t.id, t.from_stage,
           COALESCE(LAG(t.at) OVER (PARTITION BY t.problem_id ORDER BY t.at, t.id), p.created_at),
           t.at
    FROM {transitions} t JOIN {problems} p ON p.id = t.problem_id
    WHERE t.kind <> %s {only}
"""


def stage_intervals_rebuild(*, problem_ids: Iterable[int] | None = None) -> int:
    """Replace the stays of `problem_ids` (None: of every problem) by those their transitions give;
    how many were written. One DELETE and one INSERT ... SELECT, whatever the number of problems."""
    ids = None if problem_ids is None else [int(pk) for pk in problem_ids]
    stays = StageInterval.objects.all() if ids is None else StageInterval.objects.filter(problem_id__in=ids)
    stays.delete()
    params: list[Any] = [TransitionKind.SIGN_OFF.value]
    only = ""
    if ids is not None:
        if not ids:
            return 0
        only = f"AND t.problem_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    sql = REBUILD_SQL.format(
        intervals=StageInterval._meta.db_table,
        transitions=StageTransition._meta.db_table,
        problems=Problem._meta.db_table,
        only=only,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def stage_interval_record(*, problem: Problem, transition: StageTransition) -> StageInterval | None:
    """The stay that `transition` (just made, the problem's newest) ends, written beside it; none
    for a sign-off. Called by the stage services inside their transaction, the problem's row
    locked, so no other move of the problem falls between the two."""
    if transition.from_stage == transition.to_stage:
        return None
    previous = (
        StageTransition.objects.filter(problem_id=problem.pk)
        .exclude(kind=TransitionKind.SIGN_OFF)
        .exclude(pk=transition.pk)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return StageInterval.objects.create(
        problem=problem,
        transition=transition,
        stage=transition.from_stage,
        entered_at=previous or problem.created_at,
        left_at=transition.at,
    )
