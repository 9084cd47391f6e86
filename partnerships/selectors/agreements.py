"""Reads of information-sharing agreements, filtered by the access policy (DESIGN.md section 4):
police roles and administrators see every agreement; partner users only those their organisation
is party to. Drafting and the lifecycle belong to supervisors; each party's lead signs for it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import get_visible_or_404
from core.dates import long_date
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    DataCategory,
    DataCategoryKind,
    LawfulBasis,
    Organisation,
)
from partnerships.models.agreements import IN_FORCE_STATUSES

if TYPE_CHECKING:
    from accounts.models import User

AGREEMENT_ACTIONS = ("view", "change")

# The checklist of what activation needs, one message per missing item (shown on the detail page
# and in the activation error summary; tests assert them).
MISSING_PURPOSE = "Purpose: say why the data is shared."
MISSING_PARTIES = "Parties: an agreement needs at least two organisations."
MISSING_DATA_CATEGORIES = "Data categories: choose at least one category of data."
MISSING_DATA_ITEMS = "Data items: list the fields or records that are shared."
MISSING_CONTROLLER_ROLE = "{organisation}: choose its controller role (joint or separate)."
MISSING_LAWFUL_BASIS = "{organisation}: choose its lawful basis."
MISSING_LEGAL_POWER = "{organisation}: give its legal power to share."
MISSING_SPECIAL_CATEGORY_CONDITIONS = (
    "Special category and criminal offence data conditions: needed because the agreement covers {categories}."
)
MISSING_PART3_CONDITIONS = (
    "DPA 2018 Part 3 conditions: needed because {organisations} relies on law enforcement purposes."
)
MISSING_DPIA_REFERENCE = "DPIA reference: give the reference of the data protection impact assessment."
MISSING_RETENTION = "Retention and deletion: say how long the data is kept and how it is deleted."
MISSING_SECURITY = "Security measures: say how the data is kept secure."
MISSING_INDIVIDUALS_RIGHTS = "Individuals' rights: say how people's rights are met."
MISSING_SUBJECT_ACCESS_CONTACT = "Subject access request contact: name who handles subject access requests."
MISSING_SHARING_FREQUENCY = "Sharing dates or frequency: say when or how often data is shared."
MISSING_START_DATE = "Start date: enter the date the agreement starts."
MISSING_REVIEW_DATE = "Review date: enter the date the agreement is next reviewed."
MISSING_EXPIRY_DATE = "Expiry date: enter the date the agreement ends."
MISSING_EXPIRY_AFTER_START = "Expiry date: it must be after the start date."
MISSING_SIGNATURE = "{organisation}: its lead has not signed."

# Reasons given by agreement_coverage_gap (the sharing issue shows them to the user).
GAP_NO_AGREEMENT = "There is no information-sharing agreement between {owner} and {partner}."
GAP_ONLY_DRAFT = "The agreement between {owner} and {partner} ({references}) is still a draft: it is not in force yet."
GAP_ONLY_EXPIRED = "The agreement between {owner} and {partner} ({references}) has expired."
GAP_ONLY_TERMINATED = "The agreement between {owner} and {partner} ({references}) has been terminated."
GAP_NOT_STARTED = "The agreement between {owner} and {partner} ({references}) does not start until {date}."
GAP_LAPSED = "The agreement between {owner} and {partner} ({references}) ended on {date}."
GAP_CATEGORIES = "The agreement between {owner} and {partner} ({references}) does not cover: {categories}."


# --- predicates (used by views and templates) -----------------------------------------------


def can_edit_agreements(user: User) -> bool:
    """Drafting, editing, activating, reviewing, terminating and amending: supervisors only."""
    return bool(user.is_authenticated and user.is_supervisor)


def can_sign(user: User, party: AgreementParty) -> bool:
    """The lead of the party's organisation: its partner lead, or for a police force its supervisor."""
    if not user.is_authenticated or user.organisation_id != party.organisation_id:
        return False
    return bool(user.is_partner_lead or (user.is_supervisor and user.is_police))


# --- the register -----------------------------------------------------------------------------


def _visible(user: User) -> QuerySet[Agreement]:
    agreements = Agreement.objects.all()
    if user.reads_whole_partner_registry:
        return agreements
    if user.is_partner:
        own_party = AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation_id=user.organisation_id)
        return agreements.filter(Exists(own_party))
    return agreements.none()


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """Every version of every agreement `user` may see (the register's rule), as a plain queryset."""
    return _visible(user)


def _with_parties(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return agreements.prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        "data_categories",
    )


