"""Reminders sent exactly once (DESIGN.md section 3; CONVENTIONS.md, after healthchecks' sendalerts).

The shape:
- a domain sweep (registered here by its app, since core knows no domain app) selects what is due
  with an indexed query and makes one `Reminder` row per (kind, object, due date, recipient); the
  unique key makes a second sweep, or a second scheduler, add nothing;
- the rows still to send are queued after commit, in chunks of at most CHUNK_SIZE ids: one task
  per chunk, never one per row nor one for everything;
- a task claims each row on its own, just before sending it, with a conditional UPDATE, holds a
  PostgreSQL advisory lock on it while the mail server takes it (so a slow mail server never lets
  another worker take it over), then marks it sent together with its in-app notification (one
  transaction, one notification per row): see "Sending" below for the guarantees;
- a failed send goes back to `due` with exponential backoff and ends `failed` after MAX_ATTEMPTS;
- a row whose sender died (its lock is gone) is claimed again once the claim is CLAIM_TIMEOUT old;
- queueing never breaks the caller: if the broker is down the rows stay `due` in PostgreSQL and
  `reminders_queue_pending` (scheduled every few minutes, and run when a worker starts) queues
  them again;
- the morning sweeps are made from the database, not from beat's messages: a dispatcher ticking
  every few minutes runs each sweep whose time has come and which has no `SweepRun` row for that
  day yet (sweeps_run_due), so a sweep whose message was lost while Redis was down is made up by
  the first tick after it returns.

"""

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
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.audit import audit_record
from core.emails import absolute_url, email_send
from core.models import Notification, Reminder, ReminderState

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
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
def sweep_run(name: str, *, today: datetime.date, outcome: QueueOutcome | None = None) -> int:
    """Run one sweep: make its reminder rows and queue (after commit) every row of its kinds still
    to send. Returns the number of send tasks asked for; `outcome`, once the transaction has
    committed, says how many the broker really took."""
    sweep = _SWEEPS[name]
    reminders_create(sweep.func(today))
    return reminders_queue_pending(kinds=sweep.kinds, outcome=outcome)


# --- The morning sweeps, made from the database ----------------------------------------------------
#
# Beat does not send each sweep at its time: a message beat fails to send (Redis down at 07:00) is
# never sent again, and that day's reminders were never made. Instead beat sends a tick every few
# minutes (core.tasks.run_due_reminder_sweeps, also run when a worker starts), and the tick runs
# every sweep whose time (settings.REMINDER_SWEEP_SCHEDULE) has come and which has no SweepRun row
# for that day. A lost tick only delays the sweep to the next one. Only the latest day of each
# sweep is made up: after an outage of several days, the overdue reminders of that day cover
# what the earlier days would have said.


def sweep_day(
    *, at: str, weekday: int | None = None, day_of_month: int | None = None, now: datetime.datetime
) -> datetime.date:
    """The day of the latest time a sweep scheduled at `at` ("HH:MM", local time; on `weekday`
    only, Monday being 0, or on `day_of_month` only (1 to 28), if given) was due, at or before `now`."""
    local = timezone.localtime(now)
    hour, minute = (int(part) for part in at.split(":"))
    day = local.date()
    if local.time() < datetime.time(hour, minute):
        day -= datetime.timedelta(days=1)
    if weekday is not None:
        day -= datetime.timedelta(days=(day.weekday() - weekday) % 7)
    if day_of_month is not None:
        if day.day < day_of_month:
            day = day.replace(day=1) - datetime.timedelta(days=1)
        day = day.replace(day=day_of_month)
    return day


def sweeps_run_due(*, now: datetime.datetime | None = None) -> list[tuple[str, datetime.date]]:
    """Run each scheduled sweep whose latest due day has no SweepRun yet. Returns what it ran."""
    from core.models import SweepRun

    now = now or timezone.now()
    ran = []
    for name, when in settings.REMINDER_SWEEP_SCHEDULE.items():
        if name not in _SWEEPS:
            logger.error("The scheduled reminder sweep %r is not registered.", name)
            continue
        day = sweep_day(at=when["at"], weekday=when.get("weekday"), day_of_month=when.get("day_of_month"), now=now)
        if SweepRun.objects.filter(sweep=name, day=day).exists():
            continue
        try:
            if _sweep_run_once(name, day):
                ran.append((name, day))
        except Exception:  # one failing sweep must not stop the others; the next tick tries again
            logger.exception("Reminder sweep %s for %s failed; the next tick tries again.", name, day)
    return ran


