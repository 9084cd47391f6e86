"""Access matrix entries for the crime hotspot page and its GeoJSON. Joined into
tests/access_matrix.py. Imported crime is read by every police user; partner users and the
administrator are outsiders to it (404), as on the unit costs page."""

from __future__ import annotations

from tests.access_matrix import Entry, signed_in_page

OUTSIDERS_404 = dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404)
POLICE_READ = signed_in_page(**OUTSIDERS_404)

ENTRIES: list[Entry] = [
    Entry("crime-hotspots", POLICE_READ),
    Entry("crime-hotspots-data", POLICE_READ),
]
