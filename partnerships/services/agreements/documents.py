"""The signed document of an agreement, and the register's exports and downloads (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core import uploads
from core.audit import audit_record, recipient_of
from partnerships.models import (
    Agreement,
    AgreementStatus,
)

if TYPE_CHECKING:
    from accounts.models import User
from partnerships.services.agreements.common import (
    DOCUMENT_AGREEMENT_ENDED,
    DOCUMENT_EMPTY,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_NOT_PDF,
    DOCUMENT_REQUIRED,
    DOCUMENT_TOO_BIG,
    lock_agreement,
)


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def agreement_check_document(uploaded_file: UploadedFile | None) -> None:
    """A PDF, checked by its content (not only its name or the browser's content type), under 5 MB."""
    if uploaded_file is None:
        raise ValidationError({"document": DOCUMENT_REQUIRED})
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"document": DOCUMENT_EMPTY})
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": DOCUMENT_TOO_BIG.format(size=_human_size(size))})
    # The same checks as every upload (core.uploads): the content is a PDF, the name ends in .pdf
    # and hides nothing, and the file is not also a web page (a PDF/HTML polyglot).
    try:
        uploads.upload_check(
            uploaded_file, name=uploaded_file.name or "", kinds=(uploads.PDF,), not_allowed=DOCUMENT_NOT_PDF
        )
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    finally:
        uploaded_file.seek(0)


@transaction.atomic
def agreement_attach_document(*, actor: User, agreement: Agreement, uploaded_file: UploadedFile | None) -> Agreement:
    """Store the signed copy of an agreement (replacing any earlier one). The file is never served
    from MEDIA_URL, only through the permission-checked download view."""
    agreement_check_document(uploaded_file)
    assert uploaded_file is not None  # checked above; for the type checker
    agreement = lock_agreement(agreement)
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
    """Record the CSV export of the register as a disclosure naming its recipient (DPA 2018 s.62)."""
    audit_record(
        actor=actor,
        verb="partnerships.agreement.exported",
        detail={
            "count": len(agreements),
            "agreements": [f"{a.reference} v{a.version}" for a in agreements],
            "filters": filters,
            "recipient": recipient_of(actor),
        },
    )


@transaction.atomic
def agreement_document_downloaded(*, actor: User, agreement: Agreement) -> None:
    """Record that a user downloaded the signed document (a consultation, DPA 2018 s.62), naming
    who received the copy."""
    audit_record(
        actor=actor,
        verb="partnerships.agreement.document_downloaded",
        target=agreement,
        detail={"recipient": recipient_of(actor)},
    )
