"""Access matrix entries for the crime hotspot page, the before/after design map and their GeoJSON. Joined into
tests/access_matrix.py. Imported crime is read by every police user; partner users and the
administrator are outsiders to it (404), as on the unit costs page."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import Entry, signed_in_page

OUTSIDERS_404 = dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404)
POLICE_READ = signed_in_page(**OUTSIDERS_404)
# As the design's own page (tests/evaluation/access_crime.py): the problem is shared with the
# council (view), whose users get 403; the unrelated partner and the administrator 404.
ASSESSORS = signed_in_page(**{**OUTSIDERS_404, "partner_member": 403, "partner_lead": 403})


def _shared_problem(world: Any) -> dict[str, Any]:
    from tests.problems.factories_sharing import canary_problem, share

    return {"pk": share(world, canary_problem(world)).problem_id}


ENTRIES: list[Entry] = [
    Entry("crime-hotspots", POLICE_READ),
    Entry("crime-hotspots-data", POLICE_READ),
    Entry("assessment-design-map", ASSESSORS, kwargs=_shared_problem),
    Entry("assessment-design-map-data", ASSESSORS, kwargs=_shared_problem),
]
