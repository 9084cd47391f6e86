"""The decision log (National Decision Model): entries are only ever added. There is no edit or
delete service on purpose: a decision log is the record of what was decided and why, and on
PostgreSQL a trigger (problems migration 0002) refuses UPDATE and DELETE. A mistake is put right
by a new entry that refers to the one it corrects.

The log is recorded by the police. A partner takes part in a joint decision through its lead, who
confirms an entry that names their organisation: a confirmation of its own (who, when), append-only
as the entry is; partner members give their views in updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from core.audit import audit_record
from problems.models import DecisionConfirmation, DecisionLogEntry, Problem
from problems.selectors.access import (
    CANNOT_CONFIRM_MEMBER,
    CANNOT_CONFIRM_NOT_NAMED,
    CANNOT_CONFIRM_NOT_PARTNER_LEAD,
    CANNOT_DECIDE,
    can_record_decision,
    decision_confirm_refusal,
    problems_visible_to,
)
from problems.services.notifications import DECISION_RECORDED, problem_notify

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import DataCategory, Organisation

# The NDM's headings, in its order; the code of ethics sits at its centre and is always answered.
NDM_FIELDS = (
    "information",
    "threat_and_risk",
    "powers_and_policy",
    "options",
    "decision_and_action",
    "review",
    "code_of_ethics",
)
REQUIRED_FIELDS = {
    "information": "Enter the information and intelligence the decision was based on.",
    "threat_and_risk": "Enter your assessment of the threat and risk.",
    "powers_and_policy": "Enter the powers and policy that apply.",
    "options": "Enter the options you considered.",
    "decision_and_action": "Enter the decision and the action taken.",
    "code_of_ethics": "Enter how the decision fits the Code of Ethics.",
}
DECISION_NOT_CONTRIBUTOR = CANNOT_DECIDE
DECISION_JOINT_NEEDS_PARTNERS = "Choose at least one partner organisation that made the joint decision."
DECISION_PARTNERS_ONLY_IF_JOINT = "Partner organisations are named only on a joint decision: tick joint decision."
DECISION_PARTNER_IS_OWNER = "Choose partner organisations other than the force that owns the problem."
DECISION_CORRECTS_OTHER_PROBLEM = "A correction must refer to an entry in this problem's decision log."
DECISION_CONFIRM_MEMBER = CANNOT_CONFIRM_MEMBER
DECISION_CONFIRM_NOT_PARTNER_LEAD = CANNOT_CONFIRM_NOT_PARTNER_LEAD
DECISION_CONFIRM_NOT_NAMED = CANNOT_CONFIRM_NOT_NAMED
DECISION_CONFIRM_CANNOT_SEE = "You can no longer see this problem, so you cannot confirm its decisions."
DECISION_CONFIRM_ALREADY = "{organisation} has already confirmed this joint decision: {name} on {when}."


@transaction.atomic
def decision_record(
    *,
    actor: User,
    problem: Problem,
    information: str,
    threat_and_risk: str,
    powers_and_policy: str,
    options: str,
    decision_and_action: str,
    review: str = "",
    code_of_ethics: str,
    is_joint: bool = False,
    partner_organisations: Iterable[Organisation] = (),
    corrects: DecisionLogEntry | None = None,
    data_category: DataCategory | None = None,
) -> DecisionLogEntry:
    """Add an entry to the problem's decision log, in the NDM's order; a joint decision names the
    partner organisations that decided together; `corrects` links a correction to its entry."""
    if not can_record_decision(actor, problem):
        raise PermissionDenied(DECISION_NOT_CONTRIBUTOR)
    texts = {
        "information": information,
        "threat_and_risk": threat_and_risk,
        "powers_and_policy": powers_and_policy,
        "options": options,
        "decision_and_action": decision_and_action,
        "review": review,
        "code_of_ethics": code_of_ethics,
    }
    texts = {field: (value or "").strip() for field, value in texts.items()}
    partners = list(partner_organisations)
    errors: dict[str, str] = {field: message for field, message in REQUIRED_FIELDS.items() if not texts[field]}
    if is_joint and not partners:
        errors["partner_organisations"] = DECISION_JOINT_NEEDS_PARTNERS
    elif partners and not is_joint:
        errors["partner_organisations"] = DECISION_PARTNERS_ONLY_IF_JOINT
    elif any(partner.pk == problem.owning_organisation_id for partner in partners):
        errors["partner_organisations"] = DECISION_PARTNER_IS_OWNER
    if corrects is not None and corrects.problem_id != problem.pk:
        errors["corrects"] = DECISION_CORRECTS_OTHER_PROBLEM
    if errors:
        raise ValidationError(errors)

    entry = DecisionLogEntry.objects.create(
        problem=problem, author=actor, is_joint=is_joint, corrects=corrects, data_category=data_category, **texts
    )
    if partners:
        entry.partner_organisations.set(partners)
    audit_record(
        actor=actor,
        verb="problems.decision.recorded",
        target=entry,
        detail={
            "problem": problem.pk,
            "is_joint": is_joint,
            "data_category": data_category.code if data_category is not None else None,
            "partner_organisations": sorted(partner.pk for partner in partners),
            "corrects": corrects.pk if corrects is not None else None,
        },
    )
    problem_notify(problem=problem, event=DECISION_RECORDED, actor=actor)
    return entry


def _earlier_confirmation(entry: DecisionLogEntry, organisation_id: int) -> DecisionConfirmation | None:
    return (
        DecisionConfirmation.objects.filter(entry=entry, organisation_id=organisation_id)
        .select_related("organisation", "confirmed_by")
        .first()
    )


def decision_confirmation_already(confirmation: DecisionConfirmation) -> str:
    """DECISION_CONFIRM_ALREADY for `confirmation`: which organisation, who and when."""
    return DECISION_CONFIRM_ALREADY.format(
        organisation=confirmation.organisation.name,
        name=confirmation.confirmed_by.full_name,
        when=dateformat.format(timezone.localtime(confirmation.confirmed_at), "j F Y, H:i"),
    )


@transaction.atomic
def decision_confirm(*, actor: User, entry: DecisionLogEntry, note: str = "") -> DecisionConfirmation:
    """The actor, a lead of a partner organisation named on the joint decision `entry`, confirms
    it for their organisation: once per organisation, recorded with their name and the time. The
    entry is not touched (it is append-only); the confirmation is a record of its own."""
    if not problems_visible_to(actor).filter(pk=entry.problem_id).exists():
        raise PermissionDenied(DECISION_CONFIRM_CANNOT_SEE)
    refusal = decision_confirm_refusal(actor, entry)
    if refusal is not None:
        raise PermissionDenied(refusal)
    earlier = _earlier_confirmation(entry, actor.organisation_id)
    if earlier is not None:
        raise ValidationError(decision_confirmation_already(earlier))
    try:
        # A savepoint: a lead of the same organisation confirming at the same moment makes the
        # unique constraint refuse the second, and the first one's record answers it.
        with transaction.atomic():
            confirmation = DecisionConfirmation.objects.create(
                entry=entry, organisation_id=actor.organisation_id, confirmed_by=actor, note=(note or "").strip()
            )
    except IntegrityError:
        winner = DecisionConfirmation.objects.select_related("organisation", "confirmed_by").get(
            entry=entry, organisation_id=actor.organisation_id
        )
        raise ValidationError(decision_confirmation_already(winner)) from None
    audit_record(
        actor=actor,
        verb="problems.decision.confirmed",
        target=confirmation,
        detail={"problem": entry.problem_id, "entry": entry.pk, "organisation": actor.organisation_id},
    )
    return confirmation
