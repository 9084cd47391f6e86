"""Retention of closed problems (DESIGN.md section 5, MOPI style).

- Closing a problem sets its retention review date: the closing date plus the period of
  settings.RETENTION_PERIODS for its category and risk (problems.services.stages calls
  `retention_date_set_on_close`); reopening clears it.
- A review by a supervisor or the data protection officer of the owning force either retains the
  problem (a reason and a later review date) or disposes of it.
- Disposal, in one transaction: the metadata record (ProblemDisposal) first, the evaluation
  figures read before anything is erased, then every part of the problem erased or pseudonymised
  (problems.retention_parts), the problem's own text last, and one audit event. It cannot be
  undone: there is no service that reverses it, and a second disposal is refused.

The audit log is not rewritten: it is a hash chain (core.audit_chain) and its past events keep the
before/after snapshots they were written with, for the audit log's own retention (README,
"Retention"). The disposal event itself holds metadata and counts only."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.dates import long_date
from problems.models import (
    ActionStatus,
    Problem,
    ProblemDisposal,
    RetentionOutcome,
    RetentionReview,
    Stage,
)
from problems.models.problems import disposed_label
from problems.models.retention import retention_review_date_for
from problems.retention_parts import disposal_figure_functions, disposal_parts, free_text_fields
from problems.selectors.retention import can_review_retention

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
RETENTION_NOT_CLOSED = "Only a closed problem has a retention review."
RETENTION_ALREADY_DISPOSED = "This problem was disposed of on {date}. Disposal cannot be undone."
RETAIN_REASON_REQUIRED = "Give the reason for keeping this problem."
RETAIN_REASON_MAX_LENGTH = 2000
RETAIN_REASON_TOO_LONG = f"Keep the reason to {RETAIN_REASON_MAX_LENGTH} characters or fewer."
RETAIN_DATE_REQUIRED = "Give the date of the next retention review."
RETAIN_DATE_NOT_FUTURE = "The next retention review must be after today."
RETAIN_MAX_YEARS = 25
RETAIN_DATE_TOO_FAR = f"The next retention review must be within {RETAIN_MAX_YEARS} years."
DISPOSE_NOT_CONFIRMED = "Confirm that you understand disposal cannot be undone."
DISPOSE_NOT_ALLOWED = "Only the force's supervisors and data protection officers review retention."

# The problem's own columns that describe the record rather than the people in it: kept.
PROBLEM_KEEP = ("reference", "lsoa_code")


def _lock(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",)).select_related("category", "neighbourhood").get(pk=problem.pk)
    )


def retention_date_for(problem: Problem, closed_on: datetime.date) -> datetime.date:
    return retention_review_date_for(
        closed_on=closed_on, category_code=problem.category.code, risk_level=problem.risk_level
    )


def retention_date_set_on_close(*, problem: Problem) -> None:
    """Called by the stage service in its transaction when `problem` has just been closed: sets
    (not saves) the retention review date from its closing date."""
    closed_on = timezone.localtime(problem.closed_at).date() if problem.closed_at else timezone.localdate()
    problem.retention_review_date = retention_date_for(problem, closed_on)


def _check(actor: User, problem: Problem) -> None:
    if not can_review_retention(actor) or problem.owning_organisation_id != actor.organisation_id:
        raise PermissionDenied(DISPOSE_NOT_ALLOWED)
    if problem.disposed_at is not None:
        disposed_on = timezone.localtime(problem.disposed_at).date()
        raise ValidationError(RETENTION_ALREADY_DISPOSED.format(date=long_date(disposed_on)))
    if problem.stage != Stage.CLOSED:
        raise ValidationError(RETENTION_NOT_CLOSED)


@transaction.atomic
def problem_retention_retain(
    *, actor: User, problem: Problem, reason: str, next_review_date: datetime.date | None
) -> RetentionReview:
    """Keep the problem for now: the reason (required) and a next review date after today."""
    problem = _lock(problem)
    _check(actor, problem)
    reason = (reason or "").strip()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = RETAIN_REASON_REQUIRED
    elif len(reason) > RETAIN_REASON_MAX_LENGTH:
        errors["reason"] = RETAIN_REASON_TOO_LONG
    if next_review_date is None:
        errors["next_review_date"] = RETAIN_DATE_REQUIRED
    elif next_review_date <= today:
        errors["next_review_date"] = RETAIN_DATE_NOT_FUTURE
    elif next_review_date.year - today.year > RETAIN_MAX_YEARS:
        errors["next_review_date"] = RETAIN_DATE_TOO_FAR
    if errors:
        raise ValidationError(errors)
    review = RetentionReview.objects.create(
        problem=problem,
        outcome=RetentionOutcome.RETAINED,
        reason=reason,
        review_date_was=problem.retention_review_date,
        next_review_date=next_review_date,
        reviewed_by=actor,
    )
    before = problem.retention_review_date
    problem.retention_review_date = next_review_date
    # Not updated_at: a retention review is not a change to the case.
    problem.save(update_fields=["retention_review_date"])
    audit_record(
        actor=actor,
        verb="problems.problem.retention_retained",
        target=problem,
        detail={
            "reference": problem.reference,
            "reason": reason,
            "retention_review_date": {"before": before, "after": next_review_date},
            "review": review.pk,
        },
    )
    return review


def _outcome(problem: Problem) -> dict[str, Any]:
    """How the problem ended, as counts (no text): objectives met, not met, not assessed; actions
    by status; whether its assessment was signed off."""
    objectives = list(problem.objectives.values_list("met", flat=True))
    statuses = list(problem.actions.values_list("status", flat=True))
    return {
        "objectives": len(objectives),
        "objectives_met": sum(1 for met in objectives if met is True),
        "objectives_not_met": sum(1 for met in objectives if met is False),
        "objectives_not_assessed": sum(1 for met in objectives if met is None),
        **{f"actions_{status}": statuses.count(status) for status in ActionStatus.values},
        "signed_off": problem.signed_off_at is not None,
    }


def _erase_problem_record(problem: Problem, label: str) -> None:
    """The problem's own text: its title becomes the disposed label, every other free-text column
    is blanked, and its exact location goes (the neighbourhood and LSOA stay)."""
    fields = free_text_fields(Problem, keep=PROBLEM_KEEP)
    values: dict[str, Any] = dict.fromkeys(fields, "")
    values.update(title=label, latitude=None, longitude=None, radius_m=None)
    Problem.objects.filter(pk=problem.pk).update(**values)


@transaction.atomic
def problem_dispose(*, actor: User, problem: Problem, confirmed: bool) -> ProblemDisposal:
    """Dispose of a closed problem: erase the personal data of every part, keep the metadata
    record, record the disposal. Cannot be undone."""
    problem = _lock(problem)
    _check(actor, problem)
    if not confirmed:
        raise ValidationError({"confirm": DISPOSE_NOT_CONFIRMED})
    now = timezone.now()
    parts = disposal_parts()
    counts = {part.label: part.count(problem) for part in parts}
    figures = {name: figures_fn(problem) for name, figures_fn in disposal_figure_functions().items()}
    disposal = ProblemDisposal.objects.create(
        problem=problem,
        reference=problem.reference,
        category=problem.category.name,
        risk_level=problem.risk_level,
        neighbourhood=problem.neighbourhood_label,
        opened_on=problem.opened_on,
        closed_at=problem.closed_at,
        signed_off_at=problem.signed_off_at,
        retention_review_date=problem.retention_review_date,
        stage=problem.stage,
        outcome=_outcome(problem),
        figures=figures,
        counts=counts,
        disposed_by=actor,
        disposed_at=now,
    )
    RetentionReview.objects.create(
        problem=problem,
        outcome=RetentionOutcome.DISPOSED,
        review_date_was=problem.retention_review_date,
        reviewed_by=actor,
    )
    label = disposed_label(now)
    _erase_problem_record(problem, label)
    Problem.objects.filter(pk=problem.pk).update(disposed_at=now, retention_review_date=None)
    problem.refresh_from_db()
    for part in parts:
        part.erase(problem)
    audit_record(
        actor=actor,
        verb="problems.problem.disposed",
        target=problem,
        detail={
            "reference": problem.reference,
            "category": disposal.category,
            "retention_review_date": disposal.retention_review_date,
            "counts": counts,
            "disposal": disposal.pk,
        },
    )
    return disposal
