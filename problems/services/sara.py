"""Every write to a problem's SARA content: scanning, analysis, controllers, hypotheses,
objectives, response actions and assessment. Each service takes the acting user first, runs in a
transaction and records an audit event.

Who: the problem's owner or a supervisor of the owning force (`can_change_problem`). When: only
while the problem is open, and each part from its own stage onwards (scanning content can still be
corrected during analysis; response actions cannot be planned during scanning)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.audit import audit_record, changes
from partnerships.models import Organisation, PatController
from problems.models import (
    ActionStatus,
    Controller,
    Hypothesis,
    HypothesisStatus,
    InterventionKind,
    Objective,
    Problem,
    ResponseAction,
    Stage,
)
from problems.models.problems import STAGE_ORDER
from problems.selectors.access import can_change_problem

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
    "cheers_community",
    "cheers_harm",
    "cheers_expectation",
    "cheers_events",
    "cheers_recurring",
    "cheers_similarity",
    "evidence_sources",
)
ANALYSIS_FIELDS = ("pat_offender", "pat_victim", "pat_location", "data_sources_used")
ASSESSMENT_FIELDS = ("process_evaluation", "displacement", "diffusion_of_benefits", "lessons_learned")
CONTROLLER_FIELDS = ("kind", "who", "engaged", "notes")
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
)

# The stage from which each part may be changed (and in every later stage but closed).
PART_STAGES = {
    "Scanning": Stage.SCANNING,
    "Analysis": Stage.ANALYSIS,
    "Controllers": Stage.ANALYSIS,
    "Hypotheses": Stage.ANALYSIS,
    "Objectives": Stage.ANALYSIS,
    "Response actions": Stage.RESPONSE,
    "Assessment": Stage.ASSESSMENT,
}


# --- helpers ----------------------------------------------------------------------------------


def _lock(problem: Problem) -> Problem:
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


def _editable(*, actor: User, problem: Problem, part: str) -> Problem:
    """Lock the problem and check that `actor` may change `part` of it now."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied
    problem = _lock(problem)
    reason = part_not_editable_reason(problem, part)
    if reason:
        raise ValidationError(reason)
    return problem


def _record_change(*, problem: Problem, actor: User, verb: str, target: Model, detail: dict[str, Any]) -> None:
    """Audit a change to the content. A supervisor's sign-off attests to the content as it was
    signed: any later change voids it, and the supervisor signs the changed content again."""
    if problem.signed_off_at is not None:
        problem.signed_off_by = None
        problem.signed_off_at = None
        problem.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        detail = {**detail, "sign_off_cleared": True}
    audit_record(actor=actor, verb=verb, target=target, detail=detail)


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def _snapshot(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = value.pk if isinstance(value, Model) else value
    return data


def _check_unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


def _update_text_fields(
    *, actor: User, problem: Problem, part: str, allowed: tuple[str, ...], verb: str, fields: dict[str, Any]
) -> Problem:
    _check_unknown(fields, allowed)
    problem = _editable(actor=actor, problem=problem, part=part)
    before = _snapshot(problem, allowed)
    for name, value in fields.items():
        setattr(problem, name, _text(value))
    diff = changes(before, _snapshot(problem, allowed))
    if diff:
        problem.save(update_fields=[*diff, "updated_at"])
        _record_change(
            problem=problem, actor=actor, verb=verb, target=problem, detail={"reference": problem.reference, **diff}
        )
    return problem


# --- scanning, analysis, assessment -----------------------------------------------------------


@transaction.atomic
def problem_scanning_update(*, actor: User, problem: Problem, **fields: Any) -> Problem:
    """The problem statement, the six CHEERS answers and the evidence sources."""
    return _update_text_fields(
        actor=actor,
        problem=problem,
        part="Scanning",
        allowed=SCANNING_FIELDS,
        verb="problems.problem.scanning_updated",
        fields=fields,
    )


@transaction.atomic
def problem_analysis_update(*, actor: User, problem: Problem, **fields: Any) -> Problem:
    """The problem analysis triangle (offender, victim or target, location) and data sources."""
    return _update_text_fields(
        actor=actor,
        problem=problem,
        part="Analysis",
        allowed=ANALYSIS_FIELDS,
        verb="problems.problem.analysis_updated",
        fields=fields,
    )


@transaction.atomic
def problem_assessment_update(*, actor: User, problem: Problem, **fields: Any) -> Problem:
    """Process evaluation, displacement, diffusion of benefits and lessons learned."""
    return _update_text_fields(
        actor=actor,
        problem=problem,
        part="Assessment",
        allowed=ASSESSMENT_FIELDS,
        verb="problems.problem.assessment_updated",
        fields=fields,
    )


# --- controllers ------------------------------------------------------------------------------


def _clean_controller(controller: Controller) -> None:
    errors = {}
    if controller.kind not in PatController.values:
        errors["kind"] = CONTROLLER_KIND_INVALID
    if not controller.who:
        errors["who"] = CONTROLLER_WHO_REQUIRED
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def controller_add(
    *, actor: User, problem: Problem, kind: str, who: str, engaged: bool = False, notes: str = ""
) -> Controller:
    problem = _editable(actor=actor, problem=problem, part="Controllers")
    controller = Controller(problem=problem, kind=kind, who=_text(who), engaged=bool(engaged), notes=_text(notes))
    _clean_controller(controller)
    controller.save()
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.controller.added",
        target=controller,
        detail={"problem": problem.reference, **_snapshot(controller, CONTROLLER_FIELDS)},
    )
    return controller


