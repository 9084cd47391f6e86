"""Access matrix entries for the partnerships app: contacts. Joined into tests/access_matrix.py.

Contacts, SPOCs and handovers are visible with their organisation and managed by supervisors,
administrators and the organisation's partner lead; only the user linked to the incoming contact
acknowledges a handover."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, Entry, signed_in_page
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory, handover_between

MANAGERS_ONLY = signed_in_page(officer=403, analyst=403, dpo=403, partner_member=403, unrelated_partner=404)


def _handover_to_partner_lead(world: Any) -> dict[str, Any]:
    outgoing = SpocFactory(organisation=world.partner)
    incoming = ContactFactory(organisation=world.partner, user=world.users["partner_lead"])
    handover = handover_between(outgoing, incoming, recorded_by=world.users["supervisor"])
    return {"pk": handover.pk}


ENTRIES: list[Entry] = [
    Entry("contact-create", MANAGERS_ONLY, kwargs=lambda world: {"org_pk": world.partner.pk}),
    Entry(
        "contact-edit",
        MANAGERS_ONLY,
        kwargs=lambda world: {"pk": ContactFactory(organisation=world.partner).pk},
    ),
    Entry("handover-create", MANAGERS_ONLY, kwargs=lambda world: {"org_pk": world.partner.pk}),
    Entry(
        "handover-acknowledge",
        signed_in_page(
            officer=403,
            supervisor=403,
            analyst=403,
            administrator=403,
            partner_member=403,
            partner_lead=REDIRECT,
            unrelated_partner=404,
        ),
        kwargs=_handover_to_partner_lead,
        method="post",
    ),
]
