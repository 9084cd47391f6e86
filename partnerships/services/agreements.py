"""Every write to information-sharing agreements (ISAs). Each service takes the acting user first,
runs in a transaction and records an audit event.

Lifecycle: draft -> active -> under review -> expired or terminated. A draft is edited freely;
an agreement in force is changed only by amendment, which makes a new version (a draft) that
supersedes the old one when it is activated. Earlier versions stay readable.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from core.audit import audit_record, changes
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    ControllerRole,
    DataCategory,
    LawfulBasis,
    Organisation,
)
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.selectors.agreements import agreement_missing_items, can_sign
from partnerships.signals import agreement_ended

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
AGREEMENT_TITLE_REQUIRED = "Enter a title for the agreement."
AGREEMENT_NOT_DRAFT = (
    "Only a draft can be changed. To change an agreement in force, make an amendment: it creates a new version."
)
AGREEMENT_EXPIRY_NOT_AFTER_START = "The expiry date must be after the start date."
AGREEMENT_REVIEW_AFTER_EXPIRY = "The review date must be on or before the expiry date."
AGREEMENT_REVIEW_BEFORE_START = "The review date must be on or after the start date."
AGREEMENT_PARTY_INACTIVE = "{name} is not an active organisation and cannot be a party."
AGREEMENT_CANNOT_ACTIVATE = "This agreement cannot be activated until each item below is complete ({count} missing)."
AGREEMENT_NOT_ACTIVE = "Only an active agreement can be put under review."
AGREEMENT_ALREADY_ENDED = "This agreement has already ended ({status})."
AGREEMENT_CANNOT_AMEND = "Only an agreement in force (active or under review) can be amended."
AGREEMENT_ALREADY_AMENDED = "Version {version} of this agreement already exists: open it to continue the amendment."
AGREEMENT_END_REASON_REQUIRED = "Give the reason for terminating the agreement."
AGREEMENT_SUPERSEDED = "Superseded by version {version}"
AGREEMENT_EXPIRED_REASON = "Expired: the expiry date ({date}) passed."
PARTY_ALREADY_SIGNED = "{organisation} has already signed this agreement (signed by {name} on {date})."
PARTY_SIGN_NOT_DRAFT = "Only a draft can be signed."
PARTY_NOT_YOUR_ORGANISATION = "Only the lead of {organisation} can sign for it."
PARTY_LAWFUL_BASIS_INVALID = "Choose a lawful basis from the list."
PARTY_CONTROLLER_ROLE_INVALID = "Choose a controller role from the list."
DOCUMENT_REQUIRED = "Choose a PDF file to upload."
DOCUMENT_NOT_PDF = "The file must be a PDF. This file is not a PDF document, whatever its name."
DOCUMENT_TOO_BIG = "The file must be smaller than 5 MB. This file is {size}."
DOCUMENT_EMPTY = "The file is empty."
DOCUMENT_AGREEMENT_ENDED = "A document cannot be added to an agreement that has ended."

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"

AGREEMENT_TEXT_FIELDS = (
    "title",
    "purpose",
    "data_items",
    "special_category_conditions",
    "part3_conditions",
    "dpia_reference",
    "retention_and_deletion",
    "security_measures",
    "individuals_rights",
    "subject_access_contact",
    "sharing_frequency",
)
AGREEMENT_DATE_FIELDS = ("start_date", "review_date", "expiry_date")
AGREEMENT_EDITABLE_FIELDS = (*AGREEMENT_TEXT_FIELDS, *AGREEMENT_DATE_FIELDS)
PARTY_EDITABLE_FIELDS = ("controller_role", "lawful_basis", "legal_power")

REFERENCE_PREFIX = "ISA"
REFERENCE_ATTEMPTS = 20


# --- helpers ----------------------------------------------------------------------------------


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    data: dict[str, Any] = {field: getattr(agreement, field) for field in AGREEMENT_EDITABLE_FIELDS}
    data["data_categories"] = sorted(agreement.data_categories.values_list("code", flat=True))
    data["parties"] = sorted(agreement.parties.values_list("organisation_id", flat=True))
    return data


def _party_snapshot(party: AgreementParty) -> dict[str, Any]:
    return {field: getattr(party, field) for field in PARTY_EDITABLE_FIELDS}


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _require_draft(agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(AGREEMENT_NOT_DRAFT)


def _check_dates(start: datetime.date | None, review: datetime.date | None, expiry: datetime.date | None) -> None:
    errors: dict[str, str] = {}
    if start and expiry and expiry <= start:
        errors["expiry_date"] = AGREEMENT_EXPIRY_NOT_AFTER_START
    if review and expiry and review > expiry:
        errors["review_date"] = AGREEMENT_REVIEW_AFTER_EXPIRY
    elif review and start and review < start:
        errors["review_date"] = AGREEMENT_REVIEW_BEFORE_START
    if errors:
        raise ValidationError(errors)


def _check_parties(organisations: Iterable[Organisation]) -> None:
    for organisation in organisations:
        if not organisation.active:
            raise ValidationError({"parties": AGREEMENT_PARTY_INACTIVE.format(name=organisation.name)})


def _clear_signatures(agreement: Agreement) -> int:
    """A signature attests to the text that was signed: any change to a draft after a party signed
    it voids every signature, and each party signs the changed text again."""
    return agreement.parties.filter(signed_at__isnull=False).update(signed_by=None, signatory_name="", signed_at=None)


def _next_reference_number(year: int) -> int:
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    numbers = [
        int(match.group(1))
        for reference in Agreement.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if (match := re.fullmatch(rf"{re.escape(prefix)}(\d+)", reference))
    ]
    return max(numbers, default=0) + 1


def _insert_with_new_reference(agreement: Agreement) -> None:
    """Give a new agreement the next free reference of this year (ISA-2026-0001, ...).

    Race: two supervisors creating drafts at the same moment both read the same highest number.
    The unique constraint on (reference, version) lets only one INSERT win (the other waits for
    the winner to commit, then fails); the loser's INSERT runs in its own savepoint, so its outer
    transaction survives, and it tries again with a higher number: at least one past the number
    it just lost, since the winner's row may not be visible yet. A counter row locked with
    select_for_update would serialise creations instead, but needs a model of its own; the
    constraint already exists and is what guarantees uniqueness whatever the code does. Numbers
    are unique, not necessarily gapless (a creation that rolls back leaves its number unused)."""
    year = timezone.localdate().year
    number = 0
    for _attempt in range(REFERENCE_ATTEMPTS):
        number = max(_next_reference_number(year), number + 1)
        agreement.reference = f"{REFERENCE_PREFIX}-{year}-{number:04d}"
        try:
            with transaction.atomic():
                agreement.save()
        except IntegrityError:
            agreement.pk = None
            continue
        return
    raise IntegrityError("Could not find a free agreement reference; try again.")


# --- drafting -----------------------------------------------------------------------------------


@transaction.atomic
def agreement_create_draft(
    *,
    actor: User,
    title: str,
    parties: Iterable[Organisation] = (),
    data_categories: Iterable[DataCategory] = (),
    **fields: Any,
) -> Agreement:
    """Start a new agreement (version 1) as a draft with the next reference number."""
    unknown = set(fields) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": AGREEMENT_TITLE_REQUIRED})
    organisations = list(dict.fromkeys(parties))
    _check_parties(organisations)
    _check_dates(fields.get("start_date"), fields.get("review_date"), fields.get("expiry_date"))
    agreement = Agreement(title=title, created_by=actor, status=AgreementStatus.DRAFT, **fields)
    _insert_with_new_reference(agreement)
    agreement.data_categories.set(list(data_categories))
    AgreementParty.objects.bulk_create(AgreementParty(agreement=agreement, organisation=o) for o in organisations)
    audit_record(
        actor=actor,
        verb="partnerships.agreement.created",
        target=agreement,
        detail={"reference": agreement.reference, "version": agreement.version, **_snapshot(agreement)},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    parties: Iterable[Organisation] | None = None,
    data_categories: Iterable[DataCategory] | None = None,
    **fields: Any,
) -> Agreement:
    """Change a draft's headings, parties or data categories. Any real change clears the
    signatures already given (see _clear_signatures)."""
    unknown = set(fields) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = _lock(agreement)
    _require_draft(agreement)
    before = _snapshot(agreement)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise ValidationError({"title": AGREEMENT_TITLE_REQUIRED})
    for field, value in fields.items():
        setattr(agreement, field, value)
    _check_dates(agreement.start_date, agreement.review_date, agreement.expiry_date)
    if parties is not None:
        wanted = list(dict.fromkeys(parties))
        current = set(agreement.parties.values_list("organisation_id", flat=True))
        _check_parties(o for o in wanted if o.pk not in current)
        agreement.parties.exclude(organisation__in=[o.pk for o in wanted]).delete()
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=agreement, organisation=o) for o in wanted if o.pk not in current
        )
    if data_categories is not None:
        agreement.data_categories.set(list(data_categories))
    agreement.save()
    diff = changes(before, _snapshot(agreement))
    if diff:
        cleared = _clear_signatures(agreement)
        audit_record(
            actor=actor,
            verb="partnerships.agreement.updated",
            target=agreement,
            detail={**diff, "signatures_cleared": cleared},
        )
    return agreement


@transaction.atomic
def agreement_party_update(*, actor: User, party: AgreementParty, **fields: Any) -> AgreementParty:
    """Set a party's controller role, lawful basis and legal power (drafts only). A change clears
    every signature: the other parties signed a text that described this party differently."""
    unknown = set(fields) - set(PARTY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = _lock(party.agreement)
    _require_draft(agreement)
    party = AgreementParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
    if fields.get("controller_role") and fields["controller_role"] not in ControllerRole.values:
        raise ValidationError({"controller_role": PARTY_CONTROLLER_ROLE_INVALID})
    if fields.get("lawful_basis") and fields["lawful_basis"] not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": PARTY_LAWFUL_BASIS_INVALID})
    before = _party_snapshot(party)
    for field, value in fields.items():
        setattr(party, field, value.strip() if isinstance(value, str) else value)
    party.save()
    diff = changes(before, _party_snapshot(party))
    if diff:
        cleared = _clear_signatures(agreement)
        party.refresh_from_db()
        audit_record(
            actor=actor,
            verb="partnerships.agreement_party.updated",
            target=party,
            detail={**diff, "agreement": agreement.pk, "signatures_cleared": cleared},
        )
    return party


@transaction.atomic
def agreement_sign(*, actor: User, party: AgreementParty) -> AgreementParty:
    """Sign a draft for one party. Only that organisation's lead may: the partner lead of a
    partner, the supervisor of a police force (the access helper gives outsiders 404 first)."""
    agreement = _lock(party.agreement)
    party = AgreementParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
    if not can_sign(actor, party):
        raise PermissionDenied(PARTY_NOT_YOUR_ORGANISATION.format(organisation=party.organisation.name))
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(PARTY_SIGN_NOT_DRAFT)
    if party.signed_at is not None:
        raise ValidationError(
            PARTY_ALREADY_SIGNED.format(
                organisation=party.organisation.name,
                name=party.signatory_name,
                date=timezone.localtime(party.signed_at).strftime("%d %B %Y"),
            )
        )
    party.signed_by = actor
    party.signatory_name = actor.full_name
    party.signed_at = timezone.now()
    party.save(update_fields=["signed_by", "signatory_name", "signed_at"])
    audit_record(
        actor=actor,
        verb="partnerships.agreement_party.signed",
        target=party,
        detail={"agreement": agreement.pk, "organisation": party.organisation_id, "signatory": party.signatory_name},
    )
    return party


# --- lifecycle ----------------------------------------------------------------------------------


@transaction.atomic
def agreement_activate(*, actor: User, agreement: Agreement) -> Agreement:
    """Bring a draft into force. Refused, naming each missing item, unless every required heading
    is filled and every party has signed. Activating an amendment terminates the version it
    replaces."""
    agreement = _lock(agreement)
    _require_draft(agreement)
    missing = agreement_missing_items(agreement)
    if missing:
        raise ValidationError([AGREEMENT_CANNOT_ACTIVATE.format(count=len(missing)), *missing])
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
    if agreement.previous_version_id is not None:
        previous = Agreement.objects.select_for_update().get(pk=agreement.previous_version_id)
        if previous.status in IN_FORCE_STATUSES:
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
    agreement_ended.send(sender=Agreement, agreement=agreement, reason=reason)


@transaction.atomic
def agreement_start_review(*, actor: User, agreement: Agreement) -> Agreement:
    """Mark an active agreement as under review. It stays in force while it is reviewed."""
    agreement = _lock(agreement)
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
def agreement_terminate(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """End an agreement (or abandon a draft) with a reason; sharing under it stops."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": AGREEMENT_END_REASON_REQUIRED})
    agreement = _lock(agreement)
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
    agreement = _lock(agreement)
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


