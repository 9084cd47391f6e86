"""What the SARA services share: their messages (tests assert them), the fields each part takes,
the stage from which each part may be changed, and the helpers that lock, check and audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model

from core.audit import audit_record, changes, snapshot
from core.concurrency import version_claim
from problems.models import (
    Problem,
    Stage,
)
from problems.models.problems import STAGE_ORDER
from problems.selectors.access import CANNOT_EDIT, can_edit_problem_sections

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
PROBLEM_CLOSED = "This problem is closed. Reopen it to change it."
PART_NOT_YET = "{part} can be changed once the problem reaches {stage} (it is in {current})."
CONTROLLER_KIND_INVALID = "Choose handler, guardian or manager."
CONTROLLER_WHO_REQUIRED = "Say who the controller is."
HYPOTHESIS_STATEMENT_REQUIRED = "Enter the hypothesis."
HYPOTHESIS_STATUS_INVALID = "Choose whether the hypothesis is untested, supported or not supported."
OBJECTIVE_DESCRIPTION_REQUIRED = "Describe the objective."
OBJECTIVE_MEASURE_REQUIRED = "Say how the objective is measured."
OBJECTIVE_TARGET_REQUIRED = "Enter the target."
OBJECTIVE_TARGET_DATE_REQUIRED = "Enter the target date."
OBJECTIVE_REVISION_REASON_REQUIRED = (
    "The baseline and target are fixed once the response has started: give the reason for revising them."
)
OBJECTIVE_RESULT_NOT_YET = "The result can be recorded once the problem reaches assessment."
ACTION_DESCRIPTION_REQUIRED = "Describe the action."
ACTION_KIND_INVALID = "Choose the kind of intervention from the list."
ACTION_ORGANISATION_REQUIRED = "Choose the organisation responsible."
ACTION_ORGANISATION_INACTIVE = "{name} is not an active organisation and cannot be responsible for an action."
ACTION_RESPONSIBLE_REQUIRED = "Name the person responsible, choose a user, or both."
ACTION_USER_NOT_IN_ORGANISATION = "{name} does not belong to {organisation}."
ACTION_USER_INACTIVE = "{name}'s account is not active."
ACTION_DUE_DATE_REQUIRED = "Enter the due date."
ACTION_STATUS_INVALID = "Choose a status from the list."
ACTION_CANCEL_REASON_REQUIRED = "Give the reason the action was cancelled."

SCANNING_FIELDS = (
    "problem_statement",
    "defined_problem",
    "cheers_community",
    "cheers_harm",
    "cheers_expectation",
    "cheers_events",
    "cheers_recurring",
    "cheers_similarity",
    "evidence_sources",
    "statement_category",
)
ANALYSIS_FIELDS = ("pat_offender", "pat_victim", "pat_location", "data_sources_used", "triangle_category")
# The perceived and defined aims and how the work will be evaluated (shown with the objectives).
AIMS_FIELDS = ("perceived_aim", "defined_aim", "aim_evaluation")
ASSESSMENT_FIELDS = ("process_evaluation", "displacement", "diffusion_of_benefits", "lessons_learned")
CONTROLLER_FIELDS = ("kind", "who", "engaged", "notes", "data_category")
HYPOTHESIS_FIELDS = ("statement", "status", "evidence")
OBJECTIVE_PLAN_FIELDS = ("description", "measure", "baseline", "target", "target_date")
OBJECTIVE_RESULT_FIELDS = ("result", "met")
OBJECTIVE_FIELDS = (*OBJECTIVE_PLAN_FIELDS, *OBJECTIVE_RESULT_FIELDS)
ACTION_FIELDS = (
    "description",
    "intervention_kind",
    "responsible_organisation",
    "responsible_person",
    "responsible_user",
    "due_date",
    "status",
    "cancel_reason",
    "data_category",
)

# The audit verbs of a saved change to the problem's own record (its details, scanning, analysis
# and assessment text): the conflict message (core.concurrency) names who made the newest.
PROBLEM_CONTENT_VERBS = (
    "problems.problem.updated",
    "problems.problem.scanning_updated",
    "problems.problem.analysis_updated",
    "problems.problem.aims_updated",
    "problems.problem.assessment_updated",
)

# The stage from which each part may be changed (and in every later stage but closed).
PART_STAGES = {
    "Scanning": Stage.SCANNING,
    "Analysis": Stage.ANALYSIS,
    "Controllers": Stage.ANALYSIS,
    "Hypotheses": Stage.ANALYSIS,
    "Objectives": Stage.ANALYSIS,
    # The perceived aim is what those asking want: it can be written down from the start.
    "Aims": Stage.SCANNING,
    "Response actions": Stage.RESPONSE,
    "Assessment": Stage.ASSESSMENT,
}


# --- helpers ----------------------------------------------------------------------------------


def lock_problem(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def part_not_editable_reason(problem: Problem, part: str) -> str | None:
    """Why `part` of the problem cannot be changed now (closed, or its stage not reached), or
    None when it can. Views show it before the user types anything."""
    if not problem.is_open:
        return PROBLEM_CLOSED
    stage = PART_STAGES[part]
    if STAGE_ORDER.index(problem.stage) < STAGE_ORDER.index(stage):
        return PART_NOT_YET.format(
            part=part, stage=Stage(stage).label.lower(), current=problem.get_stage_display().lower()
        )
    return None


def editable_problem(*, actor: User, problem: Problem, part: str) -> Problem:
    """Lock the problem and check that `actor` may change `part` of it now."""
    if not can_edit_problem_sections(actor, problem):
        raise PermissionDenied(CANNOT_EDIT)
    problem = lock_problem(problem)
    reason = part_not_editable_reason(problem, part)
    if reason:
        raise ValidationError(reason)
    return problem


def record_change(*, problem: Problem, actor: User, verb: str, target: Model, detail: dict[str, Any]) -> None:
    """Audit a change to the content. A supervisor's sign-off attests to the content as it was
    signed: any later change voids it, and the supervisor signs the changed content again."""
    if problem.signed_off_at is not None:
        problem.signed_off_by = None
        problem.signed_off_at = None
        problem.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        detail = {**detail, "sign_off_cleared": True}
    audit_record(actor=actor, verb=verb, target=target, detail=detail)


def clean_text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


# The data category of a part (problems.models.disclosure): a DataCategory or None, not text.
CATEGORY_FIELDS = ("data_category", "statement_category", "triangle_category")


def clean_value(name: str, value: Any) -> Any:
    return value if name in CATEGORY_FIELDS else clean_text(value)


def check_unknown_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


def update_text_fields(
    *,
    actor: User,
    problem: Problem,
    part: str,
    allowed: tuple[str, ...],
    verb: str,
    fields: dict[str, Any],
    seen_version: int | None = None,
) -> Problem:
    check_unknown_fields(fields, allowed)
    problem = editable_problem(actor=actor, problem=problem, part=part)
    before = snapshot(problem, allowed)
    for name, value in fields.items():
        setattr(problem, name, clean_value(name, value))
    diff = changes(before, snapshot(problem, allowed))
    if diff:
        # Saved only over the version the editor saw (core.concurrency): otherwise refused, unsaved.
        version_claim(problem, seen=seen_version, verbs=PROBLEM_CONTENT_VERBS)
        problem.save(update_fields=[*diff, "updated_at"])
        record_change(
            problem=problem, actor=actor, verb=verb, target=problem, detail={"reference": problem.reference, **diff}
        )
    return problem
