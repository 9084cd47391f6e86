"""The problem's own SARA text: scanning, analysis, aims and assessment. `seen_version` is the problem's
`lock_version` the editor saw (core.concurrency); None saves without checking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from problems.models import (
    Problem,
)

if TYPE_CHECKING:
    from accounts.models import User

from problems.services.sara.common import (
    AIMS_FIELDS,
    ANALYSIS_FIELDS,
    ASSESSMENT_FIELDS,
    SCANNING_FIELDS,
    update_text_fields,
)


@transaction.atomic
def problem_scanning_update(
    *, actor: User, problem: Problem, seen_version: int | None = None, **fields: Any
) -> Problem:
    """The problem statement, the defined problem, the six CHEERS answers and the evidence sources."""
    return update_text_fields(
        actor=actor,
        problem=problem,
        part="Scanning",
        allowed=SCANNING_FIELDS,
        verb="problems.problem.scanning_updated",
        fields=fields,
        seen_version=seen_version,
    )


@transaction.atomic
def problem_analysis_update(
    *, actor: User, problem: Problem, seen_version: int | None = None, **fields: Any
) -> Problem:
    """The problem analysis triangle (offender, victim or target, location) and data sources."""
    return update_text_fields(
        actor=actor,
        problem=problem,
        part="Analysis",
        allowed=ANALYSIS_FIELDS,
        verb="problems.problem.analysis_updated",
        fields=fields,
        seen_version=seen_version,
    )


@transaction.atomic
def problem_aims_update(*, actor: User, problem: Problem, seen_version: int | None = None, **fields: Any) -> Problem:
    """The perceived aim, the defined aim and how the work will be evaluated (OSARA's objectives)."""
    return update_text_fields(
        actor=actor,
        problem=problem,
        part="Aims",
        allowed=AIMS_FIELDS,
        verb="problems.problem.aims_updated",
        fields=fields,
        seen_version=seen_version,
    )


@transaction.atomic
def problem_assessment_update(
    *, actor: User, problem: Problem, seen_version: int | None = None, **fields: Any
) -> Problem:
    """Process evaluation, displacement, diffusion of benefits and lessons learned."""
    return update_text_fields(
        actor=actor,
        problem=problem,
        part="Assessment",
        allowed=ASSESSMENT_FIELDS,
        verb="problems.problem.assessment_updated",
        fields=fields,
        seen_version=seen_version,
    )
