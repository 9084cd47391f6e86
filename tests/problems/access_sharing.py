"""Access matrix entries for the problems app: sharing. Joined into tests/access_matrix.py.

Sharing and revoking are for the problem's owner (the officer persona) and the force's
supervisors; the analyst sees the problem but may not share it (403). For revoke, the share is
with the council (world.partner): its users see the problem, so they get 403; the unrelated
partner and the administrator get 404. "Shared with us" is a page for everyone signed in (police
users get an explanation instead of a list).

Every problem built here carries a unique canary string in its title (`canary_problem` of
tests/problems/factories_sharing.py):
tests/problems/test_sharing_views.py asserts that no response to a user without access to a
problem contains its canary."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import ROLES, Entry, signed_in_page


def canary_problem(world: Any, **fields: Any) -> Any:
    from tests.problems.factories_sharing import canary_problem as build

    return build(world, **fields)


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": canary_problem(world).pk}


def _share(world: Any) -> dict[str, Any]:
    from tests.problems.factories_sharing import share

    return {"pk": share(world, canary_problem(world)).pk}


OWNER_ONLY = signed_in_page(**{**dict.fromkeys(ROLES, 404), "officer": 200, "supervisor": 200, "analyst": 403})

ENTRIES: list[Entry] = [
    Entry("problem-share", OWNER_ONLY, kwargs=_problem),
    Entry("share-revoke", {**OWNER_ONLY, "partner_member": 403, "partner_lead": 403}, kwargs=_share),
    Entry("shared-with-us", signed_in_page()),
]