def agreement_list_visible_to(
    *,
    user: User,
    status: str = "",
    party: Organisation | None = None,
    review_within_days: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Agreement]:
    """The register: every version of every agreement the user may see, with parties (and their
    organisations) and data categories prefetched: three queries whatever the number of rows."""
    agreements = _visible(user)
    if status:
        agreements = agreements.filter(status=status)
    if party is not None:
        agreements = agreements.filter(
            Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation_id=party.pk))
        )
    if review_within_days is not None:
        # Due for review: in force, with a review date within N days from today (or already past).
        horizon = (today or timezone.localdate()) + datetime.timedelta(days=review_within_days)
        agreements = agreements.filter(status__in=IN_FORCE_STATUSES, review_date__lte=horizon)
    return _with_parties(agreements).order_by("reference", "-version")


def agreement_party_organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    """The organisations offered in the register's party filter: those party to an agreement the
    user may see (so the list reveals no organisation the user could not find anyway)."""
    parties = AgreementParty.objects.filter(agreement__in=_visible(user))
    return Organisation.objects.filter(Exists(parties.filter(organisation=OuterRef("pk")))).order_by("name")


def agreement_versions(*, user: User, agreement: Agreement) -> QuerySet[Agreement]:
    """Every version of an agreement that the user may see, newest first."""
    return _visible(user).filter(reference=agreement.reference).order_by("-version")


# --- access helpers ---------------------------------------------------------------------------


def agreement_get_for_user(*, user: User, pk: object, action: str = "view") -> Agreement:
    """An agreement the user may see (else 404); for "change", only a supervisor (else 403)."""
    if action not in AGREEMENT_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    agreement = get_visible_or_404(_with_parties(_visible(user)).select_related("created_by"), pk=pk)
    if action == "change" and not can_edit_agreements(user):
        raise PermissionDenied
    return agreement


def agreement_party_get_for_user(*, user: User, pk: object, action: str = "view") -> AgreementParty:
    """A party of an agreement the user may see (else 404). "change" (role, lawful basis, legal
    power) is for supervisors; "sign" for the lead of that party's organisation (else 403)."""
    visible = AgreementParty.objects.filter(agreement__in=_visible(user)).select_related("agreement", "organisation")
    party = get_visible_or_404(visible, pk=pk)
    if action == "change" and not can_edit_agreements(user):
        raise PermissionDenied
    if action == "sign" and not can_sign(user, party):
        raise PermissionDenied
    if action not in ("view", "change", "sign"):
        raise ValueError(f"Unknown action {action!r}")
    return party


# --- completeness ---------------------------------------------------------------------------------


def agreement_missing_items(agreement: Agreement) -> list[str]:
    """Everything activation still needs, each named: the ICO code's headings, each party's role,
    lawful basis, legal power and signature, and the conditions that the chosen data or bases
    call for. Uses prefetched parties and categories when present."""
    parties = sorted(agreement.parties.all(), key=lambda p: p.organisation.name)
    categories = list(agreement.data_categories.all())
    missing: list[str] = []
    if not agreement.purpose.strip():
        missing.append(MISSING_PURPOSE)
    if len(parties) < 2:
        missing.append(MISSING_PARTIES)
    if not categories:
        missing.append(MISSING_DATA_CATEGORIES)
    if not agreement.data_items.strip():
        missing.append(MISSING_DATA_ITEMS)
    for party in parties:
        name = party.organisation.name
        if not party.controller_role:
            missing.append(MISSING_CONTROLLER_ROLE.format(organisation=name))
        if not party.lawful_basis:
            missing.append(MISSING_LAWFUL_BASIS.format(organisation=name))
        if not party.legal_power.strip():
            missing.append(MISSING_LEGAL_POWER.format(organisation=name))
    sensitive = [
        c.name for c in categories if c.kind in (DataCategoryKind.SPECIAL_CATEGORY, DataCategoryKind.CRIMINAL_OFFENCE)
    ]
    if sensitive and not agreement.special_category_conditions.strip():
        missing.append(MISSING_SPECIAL_CATEGORY_CONDITIONS.format(categories=", ".join(sorted(sensitive))))
    law_enforcement = [p.organisation.name for p in parties if p.lawful_basis == LawfulBasis.LAW_ENFORCEMENT]
    if law_enforcement and not agreement.part3_conditions.strip():
        missing.append(MISSING_PART3_CONDITIONS.format(organisations=" and ".join(law_enforcement)))
    if not agreement.dpia_reference.strip():
        missing.append(MISSING_DPIA_REFERENCE)
    if not agreement.retention_and_deletion.strip():
        missing.append(MISSING_RETENTION)
    if not agreement.security_measures.strip():
        missing.append(MISSING_SECURITY)
    if not agreement.individuals_rights.strip():
        missing.append(MISSING_INDIVIDUALS_RIGHTS)
    if not agreement.subject_access_contact.strip():
        missing.append(MISSING_SUBJECT_ACCESS_CONTACT)
    if not agreement.sharing_frequency.strip():
        missing.append(MISSING_SHARING_FREQUENCY)
    if agreement.start_date is None:
        missing.append(MISSING_START_DATE)
    if agreement.review_date is None:
        missing.append(MISSING_REVIEW_DATE)
    if agreement.expiry_date is None:
        missing.append(MISSING_EXPIRY_DATE)
    elif agreement.start_date is not None and agreement.expiry_date <= agreement.start_date:
        missing.append(MISSING_EXPIRY_AFTER_START)
    missing.extend(MISSING_SIGNATURE.format(organisation=p.organisation.name) for p in parties if not p.is_signed)
    return missing


