"""Access matrix entries for the partnerships app: partnerships, stakeholder maps and data sources.
Joined into tests/access_matrix.py.

Partnerships: police roles and administrators see all; partner users those their organisation
currently belongs to (the council is a member; the unrelated partner is not, so gets 404).
Create, edit and members: supervisors and administrators. Stakeholder entries: officers,
supervisors and administrators. Data sources: police and administrators see all, partner users
their own organisation's; managed by supervisors, administrators and the owning organisation's lead.
"""

from __future__ import annotations

from typing import Any

from tests.access_matrix import Entry, signed_in_page
from tests.partnerships.factories_partnerships import add_member, make_data_source, make_partnership, make_stakeholder

# Writes to a partnership the council belongs to.
MANAGERS_ONLY = signed_in_page(
    officer=403, analyst=403, dpo=403, partner_member=403, partner_lead=403, unrelated_partner=404
)
MAPPERS_ONLY = signed_in_page(analyst=403, dpo=403, partner_member=403, partner_lead=403, unrelated_partner=404)


def _partnership(world: Any) -> dict[str, Any]:
    return {"pk": make_partnership(members=[world.force, world.partner]).pk}


def _membership(world: Any) -> dict[str, Any]:
    partnership = make_partnership(members=[world.partner])
    return {"pk": add_member(partnership, world.force).pk}


def _stakeholder(world: Any) -> dict[str, Any]:
    return {"pk": make_stakeholder(make_partnership(members=[world.partner])).pk}


def _data_source(world: Any) -> dict[str, Any]:
    return {"pk": make_data_source(world.partner).pk}


ENTRIES: list[Entry] = [
    Entry("partnership-list", signed_in_page()),
    Entry(
        "partnership-create",
        signed_in_page(officer=403, analyst=403, dpo=403, partner_member=403, partner_lead=403, unrelated_partner=403),
    ),
    Entry("partnership-detail", signed_in_page(unrelated_partner=404), kwargs=_partnership),
    Entry("partnership-edit", MANAGERS_ONLY, kwargs=_partnership),
    Entry("partnership-member-add", MANAGERS_ONLY, kwargs=_partnership),
    Entry("partnership-member-end", MANAGERS_ONLY, kwargs=_membership),
    Entry("stakeholder-create", MAPPERS_ONLY, kwargs=_partnership),
    Entry("stakeholder-edit", MAPPERS_ONLY, kwargs=_stakeholder),
    Entry("stakeholder-delete", MAPPERS_ONLY, kwargs=_stakeholder),
    # A POST that removes: the outcome of a refused removal, and the redirect of an allowed one.
    Entry(
        "stakeholder-delete",
        signed_in_page(
            officer=302,
            supervisor=302,
            administrator=302,
            analyst=403,
            dpo=403,
            partner_member=403,
            partner_lead=403,
            unrelated_partner=404,
        ),
        kwargs=_stakeholder,
        method="post",
    ),
    Entry("data-source-list", signed_in_page()),
    # A partner lead adds data sources of their own organisation, so the unrelated lead may too.
    Entry("data-source-create", signed_in_page(officer=403, analyst=403, dpo=403, partner_member=403)),
    Entry(
        "data-source-edit",
        signed_in_page(officer=403, analyst=403, dpo=403, partner_member=403, unrelated_partner=404),
        kwargs=_data_source,
    ),
]
