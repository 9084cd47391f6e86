"""Demo agreements between Northshire Police and three partners: one active, one active and due for
review within 30 days, one expired. Idempotent: an agreement whose title exists is left alone.

Made through the services (draft, party details, signatures by each party's lead, activation, the
expiry sweep). Runs in seed_records, after the accounts demo has created the supervisor and leads.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from partnerships.demo.organisations import FORCE
from partnerships.models import (
    Agreement,
    ControllerRole,
    DataCategory,
    LawfulBasis,
    Organisation,
)
from partnerships.services.agreements import (
    agreement_activate,
    agreement_create_draft,
    agreement_party_update,
    agreement_sign,
    agreements_expire_lapsed,
)

HEADINGS: dict[str, str] = {
    "special_category_conditions": (
        "UK GDPR Article 10 and DPA 2018 Schedule 1 paragraph 10 (preventing or detecting unlawful acts)."
    ),
    "part3_conditions": "DPA 2018 s.35(5) and Schedule 8 paragraph 1 (statutory purposes) for Northshire Police.",
    "retention_and_deletion": "Each party keeps shared records for 12 months from receipt, then deletes them securely.",
    "security_measures": "Sent by secure email or the partnership portal only; held on access-controlled systems.",
    "individuals_rights": "Each party answers requests about the data it holds; privacy notices describe the sharing.",
    "sharing_frequency": "Monthly, by the fifth working day, and on request for live cases",
}

# (title, partner, partner's lawful basis, categories, data items, days from today to start,
#  review and expiry)
DEMO_AGREEMENTS: list[tuple[str, str, str, list[str], str, tuple[int, int, int]]] = [
    (
        "Town centre anti-social behaviour information sharing",
        "Northshire City Council",
        LawfulBasis.PUBLIC_TASK,
        ["asb-reports", "location-data", "offending-history"],
        "Date, time and location of ASB reports; type of behaviour; names of repeat perpetrators.",
        (-180, 180, 545),
    ),
    (
        "Tenancy enforcement and neighbourhood nuisance",
        "Riverside Housing Association",
        LawfulBasis.LEGITIMATE_INTERESTS,
        ["housing-tenancy", "asb-reports", "identity-contact"],
        "Tenancy address, tenant names and contact details, nuisance complaints and tenancy actions.",
        (-340, 20, 390),
    ),
    (
        "Youth diversion referrals (first scheme)",
        "Northshire Youth Justice Service",
        LawfulBasis.PUBLIC_TASK,
        ["identity-contact", "offending-history", "education-attendance"],
        "Referral details of young people diverted from prosecution, outcomes and school attendance.",
        (-730, -200, -30),
    ),
]


def _lead_of(organisation: Organisation, role: str) -> Any:
    """The organisation's demo user in this role (the supervisor for the force, a partner lead)."""
    return get_user_model().objects.filter(organisation=organisation, role=role, is_active=True).order_by("pk").first()


def seed(*, stdout: Any) -> None:
    force = Organisation.objects.filter(name=FORCE).first()
    if force is None:
        return
    supervisor = _lead_of(force, "supervisor")
    if supervisor is None:
        return
    today = timezone.localdate()
    for title, partner_name, basis, codes, items, (start, review, expiry) in DEMO_AGREEMENTS:
        partner = Organisation.objects.filter(name=partner_name).first()
        if partner is None or Agreement.objects.filter(title=title).exists():
            continue
        agreement = agreement_create_draft(
            actor=supervisor,
            title=title,
            parties=[force, partner],
            data_categories=DataCategory.objects.filter(code__in=codes),
            purpose=f"To let Northshire Police and {partner_name} solve local problems together: {title.lower()}.",
            data_items=items,
            dpia_reference=f"DPIA-NP-{today.year}-{len(codes):02d}{partner.pk:02d}",
            subject_access_contact=f"Data Protection Officer, {partner_name}",
            start_date=today + datetime.timedelta(days=start),
            review_date=today + datetime.timedelta(days=review),
            expiry_date=today + datetime.timedelta(days=expiry),
            **HEADINGS,
        )
        for party in agreement.parties.select_related("organisation"):
            police = party.organisation_id == force.pk
            agreement_party_update(
                actor=supervisor,
                party=party,
                controller_role=ControllerRole.SEPARATE,
                lawful_basis=LawfulBasis.LAW_ENFORCEMENT if police else basis,
                legal_power="Crime and Disorder Act 1998 s.115; Police Act 1996 s.30",
            )
        for party in agreement.parties.select_related("organisation"):
            police = party.organisation_id == force.pk
            agreement_sign(actor=_lead_of(party.organisation, "supervisor" if police else "partner_lead"), party=party)
        agreement_activate(actor=supervisor, agreement=agreement)
    # The expired demo agreement lapsed in the past: the sweep the scheduler runs daily ends it.
    agreements_expire_lapsed(on_date=today)
