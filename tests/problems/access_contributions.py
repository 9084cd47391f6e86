"""Access matrix entries for the problems app: contributions (updates, attachments, completing an
action assigned to your organisation). Joined into tests/access_matrix.py.

The problem is owned by the officer persona. Contributing is for officers and supervisors of the
force (and, once shared with contribute access, the partner): the analyst, who only reads, gets
403. Partners, the unrelated partner and the administrator get 404: the problem is not shared with
them. Downloading an attachment is for everyone who may see the problem."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page
from tests.problems.factories import ProblemFactory
from tests.problems.factories_contributions import attachment
from tests.problems.factories_sara import ResponseActionFactory

OUTSIDERS = ("partner_member", "partner_lead", "unrelated_partner", "administrator")
CONTRIBUTE_PAGE = signed_in_page(**{**dict.fromkeys(ROLES, 404), "officer": 200, "supervisor": 200, "analyst": 403})
# Completing redirects to the problem page for each contributor of the responsible organisation.
CONTRIBUTE_POST = signed_in_page(
    **{**dict.fromkeys(ROLES, 404), "officer": REDIRECT, "supervisor": REDIRECT, "analyst": 403}
)


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


def _attachment(world: Any) -> dict[str, Any]:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    return {"pk": attachment(problem=problem, actor=world.users["officer"]).pk}


def _force_action(world: Any) -> dict[str, Any]:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    return {"pk": ResponseActionFactory(problem=problem, responsible_organisation=world.force).pk}


ENTRIES: list[Entry] = [
    Entry("problem-update-create", CONTRIBUTE_PAGE, kwargs=_problem),
    Entry("problem-attachment-create", CONTRIBUTE_PAGE, kwargs=_problem),
    Entry("problem-attachment-download", signed_in_page(**dict.fromkeys(OUTSIDERS, 404)), kwargs=_attachment),
    Entry("action-complete", CONTRIBUTE_POST, kwargs=_force_action, method="post"),
]
