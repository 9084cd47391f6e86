"""Agreements for tests. `complete_agreement` builds one that activation accepts (every heading
filled, every party's basis given, optionally signed); tests then remove one thing at a time."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    ControllerRole,
    DataCategory,
    LawfulBasis,
    Organisation,
)
from tests.accounts.factories import UserFactory

_numbers = itertools.count(9001)

COMPLETE_HEADINGS: dict[str, Any] = {
    "purpose": "To reduce anti-social behaviour in the town centre by sharing reports between partners.",
    "data_items": "Date, time and location of each report; the category of behaviour; reporter postcode sector.",
    "special_category_conditions": "DPA 2018 Schedule 1 paragraph 10 (preventing or detecting unlawful acts).",
    "part3_conditions": "DPA 2018 s.35(5): strictly necessary for the law enforcement purposes; Schedule 8 para 1.",
    "dpia_reference": "DPIA-2026-014",
    "retention_and_deletion": "Kept for 12 months from receipt, then securely deleted by each party.",
    "security_measures": "Shared by secure email only; stored on access-controlled systems; OFFICIAL-SENSITIVE.",
    "individuals_rights": "Each party handles requests about the data it holds; the privacy notice says so.",
    "subject_access_contact": "Data Protection Officer, dpo@council.example",
    "sharing_frequency": "Monthly, by the fifth working day",
}


def supervisor_of(force: Organisation) -> User:
    return UserFactory(role=Role.SUPERVISOR, organisation=force)


def lead_of(organisation: Organisation) -> User:
    role = Role.SUPERVISOR if organisation.is_police else Role.PARTNER_LEAD
    return UserFactory(role=role, organisation=organisation)


def category(code: str) -> DataCategory:
    """One of the reference categories created by the migration (for example "asb-reports")."""
    return DataCategory.objects.get(code=code)


def complete_agreement(
    *,
    parties: Iterable[Organisation],
    created_by: User | None = None,
    categories: Iterable[DataCategory] | None = None,
    signed: bool = True,
    status: str = AgreementStatus.DRAFT,
    lawful_basis: str = LawfulBasis.PUBLIC_TASK,
    start_date: datetime.date | None = None,
    reference: str | None = None,
    **fields: Any,
) -> Agreement:
    """An agreement with every heading filled, parties with role, basis and power, and (with
    `signed`) every party's signature. Written directly: tests of the services start from here."""
    parties = list(parties)
    today = timezone.localdate()
    start = start_date or today - datetime.timedelta(days=30)
    values: dict[str, Any] = {
        **COMPLETE_HEADINGS,
        "title": "Town centre ASB information sharing",
        "start_date": start,
        "review_date": start + datetime.timedelta(days=180),
        "expiry_date": start + datetime.timedelta(days=365),
        **fields,
    }
    if created_by is None:
        police = next((o for o in parties if o.is_police), None)
        created_by = supervisor_of(police) if police else UserFactory(role=Role.SUPERVISOR)
    agreement = Agreement.objects.create(
        reference=reference or f"ISA-TEST-{next(_numbers):04d}",
        status=status,
        created_by=created_by,
        activated_at=timezone.now() if status != AgreementStatus.DRAFT else None,
        **values,
    )
    agreement.data_categories.set(categories if categories is not None else [category("asb-reports")])
    for organisation in parties:
        AgreementParty.objects.create(
            agreement=agreement,
            organisation=organisation,
            controller_role=ControllerRole.SEPARATE,
            lawful_basis=LawfulBasis.LAW_ENFORCEMENT if organisation.is_police else lawful_basis,
            legal_power="Crime and Disorder Act 1998 s.115",
            signatory_name=f"Lead of {organisation.name}" if signed else "",
            signed_at=timezone.now() if signed else None,
        )
    return agreement