@transaction.atomic
def controller_update(*, actor: User, controller: Controller, **fields: Any) -> Controller:
    _check_unknown(fields, CONTROLLER_FIELDS)
    problem = _editable(actor=actor, problem=controller.problem, part="Controllers")
    controller = Controller.objects.select_for_update().get(pk=controller.pk)
    before = _snapshot(controller, CONTROLLER_FIELDS)
    for name, value in fields.items():
        setattr(controller, name, bool(value) if name == "engaged" else _text(value))
    _clean_controller(controller)
    diff = changes(before, _snapshot(controller, CONTROLLER_FIELDS))
    if diff:
        controller.save()
        _record_change(
            problem=problem,
            actor=actor,
            verb="problems.controller.updated",
            target=controller,
            detail={"problem": problem.reference, **diff},
        )
    return controller


@transaction.atomic
def controller_remove(*, actor: User, controller: Controller) -> None:
    problem = _editable(actor=actor, problem=controller.problem, part="Controllers")
    snapshot = _snapshot(controller, CONTROLLER_FIELDS)
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.controller.removed",
        target=controller,
        detail={"problem": problem.reference, **snapshot},
    )
    controller.delete()


# --- hypotheses -------------------------------------------------------------------------------


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
    problem = _editable(actor=actor, problem=problem, part="Hypotheses")
    hypothesis = Hypothesis(problem=problem, statement=_text(statement), status=status, evidence=_text(evidence))
    _clean_hypothesis(hypothesis)
    hypothesis.save()
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.hypothesis.added",
        target=hypothesis,
        detail={"problem": problem.reference, **_snapshot(hypothesis, HYPOTHESIS_FIELDS)},
    )
    return hypothesis


@transaction.atomic
def hypothesis_update(*, actor: User, hypothesis: Hypothesis, **fields: Any) -> Hypothesis:
    _check_unknown(fields, HYPOTHESIS_FIELDS)
    problem = _editable(actor=actor, problem=hypothesis.problem, part="Hypotheses")
    hypothesis = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    before = _snapshot(hypothesis, HYPOTHESIS_FIELDS)
    for name, value in fields.items():
        setattr(hypothesis, name, _text(value))
    _clean_hypothesis(hypothesis)
    diff = changes(before, _snapshot(hypothesis, HYPOTHESIS_FIELDS))
    if diff:
        hypothesis.save()
        _record_change(
            problem=problem,
            actor=actor,
            verb="problems.hypothesis.updated",
            target=hypothesis,
            detail={"problem": problem.reference, **diff},
        )
    return hypothesis


@transaction.atomic
def hypothesis_remove(*, actor: User, hypothesis: Hypothesis) -> None:
    problem = _editable(actor=actor, problem=hypothesis.problem, part="Hypotheses")
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.hypothesis.removed",
        target=hypothesis,
        detail={"problem": problem.reference, **_snapshot(hypothesis, HYPOTHESIS_FIELDS)},
    )
    hypothesis.delete()


# --- objectives -------------------------------------------------------------------------------


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
    result = _text(fields.get("result"))
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
    problem = _editable(actor=actor, problem=problem, part="Objectives")
    _check_result_allowed(problem, {"result": result, "met": met})
    objective = Objective(
        problem=problem,
        description=_text(description),
        measure=_text(measure),
        baseline=_text(baseline),
        target=_text(target),
        target_date=target_date,  # type: ignore[misc]  # None is refused by _clean_objective
        result=_text(result),
        met=met,
    )
    _clean_objective(objective)
    objective.save()
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.objective.added",
        target=objective,
        detail={"problem": problem.reference, **_snapshot(objective, OBJECTIVE_FIELDS)},
    )
    return objective


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, **fields: Any) -> Objective:
    """Change an objective's plan (from analysis) or record its result and whether it was met (in
    assessment)."""
    _check_unknown(fields, OBJECTIVE_FIELDS)
    problem = _editable(actor=actor, problem=objective.problem, part="Objectives")
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    _check_result_allowed(problem, fields, objective)
    before = _snapshot(objective, OBJECTIVE_FIELDS)
    for name, value in fields.items():
        setattr(objective, name, value if name in ("target_date", "met") else _text(value))
    _clean_objective(objective)
    diff = changes(before, _snapshot(objective, OBJECTIVE_FIELDS))
    if diff:
        objective.save()
        _record_change(
            problem=problem,
            actor=actor,
            verb="problems.objective.updated",
            target=objective,
            detail={"problem": problem.reference, **diff},
        )
    return objective


