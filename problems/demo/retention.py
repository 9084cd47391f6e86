"""Demo data for retention: one closed problem whose retention review is due, so that `make run`
shows it on the data protection officer's and the supervisor's pages. The problem is worked through
the services like every demo problem (problems.demo.problems) and closed today; here its closing is
moved back to when it would really have closed, and its review date follows from that as closing
would have set it (problems.services.retention). Idempotent: a problem already due, reviewed or
disposed of is left alone."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from problems.models import Problem, Stage
from problems.services.retention import retention_date_for

RETENTION_DUE_EXAMPLE = "Graffiti tags on the Old Market underpass"
# Closed this many days after it was opened.
DAYS_OPEN = 120


def seed(*, stdout: Any) -> None:
    problem = (
        Problem.objects.filter(
            title=RETENTION_DUE_EXAMPLE,
            stage=Stage.CLOSED,
            disposed_at__isnull=True,
            retention_reviews__isnull=True,
            retention_review_date__gt=timezone.localdate(),
        )
        .select_related("category")
        .first()
    )
    if problem is None:
        return
    closed_on = problem.opened_on + datetime.timedelta(days=DAYS_OPEN)
    closed_at = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(16, 0)))
    due = retention_date_for(problem, closed_on)
    Problem.objects.filter(pk=problem.pk).update(closed_at=closed_at, retention_review_date=due)
    stdout.write(f"Demo retention: {problem.reference} closed on {closed_on}, its retention review due on {due}.\n")
