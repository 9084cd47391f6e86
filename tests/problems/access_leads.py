"""Access matrix entries for the problems app: leads (handover, acknowledgement, reassignment and
the team). Joined into tests/access_matrix.py.

The problem's lead is the officer persona. Handing over and changing the team are for the lead and
the force's supervisors (the analyst sees the problem but gets 403); acknowledging is for the
incoming lead only (others who see the problem get 403); reassigning several problems is for
supervisors. Partners, the unrelated partner and administrators get 404 for the problem's URLs."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from problems.models import HandoverKind, ProblemTeamMember
from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page
from tests.accounts.factories import UserFactory
from tests.problems.factories import ProblemFactory

OUTSIDERS = {"partner_member": 404, "partner_lead": 404, "unrelated_partner": 404, "administrator": 404}
LEAD_PAGE = signed_in_page(**OUTSIDERS, analyst=403)
LEAD_POST = signed_in_page(**OUTSIDERS, analyst=403, officer=REDIRECT, supervisor=REDIRECT)
INCOMING_LEAD_POST = signed_in_page(**OUTSIDERS, analyst=403, officer=REDIRECT, supervisor=403)
SUPERVISORS_PAGE = signed_in_page(**{**dict.fromkeys(ROLES, 403), "supervisor": 200})


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


def _team_member(world: Any) -> dict[str, Any]:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    ProblemTeamMember.objects.create(problem=problem, user=colleague, added_by=world.users["officer"])
    return {"pk": problem.pk, "user_pk": colleague.pk}


def _handover_to_officer(world: Any) -> dict[str, Any]:
    """A problem handed over to the officer persona by its previous lead, not yet acknowledged."""
    previous = UserFactory(role=Role.OFFICER, organisation=world.force)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    handover = problem.handovers.create(
        kind=HandoverKind.HANDOVER,
        from_user=previous,
        to_user=world.users["officer"],
        note="Over to you.",
        handover_date=problem.opened_on,
        made_by=previous,
    )
    return {"pk": handover.pk}


ENTRIES: list[Entry] = [
    Entry("problem-handover", LEAD_PAGE, kwargs=_problem),
    Entry("problem-team", LEAD_PAGE, kwargs=_problem),
    Entry("problem-team-remove", LEAD_POST, kwargs=_team_member, method="post"),
    Entry("problem-handover-acknowledge", INCOMING_LEAD_POST, kwargs=_handover_to_officer, method="post"),
    Entry("problem-reassign", SUPERVISORS_PAGE),
]
