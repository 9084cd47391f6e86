"""Access matrix entries for the data protection app. Joined into tests/access_matrix.py.

Subject-access search and the breach log are the force's data protection officer's alone; the
audit viewer is also the supervisors'. Everyone else signed in gets 404: the pages do not exist
for them (DESIGN.md section 4)."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page
from tests.dataprotection.factories import make_action, make_breach

DPO_ONLY = signed_in_page(**{**dict.fromkeys(ROLES, 404), "dpo": 200})
DPO_POSTS = signed_in_page(**{**dict.fromkeys(ROLES, 404), "dpo": REDIRECT})
AUDIT_READERS = signed_in_page(**{**dict.fromkeys(ROLES, 404), "supervisor": 200, "dpo": 200})


def _breach(world: Any) -> dict[str, Any]:
    return {"pk": make_breach(world.force, recorded_by=world.users["dpo"]).pk}


def _action(world: Any) -> dict[str, Any]:
    breach = make_breach(world.force, recorded_by=world.users["dpo"])
    return {"pk": breach.pk, "action_pk": make_action(breach).pk}


ENTRIES: list[Entry] = [
    Entry("subject-access", DPO_ONLY),
    Entry("subject-access-export", DPO_ONLY, data={"q": "Smith"}),
    Entry("audit-log", AUDIT_READERS),
    Entry("audit-log-export", AUDIT_READERS),
    Entry("breach-list", DPO_ONLY),
    Entry("breach-create", DPO_ONLY),
    Entry("breach-detail", DPO_ONLY, kwargs=_breach),
    Entry("breach-edit", DPO_ONLY, kwargs=_breach),
    Entry("breach-action-add", DPO_ONLY, kwargs=_breach),
    Entry("breach-action-done", DPO_POSTS, kwargs=_action, method="post"),
]
