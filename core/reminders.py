"""Reminders sent exactly once (DESIGN.md section 3; CONVENTIONS.md, after healthchecks' sendalerts).

The shape:
- a domain sweep (registered here by its app, since core knows no domain app) selects what is due
  with an indexed query and makes one `Reminder` row per (kind, object, due date, recipient); the
  unique key makes a second sweep, or a second scheduler, add nothing;
- the rows still to send are queued after commit, in chunks of at most CHUNK_SIZE ids: one task
  per chunk, never one per row nor one for everything;
- a task claims each row with a conditional UPDATE and sends only if it won the claim, then marks
  it sent together with its in-app notification (one transaction, one notification per row);
- a failed send goes back to `due` with exponential backoff and ends `failed` after MAX_ATTEMPTS;
- a row whose worker died while holding it is claimed again once the claim is CLAIM_TIMEOUT old
  (or at once by the same task, redelivered with the same id);
- queueing never breaks the caller: if the broker is down the rows stay `due` in PostgreSQL and
  `reminders_queue_pending` (scheduled every few minutes) queues them again.

One send is external (the mail server) and cannot share the database's transaction: a worker that
dies after handing over an email and before marking its row sent makes that one email go twice.
The window is the few milliseconds between the two; everything else is exactly once."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.audit import audit_record
from core.emails import absolute_url, email_send
from core.models import Notification, Reminder, ReminderState

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
CLAIM_BATCH = 50
# Longer than the dispatcher's interval (CELERY_BEAT_SCHEDULE "reminders-queue-pending": 10 minutes).
TASK_EXPIRES_SECONDS = 15 * 60
INSERT_BATCH = 2000
# A header on every reminder email, naming its row: mail systems and tests can tell one from another.
REMINDER_HEADER = "X-Common-Ground-Reminder"
INACTIVE_RECIPIENT = "The recipient's account is deactivated."


def max_attempts() -> int:
    return int(getattr(settings, "REMINDER_MAX_ATTEMPTS", 5))


def claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "REMINDER_CLAIM_TIMEOUT_SECONDS", 600)))


def backoff(attempts: int) -> datetime.timedelta:
    """60 s, 120 s, 240 s... after the first, second, third failed attempt."""
    base = int(getattr(settings, "REMINDER_BACKOFF_SECONDS", 60))
    return datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class ReminderSpec:
    """What a sweep wants sent: one row of the ledger."""

    kind: str
    target: models.Model
    due_date: datetime.date
    recipient_id: int
    template: str
    title: str
    link: str
    context: dict[str, Any] = field(default_factory=dict)


# --- Sweeps, registered by the domain apps in AppConfig.ready() ---------------------------------

Sweep = Callable[[datetime.date], Iterable[ReminderSpec]]


@dataclass(frozen=True)
class RegisteredSweep:
    name: str
    func: Sweep
    kinds: tuple[str, ...]


_SWEEPS: dict[str, RegisteredSweep] = {}


def register_sweep(name: str, func: Sweep, *, kinds: Sequence[str]) -> None:
    """Make `func(today)` (which yields ReminderSpecs for the `kinds` it makes) a sweep."""
    _SWEEPS[name] = RegisteredSweep(name=name, func=func, kinds=tuple(kinds))


def registered_sweeps() -> dict[str, RegisteredSweep]:
    return dict(_SWEEPS)


@transaction.atomic
def sweep_run(name: str, *, today: datetime.date) -> int:
    """Run one sweep: make its reminder rows and queue (after commit) every row of its kinds still
    to send. Returns the number of tasks queued."""
    sweep = _SWEEPS[name]
    reminders_create(sweep.func(today))
    return reminders_queue_pending(kinds=sweep.kinds)


# --- Making rows ---------------------------------------------------------------------------------


def _row(spec: ReminderSpec) -> Reminder:
    return Reminder(
        kind=spec.kind,
        target_type=spec.target._meta.label_lower,
        target_id=str(spec.target.pk),
        due_date=spec.due_date,
        recipient_id=spec.recipient_id,
        template=spec.template,
        title=spec.title[:200],
        link=spec.link,
        context=spec.context,
    )


def reminders_create(specs: Iterable[ReminderSpec]) -> None:
    """Insert a row per spec; a row that exists already (same key) is left as it is."""
    batch: list[Reminder] = []
    for spec in specs:
        batch.append(_row(spec))
        if len(batch) >= INSERT_BATCH:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)


# --- Queueing ------------------------------------------------------------------------------------


def pending(*, now: datetime.datetime, kinds: Sequence[str] | None = None) -> Q:
    """Rows to send now: due (and past any backoff), or claimed by a worker that has gone quiet."""
    ready = Q(state=ReminderState.DUE) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    abandoned = Q(state=ReminderState.CLAIMED, claimed_at__lt=now - claim_timeout())
    condition = ready | abandoned
    if kinds is not None:
        condition &= Q(kind__in=kinds)
    return condition


# After a failed publish, this process does not try the broker again for BROKER_PAUSE_SECONDS: a
# refused connection costs seconds (the Redis client retries), and a page must not pay that on
# every request while Redis is down. Nothing is lost: the rows stay due in PostgreSQL.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


def _publish(ids: list[int], countdown: float | None) -> None:
    global _broker_paused_until
    from core.tasks import send_reminders

    if time.monotonic() < _broker_paused_until:
        logger.warning("Broker recently unreachable: %d reminder(s) left for the next dispatch.", len(ids))
        return
    try:
        # retry=False: a page or a sweep must not wait on a broker that is down. The task expires
        # after the next dispatch has queued its rows again, so a long outage of the workers
        # leaves at most two copies in the queue, not one more every ten minutes.
        send_reminders.apply_async(
            args=[ids], countdown=countdown, expires=(countdown or 0) + TASK_EXPIRES_SECONDS, retry=False
        )
    except Exception:  # any broker failure: the rows stay due in PostgreSQL, so log and carry on
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Could not queue %d reminder(s); the next dispatch will queue them again.", len(ids))


def reminders_queue(ids: Sequence[int], *, countdown: float | None = None) -> int:
    """Queue the rows `ids` after the current transaction commits (nothing if it rolls back), in
    chunks of CHUNK_SIZE. Returns the number of tasks."""
    chunks = [list(ids[i : i + CHUNK_SIZE]) for i in range(0, len(ids), CHUNK_SIZE)]
    for chunk in chunks:
        transaction.on_commit(partial(_publish, chunk, countdown))
    return len(chunks)


def reminders_queue_pending(*, kinds: Sequence[str] | None = None) -> int:
    """Queue every row still to send (of `kinds`, or all). Rebuilds the queue from PostgreSQL after
    the broker lost it. Returns the number of tasks."""
    now = timezone.now()
    ids = list(
        Reminder.objects.filter(pending(now=now, kinds=kinds)).order_by("state", "id").values_list("pk", flat=True)
    )
    return reminders_queue(ids)


# --- Sending -------------------------------------------------------------------------------------


def _claimable(*, token: str, now: datetime.datetime) -> Q:
    ready = Q(state=ReminderState.DUE) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    retake = Q(state=ReminderState.CLAIMED) & (Q(claimed_at__lt=now - claim_timeout()) | Q(claim_token=token))
    return ready | retake


def reminders_claim(*, reminder_ids: Sequence[int], token: str, now: datetime.datetime) -> list[Reminder]:
    """Take the rows for this sender: a conditional UPDATE, so of two senders racing for a row
    exactly one wins (PostgreSQL re-checks the condition on the row it locks). Runs in
    autocommit: the claim must be visible to the other workers before any email goes. Returns the
    rows won, with their recipients."""
    Reminder.objects.filter(_claimable(token=token, now=now), pk__in=reminder_ids).update(
        state=ReminderState.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return list(
        Reminder.objects.filter(pk__in=reminder_ids, state=ReminderState.CLAIMED, claim_token=token)
        .select_related("recipient")
        .order_by("pk")
    )


def reminders_send(*, reminder_ids: Sequence[int], token: str | None = None) -> Counter[str]:
    """Send the reminders `reminder_ids` this sender wins, CLAIM_BATCH at a time (a claim is never
    older than one batch's sending, and a sender that dies leaves at most one batch claimed).
    Returns how many were "sent", "skipped" (someone else has it, or it is done), "retry"
    (failed, to be tried again after a pause) or "failed" (given up)."""
    token = token or uuid.uuid4().hex
    outcomes: Counter[str] = Counter()
    for start in range(0, len(reminder_ids), CLAIM_BATCH):
        batch = reminder_ids[start : start + CLAIM_BATCH]
        won = reminders_claim(reminder_ids=batch, token=token, now=timezone.now())
        if len(won) < len(batch):
            outcomes["skipped"] += len(batch) - len(won)
        for reminder in won:
            outcomes[_send_claimed(reminder, token)] += 1
    return outcomes


def reminder_send(*, reminder_id: int, token: str | None = None) -> str:
    """Send one reminder if this sender wins its claim; its outcome (see reminders_send)."""
    (outcome,) = reminders_send(reminder_ids=[reminder_id], token=token).elements()
    return outcome


def reminder_message_id(reminder_pk: int) -> str:
    """The same Message-ID for every send of one reminder. The one duplicate a killed worker can
    cause (handed to the mail server, not yet marked sent) then carries the Message-ID of the
    first copy, which mail systems and people can recognise as the same message."""
    host = urlsplit(settings.SITE_URL).hostname or "common-ground.invalid"
    return f"<reminder-{reminder_pk}@{host}>"


def _send_claimed(reminder: Reminder, token: str) -> str:
    recipient = reminder.recipient
    if not recipient.is_active:
        return _give_up(reminder, token, INACTIVE_RECIPIENT)
    try:
        email_send(
            to=recipient.email,
            name=reminder.template,
            context={
                **reminder.context,
                "recipient_name": recipient.get_short_name(),
                "link": absolute_url(reminder.link),
                "title": reminder.title,
            },
            headers={REMINDER_HEADER: str(reminder.pk), "Message-ID": reminder_message_id(reminder.pk)},
        )
    except Exception as error:  # a mail server's or a template's failure: retried, then failed
        return _after_failure(reminder, token, f"{type(error).__name__}: {error}")
    return _mark_sent(reminder, token)


@transaction.atomic
def _mark_sent(reminder: Reminder, token: str) -> str:
    done = Reminder.objects.filter(pk=reminder.pk, state=ReminderState.CLAIMED, claim_token=token).update(
        state=ReminderState.SENT, sent_at=timezone.now(), last_error=""
    )
    if done != 1:
        # Our claim was taken over (we were slower than the claim timeout): the other sender owns it.
        return "skipped"
    # A notification made together with its reminder (problems.services.notifications shows it
    # at once, before the email goes) is kept: one per reminder, the unique key says so.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=reminder.recipient_id,
                kind=reminder.kind,
                title=reminder.title,
                link=reminder.link,
                target_type=reminder.target_type,
                target_id=reminder.target_id,
                reminder=reminder,
            )
        ],
        ignore_conflicts=True,
    )
    audit_record(
        actor=None,
        verb="core.reminder.sent",
        target=reminder,
        detail={
            "kind": reminder.kind,
            "about": f"{reminder.target_type}:{reminder.target_id}",
            "recipients": [reminder.recipient.email],
        },
    )
    return "sent"


@transaction.atomic
def _give_up(reminder: Reminder, token: str, error: str) -> str:
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.CLAIMED, claim_token=token).update(
        state=ReminderState.FAILED, last_error=error[:2000]
    )
    audit_record(
        actor=None,
        verb="core.reminder.failed",
        target=reminder,
        detail={"kind": reminder.kind, "attempts": reminder.attempts, "error": error[:500]},
    )
    return "failed"


@transaction.atomic
def _after_failure(reminder: Reminder, token: str, error: str) -> str:
    """Back to due after a pause that doubles each time; failed for good after MAX_ATTEMPTS."""
    if reminder.attempts >= max_attempts():
        return _give_up(reminder, token, error)
    delay = backoff(reminder.attempts)
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.CLAIMED, claim_token=token).update(
        state=ReminderState.DUE, last_error=error[:2000], not_before=timezone.now() + delay
    )
    reminders_queue([reminder.pk], countdown=delay.total_seconds())
    return "retry"
