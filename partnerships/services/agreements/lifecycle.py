"""An agreement's lifecycle: activate, review, terminate, expire, amend (a new version)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from core.audit import audit_record
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
)
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.selectors.agreements import agreement_missing_items
from partnerships.signals import agreement_ended

if TYPE_CHECKING:
    from accounts.models import User
from partnerships.services.agreements.common import (
    AGREEMENT_ALREADY_AMENDED,
    AGREEMENT_ALREADY_ENDED,
    AGREEMENT_CANNOT_ACTIVATE,
    AGREEMENT_CANNOT_AMEND,
    AGREEMENT_EDITABLE_FIELDS,
    AGREEMENT_END_REASON_REQUIRED,
    AGREEMENT_EXPIRED_REASON,
    AGREEMENT_NOT_ACTIVE,
    AGREEMENT_SUPERSEDED,
    PARTY_EDITABLE_FIELDS,
    check_seen_status,
    lock_agreement,
    require_draft,
)


@transaction.atomic
def agreement_activate(*, actor: User, agreement: Agreement, seen_status: str | None = None) -> Agreement:
    """Bring a draft into force. Refused, naming each missing item, unless every required heading
    is filled and every party has signed. Activating an amendment terminates the version it
    replaces."""
    agreement = lock_agreement(agreement)
    check_seen_status(agreement, seen_status)
    require_draft(agreement)
    missing = agreement_missing_items(agreement)
    if missing:
        raise ValidationError([AGREEMENT_CANNOT_ACTIVATE.format(count=len(missing)), *missing])
    # Every row lock is taken before the first audit event: recording one holds the audit chain's
    # lock until commit (core.audit_chain), so waiting on a row after it could deadlock.
    previous = None
    if agreement.previous_version_id is not None:
        previous = Agreement.objects.select_for_update().get(pk=agreement.previous_version_id)
    now = timezone.now()
    agreement.status = AgreementStatus.ACTIVE
    agreement.activated_at = now
    agreement.save(update_fields=["status", "activated_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="partnerships.agreement.activated",
        target=agreement,
        detail={"reference": agreement.reference, "version": agreement.version},
    )
    if previous is not None and previous.status in IN_FORCE_STATUSES:
        _end(
            actor=actor,
            agreement=previous,
            status=AgreementStatus.TERMINATED,
            reason=AGREEMENT_SUPERSEDED.format(version=agreement.version),
            verb="partnerships.agreement.superseded",
        )
    return agreement


def _end(*, actor: User | None, agreement: Agreement, status: str, reason: str, verb: str) -> None:
    before = agreement.status
    agreement.status = status
    agreement.ended_at = timezone.now()
    agreement.end_reason = reason
    agreement.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    audit_record(
        actor=actor,
        verb=verb,
        target=agreement,
        detail={"status": {"before": before, "after": status}, "reason": reason},
    )
    # Terminated, expired or superseded: whatever relies on the agreement stops now.
    agreement_ended.send(
        sender=Agreement,
        agreement=agreement,
        reason=reason,
        cause=f"agreement_{verb.rsplit('.', 1)[-1]}",
        ended_by=actor,
    )


@transaction.atomic
def agreement_start_review(*, actor: User, agreement: Agreement, seen_status: str | None = None) -> Agreement:
    """Mark an active agreement as under review. It stays in force while it is reviewed."""
    agreement = lock_agreement(agreement)
    check_seen_status(agreement, seen_status)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(AGREEMENT_NOT_ACTIVE)
    agreement.status = AgreementStatus.UNDER_REVIEW
    agreement.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="partnerships.agreement.review_started",
        target=agreement,
        detail={"status": {"before": AgreementStatus.ACTIVE, "after": AgreementStatus.UNDER_REVIEW}},
    )
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: User, agreement: Agreement, reason: str, seen_status: str | None = None) -> Agreement:
    """End an agreement (or abandon a draft) with a reason; sharing under it stops."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": AGREEMENT_END_REASON_REQUIRED})
    agreement = lock_agreement(agreement)
    check_seen_status(agreement, seen_status)
    if agreement.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        raise ValidationError(AGREEMENT_ALREADY_ENDED.format(status=agreement.get_status_display().lower()))
    _end(
        actor=actor,
        agreement=agreement,
        status=AgreementStatus.TERMINATED,
        reason=reason,
        verb="partnerships.agreement.terminated",
    )
    return agreement


@transaction.atomic
def agreements_expire_lapsed(*, on_date: datetime.date) -> int:
    """Expire every agreement in force whose expiry date is before `on_date` (for a daily Celery
    task). Idempotent: the rows are claimed by their status under a lock, so a second run, or a
    second worker, finds nothing left to do. Returns how many expired."""
    lapsed: QuerySet[Agreement] = (
        Agreement.objects.select_for_update(skip_locked=True)
        .filter(status__in=IN_FORCE_STATUSES, expiry_date__lt=on_date)
        .order_by("pk")
    )
    count = 0
    for agreement in lapsed:
        _end(
            actor=None,
            agreement=agreement,
            status=AgreementStatus.EXPIRED,
            reason=AGREEMENT_EXPIRED_REASON.format(date=agreement.expiry_date),
            verb="partnerships.agreement.expired",
        )
        count += 1
    return count


@transaction.atomic
def agreement_amend(*, actor: User, agreement: Agreement) -> Agreement:
    """Start an amendment: version n+1 as a draft, a copy of every heading, category and party
    (without signatures, and without the signed document, which belongs to the earlier text).
    The earlier version stays in force until the new one is activated."""
    agreement = lock_agreement(agreement)
    if agreement.status not in IN_FORCE_STATUSES:
        raise ValidationError(AGREEMENT_CANNOT_AMEND)
    existing = Agreement.objects.filter(previous_version=agreement, status=AgreementStatus.DRAFT).first()
    if existing is not None:
        raise ValidationError(AGREEMENT_ALREADY_AMENDED.format(version=existing.version))
    # The next number after every version of this reference, abandoned drafts included.
    latest = Agreement.objects.filter(reference=agreement.reference).aggregate(latest=Max("version"))["latest"]
    amendment = Agreement(
        reference=agreement.reference,
        version=(latest or agreement.version) + 1,
        previous_version=agreement,
        status=AgreementStatus.DRAFT,
        created_by=actor,
        **{field: getattr(agreement, field) for field in AGREEMENT_EDITABLE_FIELDS},
    )
    amendment.save()
    amendment.data_categories.set(agreement.data_categories.all())
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=amendment,
            organisation_id=party.organisation_id,
            **{field: getattr(party, field) for field in PARTY_EDITABLE_FIELDS},
        )
        for party in agreement.parties.all()
    )
    audit_record(
        actor=actor,
        verb="partnerships.agreement.amended",
        target=amendment,
        detail={"reference": amendment.reference, "version": amendment.version, "previous_version": agreement.pk},
    )
    return amendment
