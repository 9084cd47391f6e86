"""Access matrix entry for a partnership's health over time (issue 21): police users and the
partnership's member organisations' users see it; the unrelated partner (not a member), the
administrator and the data protection officer get 404."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import Entry, signed_in_page


def _partnership(world: Any) -> dict[str, Any]:
    from tests.problems.factories_meetings import world_partnership

    return {"pk": world_partnership(world).pk}


ENTRIES: list[Entry] = [
    Entry(
        "partnership-health",
        signed_in_page(unrelated_partner=404, administrator=404, dpo=404),
        kwargs=_partnership,
    ),
]