@transaction.atomic
def objective_remove(*, actor: User, objective: Objective) -> None:
    problem = _editable(actor=actor, problem=objective.problem, part="Objectives")
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.objective.removed",
        target=objective,
        detail={"problem": problem.reference, **_snapshot(objective, OBJECTIVE_FIELDS)},
    )
    objective.delete()


# --- response actions -------------------------------------------------------------------------


def _clean_action(action: ResponseAction, problem: Problem) -> None:
    errors: dict[str, str] = {}
    if not action.description:
        errors["description"] = ACTION_DESCRIPTION_REQUIRED
    if action.intervention_kind not in InterventionKind.values:
        errors["intervention_kind"] = ACTION_KIND_INVALID
    organisation: Organisation | None = action.responsible_organisation if action.responsible_organisation_id else None
    if organisation is None:
        errors["responsible_organisation"] = ACTION_ORGANISATION_REQUIRED
    elif not organisation.active and organisation.pk != problem.owning_organisation_id:
        errors["responsible_organisation"] = ACTION_ORGANISATION_INACTIVE.format(name=organisation.name)
    user = action.responsible_user
    if not action.responsible_person and user is None:
        errors["responsible_person"] = ACTION_RESPONSIBLE_REQUIRED
    elif user is not None and organisation is not None and user.organisation_id != organisation.pk:
        errors["responsible_user"] = ACTION_USER_NOT_IN_ORGANISATION.format(
            name=user.full_name, organisation=organisation.name
        )
    elif user is not None and not user.is_active:
        errors["responsible_user"] = ACTION_USER_INACTIVE.format(name=user.full_name)
    if not isinstance(action.due_date, datetime.date):
        errors["due_date"] = ACTION_DUE_DATE_REQUIRED
    if action.status not in ActionStatus.values:
        errors["status"] = ACTION_STATUS_INVALID
    elif action.status == ActionStatus.CANCELLED and not action.cancel_reason:
        errors["cancel_reason"] = ACTION_CANCEL_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)


def _settle_status(action: ResponseAction, previous_status: str | None) -> None:
    """Done stamps the completion time (kept while it stays done); a reason is kept only while the
    action is cancelled, so a reinstated action does not carry a stale one."""
    if action.status == ActionStatus.DONE:
        if previous_status != ActionStatus.DONE or action.completed_at is None:
            action.completed_at = timezone.now()
    else:
        action.completed_at = None
    if action.status != ActionStatus.CANCELLED:
        action.cancel_reason = ""


@transaction.atomic
def action_add(
    *,
    actor: User,
    problem: Problem,
    description: str,
    intervention_kind: str,
    responsible_organisation: Organisation | None,
    due_date: datetime.date | None,
    responsible_person: str = "",
    responsible_user: User | None = None,
    status: str = ActionStatus.PLANNED,
    cancel_reason: str = "",
) -> ResponseAction:
    problem = _editable(actor=actor, problem=problem, part="Response actions")
    action = ResponseAction(
        problem=problem,
        description=_text(description),
        intervention_kind=intervention_kind,
        responsible_organisation=responsible_organisation,
        responsible_person=_text(responsible_person),
        responsible_user=responsible_user,
        due_date=due_date,  # type: ignore[misc]  # None is refused by _clean_action
        status=status,
        cancel_reason=_text(cancel_reason),
    )
    _clean_action(action, problem)
    _settle_status(action, None)
    action.save()
    _record_change(
        problem=problem,
        actor=actor,
        verb="problems.action.added",
        target=action,
        detail={"problem": problem.reference, **_snapshot(action, (*ACTION_FIELDS, "completed_at"))},
    )
    return action


@transaction.atomic
def action_update(*, actor: User, action: ResponseAction, **fields: Any) -> ResponseAction:
    """Change an action, including its status: cancelling needs a reason; done records when."""
    _check_unknown(fields, ACTION_FIELDS)
    problem = _editable(actor=actor, problem=action.problem, part="Response actions")
    action = ResponseAction.objects.select_for_update().get(pk=action.pk)
    before = _snapshot(action, (*ACTION_FIELDS, "completed_at"))
    previous_status = action.status
    for name, value in fields.items():
        if name in ("responsible_organisation", "responsible_user", "due_date", "intervention_kind", "status"):
            setattr(action, name, value)
        else:
            setattr(action, name, _text(value))
    _clean_action(action, problem)
    _settle_status(action, previous_status)
    diff = changes(before, _snapshot(action, (*ACTION_FIELDS, "completed_at")))
    if diff:
        action.save()
        _record_change(
            problem=problem,
            actor=actor,
            verb="problems.action.updated",
            target=action,
            detail={"problem": problem.reference, **diff},
        )
    return action