# --- coverage (called by the sharing of problems) ---------------------------------------------


def _between(owner: Organisation, partner: Organisation) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation_id=owner.pk)),
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation_id=partner.pk)),
    )


def _in_force_on(on_date: datetime.date) -> Q:
    return Q(status__in=IN_FORCE_STATUSES, start_date__lte=on_date, expiry_date__gte=on_date)


def agreement_covering(
    *,
    owner: Organisation,
    partner: Organisation,
    categories: Iterable[DataCategory],
    on_date: datetime.date,
) -> Agreement | None:
    """An agreement in force on `on_date` (active or under review, between its start and expiry
    dates) to which both organisations are party and which covers every given data category; the
    one expiring last if several do. None when no agreement covers the sharing."""
    wanted = {c.pk for c in categories}
    candidates = _between(owner, partner).filter(_in_force_on(on_date)).prefetch_related("data_categories")
    covering = [a for a in candidates if wanted <= {c.pk for c in a.data_categories.all()}]
    if not covering:
        return None
    return max(covering, key=lambda a: (a.expiry_date or on_date, a.version, a.pk))


def agreement_coverage_gap(
    *,
    owner: Organisation,
    partner: Organisation,
    categories: Iterable[DataCategory],
    on_date: datetime.date,
) -> str | None:
    """Why no agreement covers this sharing, in plain English; None when one does."""
    categories = list(categories)
    if agreement_covering(owner=owner, partner=partner, categories=categories, on_date=on_date) is not None:
        return None
    names = {"owner": owner.name, "partner": partner.name}
    agreements = list(_between(owner, partner).prefetch_related("data_categories").order_by("reference", "version"))

    def refs(rows: list[Agreement]) -> str:
        return ", ".join(dict.fromkeys(a.reference for a in rows))

    if not agreements:
        return GAP_NO_AGREEMENT.format(**names)
    in_force = [a for a in agreements if a.status in IN_FORCE_STATUSES]
    dated = [a for a in in_force if a.start_date and a.expiry_date and a.start_date <= on_date <= a.expiry_date]
    if dated:
        wanted = {c.pk: c.name for c in categories}
        best = min(dated, key=lambda a: len(set(wanted) - {c.pk for c in a.data_categories.all()}))
        uncovered = sorted(name for pk, name in wanted.items() if pk not in {c.pk for c in best.data_categories.all()})
        return GAP_CATEGORIES.format(**names, references=best.reference, categories=", ".join(uncovered))
    if in_force:
        future = [a for a in in_force if a.start_date and a.start_date > on_date]
        if future:
            first = min(future, key=lambda a: a.start_date or on_date)
            return GAP_NOT_STARTED.format(**names, references=first.reference, date=_long(first.start_date))
        last = max(in_force, key=lambda a: a.expiry_date or on_date)
        return GAP_LAPSED.format(**names, references=last.reference, date=_long(last.expiry_date))
    statuses = {a.status for a in agreements}
    if AgreementStatus.EXPIRED in statuses:
        expired = [a for a in agreements if a.status == AgreementStatus.EXPIRED]
        return GAP_ONLY_EXPIRED.format(**names, references=refs(expired))
    if AgreementStatus.TERMINATED in statuses:
        terminated = [a for a in agreements if a.status == AgreementStatus.TERMINATED]
        return GAP_ONLY_TERMINATED.format(**names, references=refs(terminated))
    return GAP_ONLY_DRAFT.format(**names, references=refs(agreements))


def _long(date: datetime.date | None) -> str:
    return long_date(date) if date else "an unknown date"
