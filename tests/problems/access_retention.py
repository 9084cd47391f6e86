"""Access matrix entries for the problems app: retention reviews of closed problems. Joined into
tests/access_matrix.py.

Retention is reviewed by the owning force's supervisors and data protection officers. Others get
403 on the list; on a problem's review pages, 403 if they can see the problem (the force's officer
and analyst) and 404 if they cannot (partners it is not shared with, the administrator)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from problems.models import Stage
from tests.access_matrix import ROLES, Entry, signed_in_page
from tests.problems.factories import ProblemFactory

REVIEWERS = {"supervisor": 200, "dpo": 200}
LIST_PAGE = signed_in_page(**{**dict.fromkeys(ROLES, 403), **REVIEWERS})
PROBLEM_PAGE = signed_in_page(
    **{
        **dict.fromkeys(ROLES, 404),
        "officer": 403,
        "analyst": 403,
        **REVIEWERS,
    }
)


def _closed_problem_due(world: Any) -> dict[str, Any]:
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        stage=Stage.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=7 * 365),
        retention_review_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    return {"pk": problem.pk}


ENTRIES: list[Entry] = [
    Entry("retention-list", LIST_PAGE),
    Entry("retention-review", PROBLEM_PAGE, kwargs=_closed_problem_due),
    Entry("retention-dispose", PROBLEM_PAGE, kwargs=_closed_problem_due),
]
