"""The decision log (National Decision Model): entries are only ever added. There is no edit or
delete service on purpose: a decision log is the record of what was decided and why, and on
PostgreSQL a trigger (problems migration 0002) refuses UPDATE and DELETE. A mistake is put right
by a new entry that refers to the one it corrects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from problems.models import DecisionLogEntry, Problem
from problems.selectors.access import CANNOT_DECIDE, can_record_decision
from problems.services.notifications import DECISION_RECORDED, problem_notify

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Organisation

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
        problem=problem, author=actor, is_joint=is_joint, corrects=corrects, **texts
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
            "partner_organisations": sorted(partner.pk for partner in partners),
            "corrects": corrects.pk if corrects is not None else None,
        },
    )
    problem_notify(problem=problem, event=DECISION_RECORDED, actor=actor)
    return entry