@transaction.atomic
def _sweep_run_once(name: str, day: datetime.date) -> bool:
    from core.models import SweepRun

    # The claim: of two dispatchers inserting the same (sweep, day), the second waits on the
    # unique key until the first commits, then finds the row and runs nothing. The row and the
    # sweep's reminders commit together; a failed sweep leaves no row, to be tried again.
    _, created = SweepRun.objects.get_or_create(sweep=name, day=day)
    if created:
        sweep_run(name, today=day)
    return created


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


@dataclass
class QueueOutcome:
    """What became of the send tasks asked for, filled in after commit: `queued` ones the broker
    took, `not_queued` ones it did not (their rows stay due, and are queued again later)."""

    queued: int = 0
    not_queued: int = 0


def _publish(ids: list[int], countdown: float | None, outcome: QueueOutcome | None = None) -> None:
    global _broker_paused_until
    from core.tasks import send_reminders

    outcome = outcome if outcome is not None else QueueOutcome()
    if time.monotonic() < _broker_paused_until:
        logger.warning("Broker recently unreachable: %d reminder(s) left for the next dispatch.", len(ids))
        outcome.not_queued += 1
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
        outcome.not_queued += 1
        logger.warning("Could not queue %d reminder(s); the next dispatch will queue them again.", len(ids))
    else:
        outcome.queued += 1


def reminders_queue(ids: Sequence[int], *, countdown: float | None = None, outcome: QueueOutcome | None = None) -> int:
    """Queue the rows `ids` after the current transaction commits (nothing if it rolls back), in
    chunks of CHUNK_SIZE. Returns the number of tasks asked for (`outcome` says, after commit,
    how many the broker took)."""
    chunks = [list(ids[i : i + CHUNK_SIZE]) for i in range(0, len(ids), CHUNK_SIZE)]
    for chunk in chunks:
        transaction.on_commit(partial(_publish, chunk, countdown, outcome))
    return len(chunks)


def reminders_queue_pending(*, kinds: Sequence[str] | None = None, outcome: QueueOutcome | None = None) -> int:
    """Queue every row still to send (of `kinds`, or all). Rebuilds the queue from PostgreSQL after
    the broker lost it. Returns the number of tasks asked for."""
    now = timezone.now()
    ids = list(
        Reminder.objects.filter(pending(now=now, kinds=kinds)).order_by("state", "id").values_list("pk", flat=True)
    )
    return reminders_queue(ids, outcome=outcome)


# --- Sending -------------------------------------------------------------------------------------
#
# Exactly once, whatever the sending speed. Each reminder is claimed on its own, just before its
# email is handed to the mail server: a conditional UPDATE moves it from `due` to `claimed` ("being
# sent") with this sender's token, and only the sender whose UPDATE matched sends. It is marked
# `sent` (with its notification and audit event) as soon as the mail server has taken it.
#
# While it sends, the sender holds a PostgreSQL session advisory lock on the reminder (LOCK_CLASS,
# the reminder's id). The lock, not the clock, says whether the sender is alive: PostgreSQL keeps
# it for as long as the sender's connection lives, however slow the mail server is, and drops it
# the moment the sender's process dies. A `claimed` row is taken over only when nobody holds its
# lock AND its claim is older than the claim timeout: a slow send can never be taken over (the
# lock is held), and a sender that lost its database connection mid-send (losing its lock with it)
# has until its claim is a claim timeout old to reconnect and record what it sent (_record_sent).
# Only a connection cut during a send that also outlasts the claim timeout can still make one
# email go twice. Without PostgreSQL (the embedded SQLite default, one worker) the claim timeout
# alone decides, as before.
#
# The ambiguous case, a sender killed after handing the email over and before recording it (a
# window of milliseconds: the mail server's reply and one UPDATE): the row stays `claimed` and is
# sent again once its claim is older than the timeout. This is AT-LEAST-ONCE, chosen on purpose:
# a review or an overdue action nobody hears about is worse than one email twice, and the second
# copy carries the same Message-ID (reminder_message_id), which mail clients and people can
# recognise as the same message. Everywhere else (slow sending, two workers, a worker killed
# while the email was still being sent, Redis flushed) each reminder is emailed exactly once.

