"""Co-produced safety plans: the plan, who contributed to it, and the actions each party owns.
Each service takes the acting user first, runs in a transaction and records an audit event."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes, snapshot
from core.concurrency import version_claim
from engagement.models import EngagementEvent, Party, PlanAction, PlanContribution, PlanStatus, SafetyPlan
from engagement.selectors.access import can_change_in, can_record_engagement
from engagement.services.common import text
from partnerships.models import Neighbourhood, Organisation

if TYPE_CHECKING:
    from accounts.models import User

PLAN_CANNOT_CHANGE = (
    "Only officers and supervisors of the force covering the neighbourhood can change its safety plans."
)
TITLE_REQUIRED = "Give the plan a title."
AIMS_REQUIRED = "Say what the plan sets out to achieve."
STATUS_INVALID = "Choose a status from the list."
PARTY_INVALID = "Choose who this is: residents, a partner organisation or the police."
RESIDENTS_NAME_REQUIRED = "Name the residents' group or say who the residents are (no personal details)."
ORGANISATION_REQUIRED = "Choose the organisation."
POLICE_ORGANISATION_INVALID = "For the police, choose the force covering the neighbourhood."
PARTNER_ORGANISATION_INVALID = "A partner organisation cannot be a police force."
CONTRIBUTION_REQUIRED = "Say what they contributed."
DATE_IN_FUTURE = "The date cannot be in the future."
EVENT_OTHER_NEIGHBOURHOOD = "Choose an engagement event held in the plan's neighbourhood."
ACTION_REQUIRED = "Describe the action."

PLAN_FIELDS = ("neighbourhood", "title", "place", "aims", "status", "review_on")
EDITABLE_FIELDS = ("title", "place", "aims", "status", "review_on")


def _check_plan(plan: SafetyPlan) -> None:
    errors: dict[str, str] = {}
    if not plan.title:
        errors["title"] = TITLE_REQUIRED
    if not plan.aims:
        errors["aims"] = AIMS_REQUIRED
    if plan.status not in PlanStatus.values:
        errors["status"] = STATUS_INVALID
    if errors:
        raise ValidationError(errors)


def _lock(plan: SafetyPlan, actor: User) -> SafetyPlan:
    plan = SafetyPlan.objects.select_for_update().select_related("neighbourhood").get(pk=plan.pk)
    if not can_change_in(actor, plan.neighbourhood):
        raise PermissionDenied(PLAN_CANNOT_CHANGE)
    return plan


def _check_party(
    plan: SafetyPlan, party: str, organisation: Organisation | None, name: str, errors: dict[str, str]
) -> None:
    if party not in Party.values:
        errors["party"] = PARTY_INVALID
    elif party == Party.RESIDENTS:
        if not name:
            errors["name"] = RESIDENTS_NAME_REQUIRED
    elif organisation is None:
        errors["organisation"] = ORGANISATION_REQUIRED
    elif party == Party.POLICE and organisation.pk != plan.neighbourhood.organisation_id:
        errors["organisation"] = POLICE_ORGANISATION_INVALID
    elif party == Party.PARTNER and organisation.is_police:
        errors["organisation"] = PARTNER_ORGANISATION_INVALID


@transaction.atomic
def plan_create(
    *,
    actor: User,
    neighbourhood: Neighbourhood,
    title: str,
    aims: str,
    place: str = "",
    review_on: datetime.date | None = None,
) -> SafetyPlan:
    if not (can_record_engagement(actor) and can_change_in(actor, neighbourhood) and neighbourhood.active):
        raise PermissionDenied(PLAN_CANNOT_CHANGE)
    plan = SafetyPlan(
        neighbourhood=neighbourhood,
        title=text(title),
        aims=text(aims),
        place=text(place),
        review_on=review_on,
        created_by=actor,
    )
    _check_plan(plan)
    plan.save()
    audit_record(actor=actor, verb="engagement.safety_plan.created", target=plan, detail=snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: SafetyPlan, seen_version: int | None = None, **fields: Any) -> SafetyPlan:
    """Change a plan's details. `seen_version`: the `lock_version` its editor saw; a change over a
    later one is refused (core.concurrency); None saves without checking."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    plan = _lock(plan, actor)
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        setattr(plan, name, text(value) if name in ("title", "aims", "place") else value)
    _check_plan(plan)
    diff = changes(before, snapshot(plan, PLAN_FIELDS))
    if diff:
        version_claim(plan, seen=seen_version, verbs=("engagement.safety_plan.updated",))
    plan.save()
    if diff:
        audit_record(actor=actor, verb="engagement.safety_plan.updated", target=plan, detail=diff)
    return plan


@transaction.atomic
def plan_contribution_add(
    *,
    actor: User,
    plan: SafetyPlan,
    party: str,
    contribution: str,
    organisation: Organisation | None = None,
    name: str = "",
    contributed_on: datetime.date | None = None,
    event: EngagementEvent | None = None,
) -> PlanContribution:
    """Record who contributed to the plan and what: the evidence that it was co-produced."""
    plan = _lock(plan, actor)
    name, contribution = text(name), text(contribution)
    contributed_on = contributed_on or timezone.localdate()
    errors: dict[str, str] = {}
    _check_party(plan, party, organisation, name, errors)
    if not contribution:
        errors["contribution"] = CONTRIBUTION_REQUIRED
    if contributed_on > timezone.localdate():
        errors["contributed_on"] = DATE_IN_FUTURE
    if event is not None and event.neighbourhood_id != plan.neighbourhood_id:
        errors["event"] = EVENT_OTHER_NEIGHBOURHOOD
    if errors:
        raise ValidationError(errors)
    entry = PlanContribution.objects.create(
        plan=plan,
        party=party,
        organisation=None if party == Party.RESIDENTS else organisation,
        name=name,
        contribution=contribution,
        contributed_on=contributed_on,
        event=event,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb="engagement.safety_plan.contribution_added",
        target=plan,
        detail={"contribution": entry.pk, "party": party, "organisation": entry.organisation_id, "name": name},
    )
    return entry


@transaction.atomic
def plan_action_add(
    *,
    actor: User,
    plan: SafetyPlan,
    party: str,
    description: str,
    organisation: Organisation | None = None,
    name: str = "",
    due_on: datetime.date | None = None,
) -> PlanAction:
    """Add an action owned by residents, a partner or the police."""
    plan = _lock(plan, actor)
    name, description = text(name), text(description)
    errors: dict[str, str] = {}
    _check_party(plan, party, organisation, name, errors)
    if not description:
        errors["description"] = ACTION_REQUIRED
    if errors:
        raise ValidationError(errors)
    action = PlanAction.objects.create(
        plan=plan,
        party=party,
        organisation=None if party == Party.RESIDENTS else organisation,
        name=name,
        description=description,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="engagement.safety_plan.action_added",
        target=plan,
        detail={"action": action.pk, "party": party, "organisation": action.organisation_id, "name": name},
    )
    return action
