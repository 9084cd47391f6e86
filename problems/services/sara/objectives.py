"""A problem's objectives (OSARA): planned in analysis, results recorded in assessment."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import changes, snapshot
from core.concurrency import version_claim
from problems.models import (
    Objective,
    ObjectiveRevision,
    Problem,
    Stage,
)
from problems.models.problems import STAGE_ORDER

if TYPE_CHECKING:
    from accounts.models import User

from problems.services.sara.common import (
    OBJECTIVE_DESCRIPTION_REQUIRED,
    OBJECTIVE_FIELDS,
    OBJECTIVE_MEASURE_REQUIRED,
    OBJECTIVE_RESULT_NOT_YET,
    OBJECTIVE_REVISION_REASON_REQUIRED,
    OBJECTIVE_TARGET_DATE_REQUIRED,
    OBJECTIVE_TARGET_REQUIRED,
    check_unknown_fields,
    clean_text,
    editable_problem,
    record_change,
)


def _clean_objective(objective: Objective) -> None:
    errors = {}
    if not objective.description:
        errors["description"] = OBJECTIVE_DESCRIPTION_REQUIRED
    if not objective.measure:
        errors["measure"] = OBJECTIVE_MEASURE_REQUIRED
    if not objective.target:
        errors["target"] = OBJECTIVE_TARGET_REQUIRED
    if not isinstance(objective.target_date, datetime.date):
        errors["target_date"] = OBJECTIVE_TARGET_DATE_REQUIRED
    if errors:
        raise ValidationError(errors)


def _check_result_allowed(problem: Problem, fields: dict[str, Any], objective: Objective | None = None) -> None:
    """A result and whether it was met belong to the assessment: refused before it."""
    if STAGE_ORDER.index(problem.stage) >= STAGE_ORDER.index(Stage.ASSESSMENT):
        return
    result = clean_text(fields.get("result"))
    met = fields.get("met")
    current_result = objective.result if objective else ""
    current_met = objective.met if objective else None
    if ("result" in fields and result != current_result) or ("met" in fields and met != current_met):
        raise ValidationError({"result": OBJECTIVE_RESULT_NOT_YET})


@transaction.atomic
def objective_add(
    *,
    actor: User,
    problem: Problem,
    description: str,
    measure: str,
    target: str,
    target_date: datetime.date | None,
    baseline: str = "",
    result: str = "",
    met: bool | None = None,
) -> Objective:
    problem = editable_problem(actor=actor, problem=problem, part="Objectives")
    _check_result_allowed(problem, {"result": result, "met": met})
    objective = Objective(
        problem=problem,
        description=clean_text(description),
        measure=clean_text(measure),
        baseline=clean_text(baseline),
        target=clean_text(target),
        target_date=target_date,  # type: ignore[misc]  # None is refused by _clean_objective
        result=clean_text(result),
        met=met,
    )
    _clean_objective(objective)
    objective.save()
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.objective.added",
        target=objective,
        detail={"problem": problem.reference, **snapshot(objective, OBJECTIVE_FIELDS)},
    )
    return objective


def _revision(
    *, actor: User, problem: Problem, objective: Objective, before: dict[str, Any], reason: str
) -> ObjectiveRevision | None:
    """Once the response has started the baseline and target are the yardstick of the assessment:
    a change to either is a recorded revision, with its reason (refused without one)."""
    if STAGE_ORDER.index(problem.stage) < STAGE_ORDER.index(Stage.RESPONSE):
        return None
    if (before["baseline"], before["target"]) == (objective.baseline, objective.target):
        return None
    if not reason:
        raise ValidationError({"revision_reason": OBJECTIVE_REVISION_REASON_REQUIRED})
    return ObjectiveRevision.objects.create(
        objective=objective,
        baseline_before=before["baseline"],
        baseline_after=objective.baseline,
        target_before=before["target"],
        target_after=objective.target,
        reason=reason,
        by=actor,
    )


@transaction.atomic
def objective_update(
    *,
    actor: User,
    objective: Objective,
    seen_version: int | None = None,
    revision_reason: str = "",
    **fields: Any,
) -> Objective:
    """Change an objective's plan (from analysis) or record its result and whether it was met (in
    assessment). From the response on, a new baseline or target needs `revision_reason`."""
    check_unknown_fields(fields, OBJECTIVE_FIELDS)
    problem = editable_problem(actor=actor, problem=objective.problem, part="Objectives")
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    _check_result_allowed(problem, fields, objective)
    before = snapshot(objective, OBJECTIVE_FIELDS)
    for name, value in fields.items():
        setattr(objective, name, value if name in ("target_date", "met") else clean_text(value))
    _clean_objective(objective)
    diff = changes(before, snapshot(objective, OBJECTIVE_FIELDS))
    if diff:
        version_claim(objective, seen=seen_version, verbs=("problems.objective.updated",))
        revision = _revision(
            actor=actor, problem=problem, objective=objective, before=before, reason=clean_text(revision_reason)
        )
        if revision is not None:
            diff = {**diff, "revision": revision.pk, "revision_reason": revision.reason}
        objective.save()
        record_change(
            problem=problem,
            actor=actor,
            verb="problems.objective.updated",
            target=objective,
            detail={"problem": problem.reference, **diff},
        )
    return objective


@transaction.atomic
def objective_remove(*, actor: User, objective: Objective) -> None:
    problem = editable_problem(actor=actor, problem=objective.problem, part="Objectives")
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.objective.removed",
        target=objective,
        detail={"problem": problem.reference, **snapshot(objective, OBJECTIVE_FIELDS)},
    )
    objective.delete()
