"""Access matrix entries for the problems app: decisions. Joined into tests/access_matrix.py.

The problem is owned by the officer persona. Police users of the force see it; partners and the
administrator get 404. Adding to the decision log is for officers and supervisors of the force:
the analyst, who only reads problems, gets 403. For decision-create the problem is shared with the
council (world.partner) for contribution: its member and lead see the problem but the decision log
is written by the lead organisation's users only, so they get 403; the unrelated partner and the
administrator get 404.

decision-confirm (POST) is for the lead of a partner organisation named on a joint decision: the
problem is shared with the council (view only: seeing the problem is enough) and the decision names
it, so the council's lead confirms and is sent back to the problem page; the council's member and
the force's users see it but may not confirm (403); the unrelated partner and the administrator
cannot see it (404)."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page
from tests.problems.factories import ProblemFactory

OUTSIDERS = ("partner_member", "partner_lead", "unrelated_partner", "administrator")


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


def _problem_shared_for_contribution(world: Any) -> dict[str, Any]:
    from problems.models.sharing import ShareAccess
    from tests.problems.factories_sharing import share

    return {"pk": share(world, access_level=ShareAccess.CONTRIBUTE).problem_id}


def _joint_decision_naming_the_council(world: Any) -> dict[str, Any]:
    from tests.problems.factories_decisions import decision
    from tests.problems.factories_sharing import share

    problem = share(world).problem
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    return {"pk": entry.pk}


ENTRIES: list[Entry] = [
    Entry(
        "decision-create",
        signed_in_page(
            **{
                **dict.fromkeys(ROLES, 404),
                "officer": 200,
                "supervisor": 200,
                "analyst": 403,
                "partner_member": 403,
                "partner_lead": 403,
            }
        ),
        kwargs=_problem_shared_for_contribution,
    ),
    Entry(
        "decision-confirm",
        signed_in_page(
            **{
                **dict.fromkeys(ROLES, 403),
                "partner_lead": REDIRECT,
                "unrelated_partner": 404,
                "administrator": 404,
            }
        ),
        kwargs=_joint_decision_naming_the_council,
        method="post",
        data={"note": "Agreed at the partnership meeting."},
    ),
    Entry(
        "problem-summary",
        signed_in_page(**dict.fromkeys(OUTSIDERS, 404)),
        kwargs=_problem,
    ),
]
