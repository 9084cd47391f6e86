"""Writes to a problem's stakeholder map (issue 21): add an entry (linked to an organisation and
a contact, and to the triangle's controllers it stands for) and remove one. By the problem's
editors (can_edit_problem_sections: its lead organisation), audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from partnerships.models import Contact, DataCategory, EngagementStatus, Organisation, SeldomHeardGroup, StakeholderKind
from problems.models import Controller, Problem, ProblemStakeholder
from problems.selectors.access import CANNOT_EDIT, can_edit_problem_sections

if TYPE_CHECKING:
    from accounts.models import User

STAKEHOLDER_KIND_INVALID = "Choose what kind of stakeholder this is."
STAKEHOLDER_ORGANISATION_REQUIRED = "Choose the organisation."
STAKEHOLDER_NAME_REQUIRED = "Name the group or role, or choose an organisation or a contact."
STAKEHOLDER_SCORE_INVALID = "Give a score from 1 (low) to 5 (high)."
STAKEHOLDER_STATUS_INVALID = "Choose how engaged they are."
STAKEHOLDER_CONTACT_ELSEWHERE = "{contact} is a contact of {theirs}, not of {organisation}."
STAKEHOLDER_CONTROLLER_ELSEWHERE = "Choose controllers of this problem."


@transaction.atomic
def problem_stakeholder_add(
    *,
    actor: User,
    problem: Problem,
    kind: str,
    influence: int | None,
    interest: int | None,
    engagement_status: str = EngagementStatus.NOT_ENGAGED,
    organisation: Organisation | None = None,
    contact: Contact | None = None,
    name: str = "",
    seldom_heard_group: SeldomHeardGroup | None = None,
    notes: str = "",
    controllers: Iterable[Controller] = (),
    data_category: DataCategory | None = None,
) -> ProblemStakeholder:
    if not can_edit_problem_sections(actor, problem):
        raise PermissionDenied(CANNOT_EDIT)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if kind not in StakeholderKind.values:
        errors["kind"] = STAKEHOLDER_KIND_INVALID
    if kind == StakeholderKind.ORGANISATION and organisation is None:
        errors["organisation"] = STAKEHOLDER_ORGANISATION_REQUIRED
    if not (name or organisation or contact):
        errors["name"] = STAKEHOLDER_NAME_REQUIRED
    for field, value in (("influence", influence), ("interest", interest)):
        if value is None or not 1 <= value <= 5:
            errors[field] = STAKEHOLDER_SCORE_INVALID
    if engagement_status not in EngagementStatus.values:
        errors["engagement_status"] = STAKEHOLDER_STATUS_INVALID
    if contact is not None and organisation is not None and contact.organisation_id != organisation.pk:
        errors["contact"] = STAKEHOLDER_CONTACT_ELSEWHERE.format(
            contact=contact.name, theirs=contact.organisation, organisation=organisation
        )
    linked = list(controllers)
    if any(c.problem_id != problem.pk for c in linked):
        errors["controllers"] = STAKEHOLDER_CONTROLLER_ELSEWHERE
    if errors or influence is None or interest is None:
        raise ValidationError(errors)
    entry = ProblemStakeholder.objects.create(
        problem=problem,
        kind=kind,
        organisation=organisation or (contact.organisation if contact is not None else None),
        contact=contact,
        name=name,
        influence=influence,
        interest=interest,
        engagement_status=engagement_status,
        seldom_heard_group=seldom_heard_group,
        notes=(notes or "").strip(),
        data_category=data_category,
    )
    if linked:
        Controller.objects.filter(pk__in=[c.pk for c in linked]).update(stakeholder=entry)
    audit_record(
        actor=actor,
        verb="problems.stakeholder.added",
        target=entry,
        detail={
            "problem": problem.reference,
            "kind": kind,
            "organisation": entry.organisation_id,
            "contact": entry.contact_id,
            "influence": influence,
            "interest": interest,
            "engagement_status": engagement_status,
            "controllers": sorted(c.pk for c in linked),
        },
    )
    return entry


@transaction.atomic
def problem_stakeholder_remove(*, actor: User, entry: ProblemStakeholder) -> None:
    if not can_edit_problem_sections(actor, entry.problem):
        raise PermissionDenied(CANNOT_EDIT)
    audit_record(
        actor=actor,
        verb="problems.stakeholder.removed",
        target=entry,
        detail={"problem": entry.problem.reference, "name": entry.display_name},
    )
    entry.delete()
