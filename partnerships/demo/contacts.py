"""Demo contacts: single points of contact (SPOCs) at most demo organisations, one completed and
acknowledged handover at the council, and partners with no active SPOC, so that the flag shows."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from partnerships.models import Contact, Handover, Organisation
from partnerships.services.contacts import contact_create, handover_acknowledge, handover_record

if TYPE_CHECKING:
    from accounts.models import User

COUNCIL = "Northshire City Council"
RECORDED_BY = "supervisor@police.example"
OUTGOING = "Priya Patel"
INCOMING = "Lee Lead"

# organisation, name, role, email, linked demo user's email, SPOC topics (empty: not a SPOC),
# days ago the contact started, days ago they became SPOC.
DEMO_CONTACTS: list[tuple[str, str, str, str, str, str, int, int]] = [
    (
        "Northshire Police",
        "Inspector Imran Khan",
        "Neighbourhood inspector",
        "imran.khan@police.example",
        "",
        "Partnership working in Eastgate and Riverside",
        900,
        700,
    ),
    (
        "Northshire Police",
        "Sam Sergeant",
        "Neighbourhood sergeant, Eastgate",
        "supervisor@police.example",
        "supervisor@police.example",
        "",
        600,
        0,
    ),
    (
        COUNCIL,
        OUTGOING,
        "Community safety manager",
        "priya.patel@council.example",
        "",
        "ASB in Eastgate; Community Safety Partnership",
        1200,
        500,
    ),
    (COUNCIL, INCOMING, "Community safety officer", "lead@council.example", "lead@council.example", "", 90, 0),
    (COUNCIL, "Mel Member", "ASB caseworker", "member@council.example", "member@council.example", "", 400, 0),
    (
        "Riverside Housing Association",
        "Hana Housing",
        "Neighbourhood services lead",
        "lead@housing.example",
        "lead@housing.example",
        "Tenancy enforcement; estate ASB in Riverside",
        700,
        200,
    ),
    (
        "Northshire Integrated Care Board",
        "Dr Nadia Rahman",
        "Emergency department consultant",
        "nadia.rahman@health.example",
        "",
        "Emergency department assault data",
        800,
        300,
    ),
    (
        "Northshire Youth Justice Service",
        "Yvonne Youth",
        "Prevention team manager",
        "lead@youthjustice.example",
        "lead@youthjustice.example",
        "Youth diversion; out-of-court disposals",
        500,
        400,
    ),
    # No SPOC at the residents' association, the university or the business improvement district.
    (
        "Eastgate Residents' Association",
        "Rita Residents",
        "Secretary",
        "lead@residents.example",
        "lead@residents.example",
        "",
        300,
        0,
    ),
    (
        "Northshire City Centre Business Improvement District",
        "Ben Bell",
        "BID manager",
        "manager@bid.example",
        "",
        "",
        200,
        0,
    ),
]


def _demo_user(email: str) -> User:
    """A demo user, created by the accounts demo (seed_demo runs this module's records after it)."""
    return get_user_model().objects.get(email=email)


def _contact(
    organisations: dict[str, Organisation], today: datetime.date, row: tuple[str, str, str, str, str, str, int, int]
) -> Contact:
    organisation_name, name, job_title, email, user_email, topics, started, spoc_since = row
    organisation = organisations[organisation_name]
    contact = Contact.objects.filter(organisation=organisation, name=name).first()
    if contact is not None:
        return contact
    spoc = {"spoc_topics": topics, "spoc_from": today - datetime.timedelta(days=spoc_since)} if topics else {}
    return contact_create(
        actor=None,
        organisation=organisation,
        name=name,
        job_title=job_title,
        email=email,
        user=_demo_user(user_email) if user_email else None,
        active_from=today - datetime.timedelta(days=started),
        **spoc,
    )


def seed(*, stdout: Any) -> None:
    today = timezone.localdate()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    contacts = {row[1]: _contact(organisations, today, row) for row in DEMO_CONTACTS}
    outgoing, incoming = contacts[OUTGOING], contacts[INCOMING]
    if Handover.objects.filter(outgoing=outgoing, incoming=incoming).exists():
        return
    handover = handover_record(
        actor=_demo_user(RECORDED_BY),
        outgoing=outgoing,
        incoming=incoming,
        handover_date=today - datetime.timedelta(days=60),
        note=(
            "Priya has moved to the council's housing strategy team. Lee takes over the Eastgate ASB "
            "caseload and the council's seat at the Community Safety Partnership."
        ),
        outstanding_items="Eastgate underpass lighting repair (highways ticket open).\nPACT meeting minutes for March.",
    )
    assert incoming.user is not None  # linked above: the demo handover is acknowledged by Lee
    handover_acknowledge(actor=incoming.user, handover=handover)
