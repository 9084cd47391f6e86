"""Access matrix entries for the problems app: decisions. Joined into tests/access_matrix.py.

The problem is owned by the officer persona. Police users of the force see it; partners and the
administrator get 404. Adding to the decision log is for officers and supervisors of the force:
the analyst, who only reads problems, gets 403."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import ROLES, Entry, signed_in_page
from tests.problems.factories import ProblemFactory

OUTSIDERS = ("partner_member", "partner_lead", "unrelated_partner", "administrator")


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


ENTRIES: list[Entry] = [
    Entry(
        "decision-create",
        signed_in_page(**{**dict.fromkeys(ROLES, 404), "officer": 200, "supervisor": 200, "analyst": 403}),
        kwargs=_problem,
    ),
    Entry(
        "problem-summary",
        signed_in_page(**dict.fromkeys(OUTSIDERS, 404)),
        kwargs=_problem,
    ),
]