# --- the signed document ------------------------------------------------------------------------


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def agreement_check_document(uploaded_file: UploadedFile | None) -> None:
    """A PDF, checked by its content (not its name or the browser's content type), under 5 MB."""
    if uploaded_file is None:
        raise ValidationError({"document": DOCUMENT_REQUIRED})
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"document": DOCUMENT_EMPTY})
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": DOCUMENT_TOO_BIG.format(size=_human_size(size))})
    uploaded_file.seek(0)
    head = uploaded_file.read(len(PDF_MAGIC))
    uploaded_file.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"document": DOCUMENT_NOT_PDF})


@transaction.atomic
def agreement_attach_document(*, actor: User, agreement: Agreement, uploaded_file: UploadedFile | None) -> Agreement:
    """Store the signed copy of an agreement (replacing any earlier one). The file is never served
    from MEDIA_URL, only through the permission-checked download view."""
    agreement_check_document(uploaded_file)
    assert uploaded_file is not None  # checked above; for the type checker
    agreement = _lock(agreement)
    if agreement.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        raise ValidationError({"document": DOCUMENT_AGREEMENT_ENDED})
    old_name = agreement.document.name if agreement.document else ""
    agreement.document.save(f"{agreement.reference}-v{agreement.version}.pdf", uploaded_file, save=False)
    agreement.save(update_fields=["document", "updated_at"])
    if old_name and old_name != agreement.document.name:
        storage = agreement.document.storage
        # The old file goes only once the new one is committed: a rollback keeps it in use.
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(
        actor=actor,
        verb="partnerships.agreement.document_attached",
        target=agreement,
        detail={"size": uploaded_file.size, "name": agreement.document.name, "replaced": old_name},
    )
    return agreement


@transaction.atomic
def agreement_register_exported(*, actor: User, agreements: list[Agreement], filters: dict[str, Any]) -> None:
    """Record the CSV export of the register as a disclosure (DPA 2018 s.62)."""
    audit_record(
        actor=actor,
        verb="partnerships.agreement.exported",
        detail={
            "count": len(agreements),
            "agreements": [f"{a.reference} v{a.version}" for a in agreements],
            "filters": filters,
        },
    )


@transaction.atomic
def agreement_document_downloaded(*, actor: User, agreement: Agreement) -> None:
    """Record that a user opened the signed document (a consultation, DPA 2018 s.62)."""
    audit_record(actor=actor, verb="partnerships.agreement.document_downloaded", target=agreement)
