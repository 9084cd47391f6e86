"""The shared kernel's data: the audit log and the worker heartbeat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One thing that happened, who did it and to what (DESIGN.md section 5).

    Append-only: on PostgreSQL a trigger (migration 0002) makes UPDATE and DELETE raise. Actors are
    protected from deletion for the same reason: deactivate a user instead of deleting them.

    Tamper-evident: `seq`, `prev_hash`, `content_hash` and `hash` chain every event to the one
    before it (core.audit_chain, which documents the recipe; `manage.py verify_audit` checks it).
    On PostgreSQL a trigger sets `seq`, `prev_hash` and `hash` at INSERT (migration 0008); their
    database defaults make Django read them back in the INSERT's RETURNING clause.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "<app>.<entity>.<what happened>", for example "problems.problem.stage_advanced".
    verb = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Set when the event is built, not at save, because content_hash covers it.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # The position in the hash chain: 1, 2, 3, ... in commit order (ids are handed out before the
    # chain's lock is taken, so id order can differ). Unique: two events can never extend the same one.
    seq = models.BigIntegerField(unique=True, db_default=0, editable=False)
    prev_hash = models.CharField(max_length=64, db_default="", editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, db_default="", editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["verb", "created_at"], name="audit_verb_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}:{self.target_id}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task; read by /healthz."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ReminderState(models.TextChoices):
    DUE = "due", "Due"
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    """One reminder to one person about one thing on one date: the ledger that makes sending
    exactly-once. The unique key means a sweep run twice (or by two schedulers) adds nothing; the
    state moves due -> claimed -> sent by conditional UPDATEs (core.reminders), so only the
    worker that wins the claim sends. A row stays `due` until sent, so losing the broker's queue
    loses nothing: the next dispatch finds it again in PostgreSQL.

    What to say is decided when the row is made, by the domain sweep that made it (core knows no
    domain app): the email template's name, its context (plain values, never case detail of a
    restricted problem), and the in-app title and link."""

    kind = models.CharField(max_length=60)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    due_date = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=ReminderState.choices, default=ReminderState.DUE)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # After a failed attempt, not before this time (exponential backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id that holds the claim: a task redelivered after its worker died carries
    # the same id and may take its own claim back at once, without waiting for the timeout.
    claim_token = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "due_date", "recipient"], name="reminder_once"
            ),
        ]
        indexes = [
            # The dispatcher's scan: rows still to send, oldest first.
            models.Index(fields=["state", "id"], name="reminder_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type}:{self.target_id} for {self.recipient_id} ({self.state})"


class SweepRun(models.Model):
    """One reminder sweep made for one day (core.reminders.sweeps_run_due). Inserted in the same
    transaction as the sweep's reminder rows, so it exists exactly when the sweep's work was
    saved: the dispatcher runs a sweep whose time has come and which has no row for that day, and
    a second dispatcher at the same moment waits on the unique key, then finds it done."""

    sweep = models.CharField(max_length=100)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sweep", "day"], name="sweep_run_once")]

    def __str__(self) -> str:
        return f"{self.sweep} on {self.day}"


class Notification(models.Model):
    """An in-app notification: the same events as the reminder emails, shown under the bell."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    # What it is about ("<app>.<model>", pk), as on Reminder and AuditEvent: a domain app reads
    # back the notifications of its own records (a daily digest of a problem's news) without core
    # knowing the app. Blank for a notification about nothing in particular.
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # One notification per reminder at most, enforced by the database (exactly-once in-app).
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
