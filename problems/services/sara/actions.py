"""A problem's response actions: who does what by when, and their status."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import changes, snapshot
from core.concurrency import version_claim
from partnerships.models import DataCategory, Organisation
from partnerships.selectors.organisations import organisation_people_to_tell
from problems.models import (
    ActionStatus,
    InterventionKind,
    Problem,
    ResponseAction,
)

if TYPE_CHECKING:
    from accounts.models import User

from problems.services.notifications import ACTION_ASSIGNED, problem_notify
from problems.services.sara.common import (
    ACTION_CANCEL_REASON_REQUIRED,
    ACTION_DESCRIPTION_REQUIRED,
    ACTION_DUE_DATE_REQUIRED,
    ACTION_FIELDS,
    ACTION_KIND_INVALID,
    ACTION_ORGANISATION_INACTIVE,
    ACTION_ORGANISATION_REQUIRED,
    ACTION_RESPONSIBLE_REQUIRED,
    ACTION_STATUS_INVALID,
    ACTION_USER_INACTIVE,
    ACTION_USER_NOT_IN_ORGANISATION,
    check_unknown_fields,
    clean_text,
    editable_problem,
    record_change,
)

# The audit verbs of a saved change to an action: edited, or marked done by its organisation.
ACTION_SAVED_VERBS = ("problems.action.updated", "problems.action.completed")


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


def _tell_assigned(*, actor: User, problem: Problem, action: ResponseAction) -> None:
    """The action is now the responsible organisation's: the problem's followers are told, and so
    are a partner organisation's people (in the app and by an email without case detail), if the
    problem is shared with it. If not, the view warns the officer and offers to share."""
    organisation = action.responsible_organisation
    people = [] if organisation.is_police else list(organisation_people_to_tell(organisation=organisation))
    problem_notify(
        problem=problem,
        event=ACTION_ASSIGNED,
        actor=actor,
        extra_recipients=people,
        email_recipients=people,
        organisation=organisation,
    )


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
    data_category: DataCategory | None = None,
) -> ResponseAction:
    problem = editable_problem(actor=actor, problem=problem, part="Response actions")
    action = ResponseAction(
        problem=problem,
        description=clean_text(description),
        intervention_kind=intervention_kind,
        responsible_organisation=responsible_organisation,
        responsible_person=clean_text(responsible_person),
        responsible_user=responsible_user,
        due_date=due_date,  # type: ignore[misc]  # None is refused by _clean_action
        status=status,
        cancel_reason=clean_text(cancel_reason),
        data_category=data_category,
    )
    _clean_action(action, problem)
    _settle_status(action, None)
    action.save()
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.action.added",
        target=action,
        detail={"problem": problem.reference, **snapshot(action, (*ACTION_FIELDS, "completed_at"))},
    )
    _tell_assigned(actor=actor, problem=problem, action=action)
    return action


@transaction.atomic
def action_update(
    *, actor: User, action: ResponseAction, seen_version: int | None = None, **fields: Any
) -> ResponseAction:
    """Change an action, including its status: cancelling needs a reason; done records when."""
    check_unknown_fields(fields, ACTION_FIELDS)
    problem = editable_problem(actor=actor, problem=action.problem, part="Response actions")
    action = ResponseAction.objects.select_for_update().get(pk=action.pk)
    before = snapshot(action, (*ACTION_FIELDS, "completed_at"))
    previous_status = action.status
    for name, value in fields.items():
        if name in (
            "responsible_organisation",
            "responsible_user",
            "due_date",
            "intervention_kind",
            "status",
            "data_category",
        ):
            setattr(action, name, value)
        else:
            setattr(action, name, clean_text(value))
    _clean_action(action, problem)
    _settle_status(action, previous_status)
    diff = changes(before, snapshot(action, (*ACTION_FIELDS, "completed_at")))
    if diff:
        version_claim(action, seen=seen_version, verbs=ACTION_SAVED_VERBS)
        action.save()
        record_change(
            problem=problem,
            actor=actor,
            verb="problems.action.updated",
            target=action,
            detail={"problem": problem.reference, **diff},
        )
        if "responsible_organisation" in diff:
            _tell_assigned(actor=actor, problem=problem, action=action)
    return action