# The advisory-lock class of reminder sends (the second key is the reminder's id): "RM" in ASCII.
LOCK_CLASS = 0x524D
# Emails this process handed to the mail server but could not record as sent (the database stayed
# away for longer than _record_sent tries): the next task this process runs records them first,
# never sends them again. Reminder id -> the claim token it was sent under.
_SENT_NOT_RECORDED: dict[int, str] = {}


def _locks_available() -> bool:
    return connection.vendor == "postgresql"


def _lock(reminder_pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, reminder_pk])
        return bool(cursor.fetchone()[0])


def _unlock(reminder_pk: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, reminder_pk])
    except DatabaseError:
        # The connection is gone, and PostgreSQL dropped the lock with it.
        logger.warning("Could not release the send lock of reminder %s: its connection is gone.", reminder_pk)


def _claimable(*, now: datetime.datetime) -> Q:
    ready = Q(state=ReminderState.DUE) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    # Claimed, by a sender that no longer holds the lock (checked by the caller) or, without
    # PostgreSQL, that has been quiet for longer than the claim timeout.
    abandoned = Q(state=ReminderState.CLAIMED, claimed_at__lt=now - claim_timeout())
    return ready | abandoned


def reminder_claim(*, reminder_id: int, token: str, now: datetime.datetime) -> Reminder | None:
    """Take one reminder for this sender: a conditional UPDATE, so of two senders racing for it
    exactly one wins (PostgreSQL re-checks the condition on the row it locks). Runs in autocommit:
    the claim must be visible to the other workers before the email goes. On PostgreSQL the
    caller then holds the reminder's send lock until reminder_release. Returns the reminder with
    its recipient, or None when it is not this sender's to send."""
    locked = _locks_available()
    if locked and not _lock(reminder_id):
        return None  # another sender is sending it right now
    try:
        won = Reminder.objects.filter(_claimable(now=now), pk=reminder_id).update(
            state=ReminderState.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
        reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id) if won else None
    except BaseException:
        if locked:
            _unlock(reminder_id)
        raise
    if reminder is None and locked:
        _unlock(reminder_id)
    return reminder


def reminder_release(reminder_id: int) -> None:
    if _locks_available():
        _unlock(reminder_id)


def reminders_send(*, reminder_ids: Sequence[int], token: str | None = None) -> Counter[str]:
    """Send the reminders `reminder_ids` this sender wins, each claimed on its own just before it
    is sent (a sender that dies leaves at most one reminder claimed; the others stay due).
    Returns how many were "sent", "skipped" (someone else has it, or it is done), "retry"
    (failed, to be tried again after a pause) or "failed" (given up). Raises the database's error
    when the database goes away (the task retries)."""
    token = token or uuid.uuid4().hex
    _record_unrecorded()
    outcomes: Counter[str] = Counter()
    for reminder_id in reminder_ids:
        outcomes[_send_one(reminder_id, token)] += 1
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


def _send_one(reminder_id: int, token: str) -> str:
    reminder = reminder_claim(reminder_id=reminder_id, token=token, now=timezone.now())
    if reminder is None:
        return "skipped"
    try:
        return _send_claimed(reminder, token)
    finally:
        reminder_release(reminder_id)


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
    return _record_sent(reminder, token)


def _record_sent(reminder: Reminder, token: str) -> str:
    """Mark a reminder whose email went as sent. If the database has gone away (a connection
    cut, a failover), keep trying on a new connection for half the claim timeout: nobody takes
    the claim over before the timeout, so recording it in that time sends nothing twice. After
    that the process remembers it (the next task it runs records it first) and the task fails."""
    deadline = time.monotonic() + claim_timeout().total_seconds() / 2
    pause = 0.1
    while True:
        try:
            return _mark_sent(reminder, token)
        except DatabaseError:
            if connection.in_atomic_block or time.monotonic() >= deadline:
                _SENT_NOT_RECORDED[reminder.pk] = token
                raise
            logger.warning("Reminder %s was emailed; recording it failed, trying again.", reminder.pk, exc_info=True)
            connection.close()
            time.sleep(pause)  # a pause before reconnecting, not a wait on another process
            pause = min(pause * 2, 2.0)


def _record_unrecorded() -> None:
    """Record the emails this process sent but could not record (the database was away)."""
    for reminder_id, token in list(_SENT_NOT_RECORDED.items()):
        reminder = Reminder.objects.select_related("recipient").filter(pk=reminder_id).first()
        if reminder is not None:
            _mark_sent(reminder, token)
        del _SENT_NOT_RECORDED[reminder_id]


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
