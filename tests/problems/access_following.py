"""Access matrix entries for the problems app: following a problem. Joined into
tests/access_matrix.py.

Anyone who can see the problem may follow it: the force's officers, supervisors and analysts, and
(the problem being shared with the council, world.partner) the council's member and lead; each is
sent back to the problem page. The unrelated partner and the administrator cannot see it: 404."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page


def _shared_problem(world: Any) -> dict[str, Any]:
    from tests.problems.factories_sharing import canary_problem, share

    return {"pk": share(world, canary_problem(world)).problem_id}


ENTRIES: list[Entry] = [
    Entry(
        "problem-follow",
        signed_in_page(**{**dict.fromkeys(ROLES, REDIRECT), "unrelated_partner": 404, "administrator": 404}),
        kwargs=_shared_problem,
        method="post",
        data={"choice": "follow"},
    ),
]
