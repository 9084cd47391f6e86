"""Access matrix entries for the problems app: the problem list, logging and editing a problem, and
its reviews. Joined into tests/access_matrix.py.

The owner is the officer persona; the supervisor sees and changes all of the force's problems; the
analyst sees them but can neither change nor contribute (403); partners and the administrator see
no problem (404 on a problem's pages, an empty list). Only officers and supervisors log problems."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import ROLES, Entry, signed_in_page
from tests.problems.factories import ProblemFactory

OUTSIDERS_404 = dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404)
OWNER_AND_SUPERVISOR = signed_in_page(**OUTSIDERS_404, analyst=403)


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


ENTRIES: list[Entry] = [
    # Everyone signed in may open the list; each sees only the problems they may see.
    Entry("problem-list", signed_in_page()),
    Entry("problem-create", signed_in_page(**{**dict.fromkeys(ROLES, 403), "officer": 200, "supervisor": 200})),
    Entry("problem-edit", OWNER_AND_SUPERVISOR, kwargs=_problem),
    Entry("problem-review", OWNER_AND_SUPERVISOR, kwargs=_problem),
]
