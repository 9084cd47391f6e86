"""Writes of the breach log. Each takes the acting data protection officer, checks what a form
cannot (times in order, the shares and agreements of their own force), and records an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes, snapshot
from dataprotection.models import Breach, BreachAction, BreachStatus
from dataprotection.selectors.access import can_keep_breach_log
from dataprotection.selectors.breaches import breach_agreement_choices, breach_share_choices

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Agreement
    from problems.models import ProblemShare

NOT_DPO = "Only the force's data protection officer keeps the breach log."
FOUND_IN_FUTURE = "When it was found cannot be in the future."
OCCURRED_AFTER_FOUND = "When it happened must be before it was found."
REPORTED_BEFORE_FOUND = "The report to the ICO cannot be before the breach was found."
REPORTED_IN_FUTURE = "The report to the ICO cannot be in the future."
REPORTED_NEEDS_TIME = "Give the date and time it was reported to the ICO."
NOT_REPORTABLE_NEEDS_REASON = "Give the reasons the breach need not be reported to the ICO."
SHARE_NOT_OURS = "Choose shares of your force's problems only."
AGREEMENT_NOT_OURS = "Choose agreements your force is party to only."
ACTION_ALREADY_DONE = "This action is already done."

FIELDS = (
    "summary",
    "description",
    "occurred_at",
    "found_at",
    "people_affected_count",
    "people_affected_description",
    "status",
    "reported_to_ico_at",
    "decision_note",
    "shares",
    "agreements",
)


def _require_dpo(actor: User) -> None:
    if not can_keep_breach_log(actor):
        raise PermissionDenied(NOT_DPO)


def _check(
    *,
    actor: User,
    found_at: datetime.datetime,
    occurred_at: datetime.datetime | None,
    status: str,
    reported_to_ico_at: datetime.datetime | None,
    decision_note: str,
    shares: Iterable[ProblemShare],
    agreements: Iterable[Agreement],
) -> None:
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if found_at > now:
        errors["found_at"] = [FOUND_IN_FUTURE]
    if occurred_at is not None and occurred_at > found_at:
        errors["occurred_at"] = [OCCURRED_AFTER_FOUND]
    if status == BreachStatus.REPORTED and reported_to_ico_at is None:
        errors["reported_to_ico_at"] = [REPORTED_NEEDS_TIME]
    if reported_to_ico_at is not None:
        if reported_to_ico_at < found_at:
            errors["reported_to_ico_at"] = [REPORTED_BEFORE_FOUND]
        elif reported_to_ico_at > now:
            errors["reported_to_ico_at"] = [REPORTED_IN_FUTURE]
    if status == BreachStatus.NOT_REPORTABLE and not decision_note.strip():
        errors["decision_note"] = [NOT_REPORTABLE_NEEDS_REASON]
    share_ids = {share.pk for share in shares}
    if share_ids - set(breach_share_choices(user=actor).filter(pk__in=share_ids).values_list("pk", flat=True)):
        errors["shares"] = [SHARE_NOT_OURS]
    agreement_ids = {agreement.pk for agreement in agreements}
    if agreement_ids - set(
        breach_agreement_choices(user=actor).filter(pk__in=agreement_ids).values_list("pk", flat=True)
    ):
        errors["agreements"] = [AGREEMENT_NOT_OURS]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def breach_record(
    *,
    actor: User,
    summary: str,
    description: str,
    found_at: datetime.datetime,
    occurred_at: datetime.datetime | None = None,
    people_affected_count: int | None = None,
    people_affected_description: str = "",
    shares: Iterable[ProblemShare] = (),
    agreements: Iterable[Agreement] = (),
    status: str = BreachStatus.OPEN,
    reported_to_ico_at: datetime.datetime | None = None,
    decision_note: str = "",
) -> Breach:
    """Record a confidentiality incident of the actor's force. The 72-hour reporting deadline
    runs from `found_at` (dataprotection.reminders tells the force's DPOs as it nears)."""
    _require_dpo(actor)
    shares, agreements = list(shares), list(agreements)
    _check(
        actor=actor,
        found_at=found_at,
        occurred_at=occurred_at,
        status=status,
        reported_to_ico_at=reported_to_ico_at,
        decision_note=decision_note,
        shares=shares,
        agreements=agreements,
    )
    breach = Breach.objects.create(
        organisation_id=actor.organisation_id,
        summary=summary.strip(),
        description=description.strip(),
        found_at=found_at,
        occurred_at=occurred_at,
        people_affected_count=people_affected_count,
        people_affected_description=people_affected_description.strip(),
        status=status,
        reported_to_ico_at=reported_to_ico_at,
        decision_note=decision_note.strip(),
        recorded_by=actor,
    )
    breach.shares.set(shares)
    breach.agreements.set(agreements)
    audit_record(actor=actor, verb="dataprotection.breach.recorded", target=breach, detail=snapshot(breach, FIELDS))
    return breach


@transaction.atomic
def breach_update(*, actor: User, breach: Breach, **fields: Any) -> Breach:
    """Change a breach: what is known, who is affected, and the reporting decision (reported to the
    ICO at a time, or not reportable with reasons, or closed)."""
    _require_dpo(actor)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    before = snapshot(breach, FIELDS)
    merged = {name: fields.get(name, getattr(breach, name)) for name in FIELDS if name not in ("shares", "agreements")}
    shares = list(fields.get("shares", breach.shares.all()))
    agreements = list(fields.get("agreements", breach.agreements.all()))
    _check(
        actor=actor,
        found_at=merged["found_at"],
        occurred_at=merged["occurred_at"],
        status=merged["status"],
        reported_to_ico_at=merged["reported_to_ico_at"],
        decision_note=merged["decision_note"] or "",
        shares=shares,
        agreements=agreements,
    )
    for name, value in merged.items():
        setattr(breach, name, value.strip() if isinstance(value, str) else value)
    breach.save()
    breach.shares.set(shares)
    breach.agreements.set(agreements)
    audit_record(
        actor=actor,
        verb="dataprotection.breach.updated",
        target=breach,
        detail=changes(before, snapshot(breach, FIELDS)),
    )
    return breach


@transaction.atomic
def breach_action_add(
    *, actor: User, breach: Breach, description: str, owner: str = "", due_on: datetime.date | None = None
) -> BreachAction:
    """Add something done or to do about the breach."""
    _require_dpo(actor)
    action = BreachAction.objects.create(
        breach=breach, description=description.strip(), owner=owner.strip(), due_on=due_on, created_by=actor
    )
    audit_record(
        actor=actor,
        verb="dataprotection.breach.action_added",
        target=breach,
        detail={"action": action.pk, "owner": action.owner, "due_on": due_on},
    )
    return action


@transaction.atomic
def breach_action_complete(*, actor: User, action: BreachAction) -> BreachAction:
    _require_dpo(actor)
    # The conditional UPDATE makes two clicks mark it done once.
    done = BreachAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
    if not done:
        raise ValidationError(ACTION_ALREADY_DONE)
    action.refresh_from_db()
    audit_record(
        actor=actor, verb="dataprotection.breach.action_done", target=action.breach, detail={"action": action.pk}
    )
    return action
