"""Drafting an agreement: create, edit, set each party's role and sign-off details, sign."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes
from core.concurrency import version_claim
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    ControllerRole,
    DataCategory,
    LawfulBasis,
    Organisation,
)
from partnerships.selectors.agreements import can_sign

if TYPE_CHECKING:
    from accounts.models import User
from partnerships.services.agreements.common import (
    AGREEMENT_EDIT_VERBS,
    AGREEMENT_EDITABLE_FIELDS,
    AGREEMENT_TITLE_REQUIRED,
    PARTY_ALREADY_SIGNED,
    PARTY_CONTROLLER_ROLE_INVALID,
    PARTY_EDITABLE_FIELDS,
    PARTY_LAWFUL_BASIS_INVALID,
    PARTY_NOT_YOUR_ORGANISATION,
    PARTY_SIGN_NOT_DRAFT,
    agreement_snapshot,
    check_dates,
    check_parties,
    check_seen_version,
    clear_signatures,
    insert_with_new_reference,
    lock_agreement,
    party_snapshot,
    require_draft,
)


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
    check_parties(organisations)
    check_dates(fields.get("start_date"), fields.get("review_date"), fields.get("expiry_date"))
    agreement = Agreement(title=title, created_by=actor, status=AgreementStatus.DRAFT, **fields)
    insert_with_new_reference(agreement)
    agreement.data_categories.set(list(data_categories))
    AgreementParty.objects.bulk_create(AgreementParty(agreement=agreement, organisation=o) for o in organisations)
    audit_record(
        actor=actor,
        verb="partnerships.agreement.created",
        target=agreement,
        detail={"reference": agreement.reference, "version": agreement.version, **agreement_snapshot(agreement)},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    parties: Iterable[Organisation] | None = None,
    data_categories: Iterable[DataCategory] | None = None,
    seen_version: int | None = None,
    **fields: Any,
) -> Agreement:
    """Change a draft's headings, parties or data categories. Any real change clears the
    signatures already given (see _clear_signatures). `seen_version`: the `lock_version` its
    editor saw; a change over a later one is refused (core.concurrency)."""
    unknown = set(fields) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = lock_agreement(agreement)
    require_draft(agreement)
    before = agreement_snapshot(agreement)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise ValidationError({"title": AGREEMENT_TITLE_REQUIRED})
    for field, value in fields.items():
        setattr(agreement, field, value)
    check_dates(agreement.start_date, agreement.review_date, agreement.expiry_date)
    if parties is not None:
        wanted = list(dict.fromkeys(parties))
        current = set(agreement.parties.values_list("organisation_id", flat=True))
        check_parties(o for o in wanted if o.pk not in current)
        agreement.parties.exclude(organisation__in=[o.pk for o in wanted]).delete()
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=agreement, organisation=o) for o in wanted if o.pk not in current
        )
    if data_categories is not None:
        agreement.data_categories.set(list(data_categories))
    diff = changes(before, agreement_snapshot(agreement))
    if diff:
        version_claim(agreement, seen=seen_version, verbs=AGREEMENT_EDIT_VERBS)
    agreement.save()
    if diff:
        cleared = clear_signatures(agreement)
        audit_record(
            actor=actor,
            verb="partnerships.agreement.updated",
            target=agreement,
            detail={**diff, "signatures_cleared": cleared},
        )
    return agreement


@transaction.atomic
def agreement_party_update(
    *, actor: User, party: AgreementParty, seen_version: int | None = None, **fields: Any
) -> AgreementParty:
    """Set a party's controller role, lawful basis and legal power (drafts only). A change clears
    every signature: the other parties signed a text that described this party differently."""
    unknown = set(fields) - set(PARTY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = lock_agreement(party.agreement)
    require_draft(agreement)
    party = AgreementParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
    if fields.get("controller_role") and fields["controller_role"] not in ControllerRole.values:
        raise ValidationError({"controller_role": PARTY_CONTROLLER_ROLE_INVALID})
    if fields.get("lawful_basis") and fields["lawful_basis"] not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": PARTY_LAWFUL_BASIS_INVALID})
    before = party_snapshot(party)
    for field, value in fields.items():
        setattr(party, field, value.strip() if isinstance(value, str) else value)
    diff = changes(before, party_snapshot(party))
    if diff:
        version_claim(party, seen=seen_version, verbs=("partnerships.agreement_party.updated",))
    party.save()
    if diff:
        cleared = clear_signatures(agreement)
        party.refresh_from_db()
        audit_record(
            actor=actor,
            verb="partnerships.agreement_party.updated",
            target=party,
            detail={**diff, "agreement": agreement.pk, "signatures_cleared": cleared},
        )
    return party


@transaction.atomic
def agreement_sign(*, actor: User, party: AgreementParty, seen_version: int | None = None) -> AgreementParty:
    """Sign a draft for one party. Only that organisation's lead may: the partner lead of a
    partner, the supervisor of a police force (the access helper gives outsiders 404 first).
    `seen_version` is the agreement's `lock_version` on the page signed from: a signature is
    refused if the headings were edited since (the signer has not read them)."""
    agreement = lock_agreement(party.agreement)
    party = AgreementParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
    if not can_sign(actor, party):
        raise PermissionDenied(PARTY_NOT_YOUR_ORGANISATION.format(organisation=party.organisation.name))
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(PARTY_SIGN_NOT_DRAFT)
    check_seen_version(agreement, seen_version)
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
