"""The breach log's reminder sweep, registered with core.reminders (DataProtectionConfig.ready):
an open breach not yet reported to the ICO reminds its force's data protection officers 24 hours
and 4 hours before its 72-hour deadline, and once when the deadline has passed.

Each reminder is one row of core's ledger, whose unique key (kind, breach, deadline date,
recipient) makes it sent once whatever the number of sweeps: beat runs the sweep every quarter of
an hour, so a threshold is noticed within 15 minutes of passing. A sweep that finds a breach past
two thresholds at once (recorded late) sends only the most urgent. A breach whose finding time is
corrected has a new deadline, and is reminded again against it. The emails name the breach by its
reference and deadline only, never what happened."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.reminders import ReminderSpec, register_sweep
from dataprotection.models import AWAITING_DECISION, REPORTING_WINDOW, Breach

SWEEP_NAME = "dataprotection.breach_deadlines"
DUE_IN_24_HOURS = "dataprotection.breach_due_24h"
DUE_IN_4_HOURS = "dataprotection.breach_due_4h"
OVERDUE = "dataprotection.breach_overdue"
KINDS = (DUE_IN_24_HOURS, DUE_IN_4_HOURS, OVERDUE)
# (kind, how long before the deadline), most urgent first.
THRESHOLDS: tuple[tuple[str, datetime.timedelta], ...] = (
    (OVERDUE, datetime.timedelta(0)),
    (DUE_IN_4_HOURS, datetime.timedelta(hours=4)),
    (DUE_IN_24_HOURS, datetime.timedelta(hours=24)),
)
TEMPLATE = "breach_deadline_reminder"


def dpos_by_organisation(organisation_ids: set[int]) -> dict[int, list[int]]:
    """The active data protection officers of each force, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(
        organisation_id__in=organisation_ids, role=Role.DATA_PROTECTION_OFFICER, is_active=True
    ).values_list("organisation_id", "pk")
    for organisation_id, user_id in rows.order_by("pk"):
        found[organisation_id].append(user_id)
    return found


def _threshold(deadline: datetime.datetime, now: datetime.datetime) -> str | None:
    for kind, before in THRESHOLDS:
        if now >= deadline - before:
            return kind
    return None


def _title(kind: str, reference: str, deadline: datetime.datetime) -> str:
    when = f"{timezone.localtime(deadline):%H:%M on %d %B %Y}"
    if kind == OVERDUE:
        return f"Breach {reference}: the report to the ICO was due at {when}"
    hours = 4 if kind == DUE_IN_4_HOURS else 24
    return f"Breach {reference}: report to the ICO due within {hours} hours (by {when})"


def breach_deadline_reminders(*, now: datetime.datetime) -> Iterator[ReminderSpec]:
    """The reminders due at `now`: open breaches found at least 48 hours ago (the status and
    found_at index), each at its most urgent threshold passed, to each of its force's DPOs."""
    earliest_threshold = REPORTING_WINDOW - THRESHOLDS[-1][1]
    breaches = list(
        Breach.objects.filter(
            status__in=AWAITING_DECISION, reported_to_ico_at__isnull=True, found_at__lte=now - earliest_threshold
        )
        .values_list("pk", "organisation_id", "found_at")
        .order_by("found_at", "pk")
    )
    if not breaches:
        return
    dpos = dpos_by_organisation({organisation_id for _, organisation_id, _ in breaches})
    for pk, organisation_id, found_at in breaches:
        deadline = found_at + REPORTING_WINDOW
        kind = _threshold(deadline, now)
        if kind is None:  # never: the query asks for breaches past the first threshold
            continue
        reference = Breach(pk=pk).reference
        for user_id in dpos.get(organisation_id, []):
            yield ReminderSpec(
                kind=kind,
                target=Breach(pk=pk),
                due_date=timezone.localtime(deadline).date(),
                recipient_id=user_id,
                template=TEMPLATE,
                title=_title(kind, reference, deadline),
                link=reverse("breach-detail", kwargs={"pk": pk}),
                context={
                    "reference": reference,
                    "deadline": f"{timezone.localtime(deadline):%H:%M on %d %B %Y}",
                    "overdue": kind == OVERDUE,
                },
            )


def breach_deadline_sweep(today: datetime.date) -> Iterator[ReminderSpec]:
    """The registered sweep. Its thresholds are times, not dates, so it reads the clock itself
    (`today` is the day of the run, which the deadline's hour needs more than)."""
    return breach_deadline_reminders(now=timezone.now())


def register() -> None:
    register_sweep(SWEEP_NAME, breach_deadline_sweep, kinds=KINDS)
