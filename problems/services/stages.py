"""Moving a problem between SARA stages: advancing through the gates, the supervisor's sign-off of
the assessment, and reopening to an earlier stage. Every move is recorded as a StageTransition
(who, when, from, to, note) and as an audit event.

Two people moving the same problem at once: each move carries the stage its user saw
(`seen_stage`) and runs with the problem's row locked, so the moves are applied one after the
other and the second finds the stage moved on: refused, naming who moved it and when, with nothing
changed (core.concurrency). `seen_stage=None` (a caller that saw no page) is not checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.concurrency import SOMEONE, StateConflict, when
from problems.models import Problem, Stage, StageTransition, TransitionKind
from problems.models.problems import STAGE_ORDER
from problems.selectors.access import can_change_problem, can_sign_off_problem
from problems.selectors.sara import problem_missing_for_next_stage
from problems.services.notifications import REOPENED, SIGNED_OFF, STAGE_MOVED, problem_notify
from problems.services.problems import review_interval
from problems.services.retention import retention_date_set_on_close
from problems.services.stage_intervals import stage_interval_record

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
STAGE_ALREADY_CLOSED = "This problem is already closed."
STAGE_CANNOT_ADVANCE = "This problem cannot move to {stage} until each item below is complete ({count} missing)."
SIGN_OFF_NOT_IN_ASSESSMENT = "A problem can be signed off only in assessment."
SIGN_OFF_ALREADY = "This assessment was already signed off by {name} on {date}."
REOPEN_REASON_REQUIRED = "Give the reason for reopening the problem."
REOPEN_STAGE_INVALID = "Choose an earlier stage than {stage}."
NOTE_MAX_LENGTH = 2000
NOTE_TOO_LONG = f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer."
STAGE_MOVED_BY_SOMEONE_ELSE = (
    "This problem was already moved to {stage} by {name} {when}. Nothing was changed: "
    "check the problem as it is now before moving it on."
)

# The hidden field of a move's form that carries the stage its user saw.
SEEN_STAGE_FIELD = "seen_stage"


def _lock(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _check_seen_stage(problem: Problem, seen_stage: str | None) -> None:
    """Refuse a move when the (locked) problem is no longer at the stage its user saw."""
    if seen_stage is None or seen_stage == problem.stage:
        return
    last = problem.transitions.select_related("by").order_by("-at", "-id").first()
    name, moment = (last.by.full_name, last.at) if last else (SOMEONE, problem.updated_at)
    raise StateConflict(
        STAGE_MOVED_BY_SOMEONE_ELSE.format(stage=problem.get_stage_display(), name=name, when=when(moment)),
        current=problem,
        field=SEEN_STAGE_FIELD,
        value=problem.stage,
    )


def _record(*, actor: User, problem: Problem, kind: str, from_stage: str, note: str) -> StageTransition:
    """The move, and the stay in a stage it ends (the impact report's "time in each stage")."""
    transition = StageTransition.objects.create(
        problem=problem, kind=kind, from_stage=from_stage, to_stage=problem.stage, note=note, by=actor
    )
    stage_interval_record(problem=problem, transition=transition)
    return transition


@transaction.atomic
def problem_advance_stage(*, actor: User, problem: Problem, note: str = "", seen_stage: str | None = None) -> Problem:
    """Move the problem to its next stage. Refused, naming every missing item, unless the gate's
    content is all there. Moving to closed stamps the closing time."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied
    problem = _lock(problem)
    _check_seen_stage(problem, seen_stage)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": NOTE_TOO_LONG})
    if not problem.is_open:
        raise ValidationError(STAGE_ALREADY_CLOSED)
    from_stage = problem.stage
    to_stage = STAGE_ORDER[STAGE_ORDER.index(from_stage) + 1]
    missing = problem_missing_for_next_stage(problem)
    if missing:
        label = Stage(to_stage).label.lower()
        raise ValidationError([STAGE_CANNOT_ADVANCE.format(stage=label, count=len(missing)), *missing])
    problem.stage = to_stage
    update_fields = ["stage", "updated_at"]
    if to_stage == Stage.CLOSED:
        problem.closed_at = timezone.now()
        # Its retention review falls due a period after closing (problems.services.retention).
        retention_date_set_on_close(problem=problem)
        # A closed problem is not reviewed any more (its retention review replaces it).
        problem.next_review_date = None
        update_fields += ["closed_at", "retention_review_date", "next_review_date"]
    problem.save(update_fields=update_fields)
    transition = _record(actor=actor, problem=problem, kind=TransitionKind.ADVANCE, from_stage=from_stage, note=note)
    audit_record(
        actor=actor,
        verb="problems.problem.stage_advanced",
        target=problem,
        detail={
            "reference": problem.reference,
            "from": from_stage,
            "to": to_stage,
            "note": note,
            "transition": transition.pk,
        },
    )
    problem_notify(problem=problem, event=STAGE_MOVED, actor=actor)
    return problem


@transaction.atomic
def problem_sign_off(*, actor: User, problem: Problem, seen_stage: str | None = None, note: str = "") -> Problem:
    """A supervisor of the owning force signs off the assessment: the last thing closure needs.
    The note goes in the problem's stage history (a "signed off" transition)."""
    if not can_sign_off_problem(actor, problem):
        raise PermissionDenied
    problem = _lock(problem)
    _check_seen_stage(problem, seen_stage)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": NOTE_TOO_LONG})
    if problem.stage != Stage.ASSESSMENT:
        raise ValidationError(SIGN_OFF_NOT_IN_ASSESSMENT)
    if problem.signed_off_at is not None and problem.signed_off_by is not None:
        raise ValidationError(
            SIGN_OFF_ALREADY.format(
                name=problem.signed_off_by.full_name,
                date=timezone.localtime(problem.signed_off_at).strftime("%d %B %Y"),
            )
        )
    problem.signed_off_by = actor
    problem.signed_off_at = timezone.now()
    problem.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    transition = _record(
        actor=actor, problem=problem, kind=TransitionKind.SIGN_OFF, from_stage=problem.stage, note=note
    )
    audit_record(
        actor=actor,
        verb="problems.problem.signed_off",
        target=problem,
        detail={"reference": problem.reference, "stage": problem.stage, "note": note, "transition": transition.pk},
    )
    problem_notify(problem=problem, event=SIGNED_OFF, actor=actor)
    return problem


@transaction.atomic
def problem_reopen(
    *, actor: User, problem: Problem, to_stage: str, reason: str, seen_stage: str | None = None
) -> Problem:
    """Send the problem back to an earlier stage, with a reason. Leaving assessment or closed
    clears the sign-off (it attested to an assessment that is being reworked) and the closing
    time."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied
    problem = _lock(problem)
    _check_seen_stage(problem, seen_stage)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    from_stage = problem.stage
    if to_stage not in STAGE_ORDER[: STAGE_ORDER.index(from_stage)]:
        errors["to_stage"] = REOPEN_STAGE_INVALID.format(stage=problem.get_stage_display().lower())
    if not reason:
        errors["reason"] = REOPEN_REASON_REQUIRED
    elif len(reason) > NOTE_MAX_LENGTH:
        errors["reason"] = NOTE_TOO_LONG
    if errors:
        raise ValidationError(errors)
    cleared_sign_off = problem.signed_off_at is not None
    problem.stage = to_stage
    problem.closed_at = None
    problem.signed_off_by = None
    problem.signed_off_at = None
    # An open problem has no retention review: closing it again sets a new date. A problem reopened
    # from closed is reviewed again, the first time one interval of its risk level from today.
    problem.retention_review_date = None
    if problem.next_review_date is None:
        problem.next_review_date = timezone.localdate() + review_interval(problem.risk_level)
    problem.save(
        update_fields=[
            "stage",
            "closed_at",
            "signed_off_by",
            "signed_off_at",
            "retention_review_date",
            "next_review_date",
            "updated_at",
        ]
    )
    transition = _record(actor=actor, problem=problem, kind=TransitionKind.REOPEN, from_stage=from_stage, note=reason)
    audit_record(
        actor=actor,
        verb="problems.problem.reopened",
        target=problem,
        detail={
            "reference": problem.reference,
            "from": from_stage,
            "to": to_stage,
            "reason": reason,
            "sign_off_cleared": cleared_sign_off,
            "transition": transition.pk,
        },
    )
    problem_notify(problem=problem, event=REOPENED, actor=actor)
    return problem
