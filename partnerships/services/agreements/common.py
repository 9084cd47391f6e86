"""What the agreement services share: their messages (tests assert them), the editable fields,
and the helpers that lock, check, snapshot and number agreements."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.concurrency import SOMEONE, StateConflict, last_saved_by, when
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    Organisation,
)

if TYPE_CHECKING:
    pass
# Messages raised by the services (tests assert them).
AGREEMENT_TITLE_REQUIRED = "Enter a title for the agreement."
AGREEMENT_NOT_DRAFT = (
    "Only a draft can be changed. To change an agreement in force, make an amendment: it creates a new version."
)
AGREEMENT_EXPIRY_NOT_AFTER_START = "The expiry date must be after the start date."
AGREEMENT_REVIEW_AFTER_EXPIRY = "The review date must be on or before the expiry date."
AGREEMENT_REVIEW_BEFORE_START = "The review date must be on or after the start date."
AGREEMENT_PARTY_INACTIVE = "{name} is not an active organisation and cannot be a party."
AGREEMENT_STATUS_CHANGED = (
    "This agreement is already {status}: {name} changed it {when}. Nothing was changed: check it as it is now."
)
AGREEMENT_CHANGED_BEFORE_SIGNING = (
    "{name} changed this agreement {when}, after you opened it. Nothing was signed: "
    "read it again as it is now, then sign."
)
# The audit verbs of a saved edit of an agreement's headings, and of its status changes.
AGREEMENT_EDIT_VERBS = ("partnerships.agreement.updated",)
AGREEMENT_STATUS_VERBS = (
    "partnerships.agreement.activated",
    "partnerships.agreement.review_started",
    "partnerships.agreement.terminated",
    "partnerships.agreement.expired",
    "partnerships.agreement.superseded",
)
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


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    data: dict[str, Any] = {field: getattr(agreement, field) for field in AGREEMENT_EDITABLE_FIELDS}
    data["data_categories"] = sorted(agreement.data_categories.values_list("code", flat=True))
    data["parties"] = sorted(agreement.parties.values_list("organisation_id", flat=True))
    return data


def party_snapshot(party: AgreementParty) -> dict[str, Any]:
    return {field: getattr(party, field) for field in PARTY_EDITABLE_FIELDS}


def lock_agreement(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def check_seen_status(agreement: Agreement, seen_status: str | None) -> None:
    """Refuse a lifecycle move (activate, review, terminate) when the locked agreement is no
    longer in the status its user saw: two at once end in one (core.concurrency)."""
    if seen_status is None or seen_status == agreement.status:
        return
    saved = last_saved_by(agreement, AGREEMENT_STATUS_VERBS)
    name, moment = saved if saved else (SOMEONE, agreement.updated_at)
    raise StateConflict(
        AGREEMENT_STATUS_CHANGED.format(status=agreement.get_status_display().lower(), name=name, when=when(moment)),
        current=agreement,
        field="seen_status",
        value=agreement.status,
    )


def check_seen_version(agreement: Agreement, seen_version: int | None) -> None:
    """Refuse a signature given to a text that has been edited since its signer opened it."""
    if seen_version is None or seen_version == agreement.lock_version:
        return
    saved = last_saved_by(agreement, AGREEMENT_EDIT_VERBS)
    name, moment = saved if saved else (SOMEONE, agreement.updated_at)
    raise StateConflict(
        AGREEMENT_CHANGED_BEFORE_SIGNING.format(name=name, when=when(moment)), current=agreement, field="lock_version"
    )


def require_draft(agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(AGREEMENT_NOT_DRAFT)


def check_dates(start: datetime.date | None, review: datetime.date | None, expiry: datetime.date | None) -> None:
    errors: dict[str, str] = {}
    if start and expiry and expiry <= start:
        errors["expiry_date"] = AGREEMENT_EXPIRY_NOT_AFTER_START
    if review and expiry and review > expiry:
        errors["review_date"] = AGREEMENT_REVIEW_AFTER_EXPIRY
    elif review and start and review < start:
        errors["review_date"] = AGREEMENT_REVIEW_BEFORE_START
    if errors:
        raise ValidationError(errors)


def check_parties(organisations: Iterable[Organisation]) -> None:
    for organisation in organisations:
        if not organisation.active:
            raise ValidationError({"parties": AGREEMENT_PARTY_INACTIVE.format(name=organisation.name)})


def clear_signatures(agreement: Agreement) -> int:
    """A signature attests to the text that was signed: any change to a draft after a party signed
    it voids every signature, and each party signs the changed text again."""
    return agreement.parties.filter(signed_at__isnull=False).update(signed_by=None, signatory_name="", signed_at=None)


def next_reference_number(year: int) -> int:
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    numbers = [
        int(match.group(1))
        for reference in Agreement.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if (match := re.fullmatch(rf"{re.escape(prefix)}(\d+)", reference))
    ]
    return max(numbers, default=0) + 1


def insert_with_new_reference(agreement: Agreement) -> None:
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
        number = max(next_reference_number(year), number + 1)
        agreement.reference = f"{REFERENCE_PREFIX}-{year}-{number:04d}"
        try:
            with transaction.atomic():
                agreement.save()
        except IntegrityError:
            agreement.pk = None
            continue
        return
    raise IntegrityError("Could not find a free agreement reference; try again.")
