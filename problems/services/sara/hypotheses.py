"""A problem's hypotheses, tested during analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import changes, snapshot
from core.concurrency import version_claim
from problems.models import (
    Hypothesis,
    HypothesisStatus,
    Problem,
)

if TYPE_CHECKING:
    from accounts.models import User

from problems.services.sara.common import (
    HYPOTHESIS_FIELDS,
    HYPOTHESIS_STATEMENT_REQUIRED,
    HYPOTHESIS_STATUS_INVALID,
    check_unknown_fields,
    clean_text,
    editable_problem,
    record_change,
)


def _clean_hypothesis(hypothesis: Hypothesis) -> None:
    errors = {}
    if not hypothesis.statement:
        errors["statement"] = HYPOTHESIS_STATEMENT_REQUIRED
    if hypothesis.status not in HypothesisStatus.values:
        errors["status"] = HYPOTHESIS_STATUS_INVALID
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hypothesis_add(
    *, actor: User, problem: Problem, statement: str, status: str = HypothesisStatus.UNTESTED, evidence: str = ""
) -> Hypothesis:
    problem = editable_problem(actor=actor, problem=problem, part="Hypotheses")
    hypothesis = Hypothesis(
        problem=problem, statement=clean_text(statement), status=status, evidence=clean_text(evidence)
    )
    _clean_hypothesis(hypothesis)
    hypothesis.save()
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.hypothesis.added",
        target=hypothesis,
        detail={"problem": problem.reference, **snapshot(hypothesis, HYPOTHESIS_FIELDS)},
    )
    return hypothesis


@transaction.atomic
def hypothesis_update(
    *, actor: User, hypothesis: Hypothesis, seen_version: int | None = None, **fields: Any
) -> Hypothesis:
    check_unknown_fields(fields, HYPOTHESIS_FIELDS)
    problem = editable_problem(actor=actor, problem=hypothesis.problem, part="Hypotheses")
    hypothesis = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    before = snapshot(hypothesis, HYPOTHESIS_FIELDS)
    for name, value in fields.items():
        setattr(hypothesis, name, clean_text(value))
    _clean_hypothesis(hypothesis)
    diff = changes(before, snapshot(hypothesis, HYPOTHESIS_FIELDS))
    if diff:
        version_claim(hypothesis, seen=seen_version, verbs=("problems.hypothesis.updated",))
        hypothesis.save()
        record_change(
            problem=problem,
            actor=actor,
            verb="problems.hypothesis.updated",
            target=hypothesis,
            detail={"problem": problem.reference, **diff},
        )
    return hypothesis


@transaction.atomic
def hypothesis_remove(*, actor: User, hypothesis: Hypothesis) -> None:
    problem = editable_problem(actor=actor, problem=hypothesis.problem, part="Hypotheses")
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.hypothesis.removed",
        target=hypothesis,
        detail={"problem": problem.reference, **snapshot(hypothesis, HYPOTHESIS_FIELDS)},
    )
    hypothesis.delete()
