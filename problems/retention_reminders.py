"""The monthly retention sweep (registered with core.reminders from ProblemsConfig.ready; beat runs
it on the first of each month): one message, by email and under the bell, to each active
supervisor and data protection officer of every force with closed problems due for a retention
review, listing them by reference (no case text). The reminder's key is the force and the first
day of the month, so the sweep run twice in a month (or by two schedulers) tells nobody twice."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from accounts.models import User
from core.dates import long_date
from core.reminders import ReminderSpec, register_sweep
from partnerships.models import Organisation
from problems.selectors.retention import RETENTION_ROLES, retention_due_by_organisation

RETENTION_KIND = "problems.retention_due"
# The email lists this many references; the retention page lists them all.
REFERENCES_LISTED = 50


def month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def retention_reviewers_by_organisation(organisation_ids: list[int]) -> dict[int, list[int]]:
    """The active supervisors and data protection officers of each force, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = (
        User.objects.filter(organisation_id__in=organisation_ids, role__in=RETENTION_ROLES, is_active=True)
        .order_by("pk")
        .values_list("organisation_id", "pk")
    )
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


def retention_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    """Two queries, whatever the number of forces, problems and reviewers."""
    due = retention_due_by_organisation(today=today)
    if not due:
        return
    reviewers = retention_reviewers_by_organisation(sorted(due))
    month = month_start(today)
    link = reverse("retention-list")
    for organisation_id, references in sorted(due.items()):
        count = len(references)
        title = f"Retention reviews due: {count} closed problem{'s' if count != 1 else ''}"
        for user_id in reviewers.get(organisation_id, []):
            yield ReminderSpec(
                kind=RETENTION_KIND,
                target=Organisation(pk=organisation_id),
                due_date=month,
                recipient_id=user_id,
                template="retention_due",
                title=title,
                link=link,
                context={
                    "count": count,
                    "references": references[:REFERENCES_LISTED],
                    "more": max(count - REFERENCES_LISTED, 0),
                    "month": f"{month:%B %Y}",
                    "as_of": long_date(today),
                },
            )


def register() -> None:
    register_sweep("problems.retention_reviews", retention_reminders, kinds=[RETENTION_KIND])
