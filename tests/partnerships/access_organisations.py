"""Access matrix entries for the partnerships app: organisations. Joined into tests/access_matrix.py.

Police roles and administrators see every organisation; partner users their own and those sharing
a current partnership with it (the unrelated partner shares none). Supervisors and administrators
edit any profile, a partner lead their own."""

from __future__ import annotations

from tests.access_matrix import Entry, signed_in_page

ENTRIES: list[Entry] = [
    Entry("organisation-list", signed_in_page()),
    Entry(
        "organisation-detail",
        signed_in_page(unrelated_partner=404),
        kwargs=lambda world: {"pk": world.partner.pk},
    ),
    Entry(
        "organisation-edit",
        signed_in_page(officer=403, analyst=403, dpo=403, partner_member=403, unrelated_partner=404),
        kwargs=lambda world: {"pk": world.partner.pk},
    ),
]
