"""The reminder ledger in one process (core.reminders): claims, sending, backoff and failure,
what an email says, and queueing that never breaks its caller. The real worker, Redis and
concurrency are in test_reminders_worker.py; the 100,000-problem sweep in test_reminders_scale.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_deactivate
from core.models import AuditEvent, Notification, Reminder, ReminderState
from core.reminders import (
    INACTIVE_RECIPIENT,
    REMINDER_HEADER,
    ReminderSpec,
    reminder_claim,
    reminder_release,
    reminder_send,
    reminders_create,
    reminders_send,
)
from problems.models import Problem
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory
from tests.processes import run_python

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)
# A port nothing listens on: a real SMTP connection that is refused.
REFUSING_MAILER = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
    }
}


def _reminder(problem: Problem, **fields: Any) -> Reminder:
    spec = ReminderSpec(
        kind="problems.review_due_today",
        target=problem,
        due_date=TODAY,
        recipient_id=problem.owner_id,
        template="review_reminder",
        title=f"Review of {problem.reference} due today",
        link=reverse("problem-detail", kwargs={"pk": problem.pk}),
        context={"reference": problem.reference, "due_on": "25 November 2026", "when": "today"},
    )
    reminders_create([spec])
    reminder = Reminder.objects.get(target_id=str(problem.pk))
    if fields:
        Reminder.objects.filter(pk=reminder.pk).update(**fields)
        reminder.refresh_from_db()
    return reminder


@pytest.fixture
def problem(world: World) -> Problem:
    return ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=TODAY)


def test_a_reminder_is_sent_once_with_its_notification_and_audit_event(problem: Problem) -> None:
    reminder = _reminder(problem)

    assert reminder_send(reminder_id=reminder.pk) == "sent"
    assert reminder_send(reminder_id=reminder.pk) == "skipped"

    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == (ReminderState.SENT, 1)
    assert reminder.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [problem.owner.email]
    assert message.subject == f"Review of {problem.reference} due today"
    assert message.extra_headers[REMINDER_HEADER] == str(reminder.pk)
    link = f"{settings.SITE_URL}/problems/{problem.pk}/"
    assert link in message.body
    assert message.alternatives
    assert link in str(message.alternatives[0].content)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.reminder, notification.read_at) == (problem.owner, reminder, None)
    assert notification.link == f"/problems/{problem.pk}/"
    assert AuditEvent.objects.filter(verb="core.reminder.sent", target_id=str(reminder.pk)).count() == 1


def test_the_same_reminder_made_twice_is_one_row(problem: Problem) -> None:
    _reminder(problem)
    _reminder(problem)
    assert Reminder.objects.count() == 1


def test_of_two_senders_only_the_first_claim_wins(problem: Problem) -> None:
    reminder = _reminder(problem)
    now = timezone.now()
    claimed = reminder_claim(reminder_id=reminder.pk, token="first", now=now)
    assert claimed is not None
    assert claimed.pk == reminder.pk
    reminder_release(reminder.pk)
    assert reminder_claim(reminder_id=reminder.pk, token="second", now=now) is None
    assert reminders_send(reminder_ids=[reminder.pk], token="second") == {"skipped": 1}
    assert mail.outbox == []


def test_a_claim_left_by_a_dead_worker_is_taken_again_only_after_the_timeout(problem: Problem) -> None:
    now = timezone.now()
    fresh = _reminder(
        problem, state=ReminderState.CLAIMED, claimed_at=now - datetime.timedelta(minutes=9), claim_token="dead"
    )
    assert reminder_claim(reminder_id=fresh.pk, token="other", now=now) is None
    # Not even the same task, redelivered: its first run may have sent the email and lost its
    # database connection before recording it (a sender that lives records it itself).
    assert reminder_claim(reminder_id=fresh.pk, token="dead", now=now) is None

    Reminder.objects.filter(pk=fresh.pk).update(claimed_at=now - datetime.timedelta(minutes=11))
    assert reminder_send(reminder_id=fresh.pk, token="other") == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_reminder_being_sent_is_never_taken_over_however_old_its_claim(world: World) -> None:
    """The sender holds the reminder's advisory lock while the mail server takes it: a second
    sender (another connection) cannot take the claim over, even past the claim timeout."""
    from django.db import connections

    problem = ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=TODAY)
    reminder = _reminder(problem)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    assert reminder_claim(reminder_id=reminder.pk, token="slow", now=long_ago) is not None
    try:
        other = run_python(
            "-c",
            "import django; django.setup();"
            "from django.utils import timezone; from core.reminders import reminder_claim;"
            f"print(reminder_claim(reminder_id={reminder.pk}, token='other', now=timezone.now()))",
            env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url()},
        )
        assert other.stdout.strip().splitlines()[-1] == "None", other.stderr
    finally:
        reminder_release(reminder.pk)
    # Once the sender is gone (its lock released) and its claim is old, another sender takes it.
    taken = run_python(
        "-c",
        "import django; django.setup();"
        "from django.utils import timezone; from core.reminders import reminder_claim;"
        f"print(reminder_claim(reminder_id={reminder.pk}, token='other', now=timezone.now()))",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url()},
    )
    assert taken.stdout.strip().splitlines()[-1] != "None", taken.stderr
    assert Reminder.objects.get(pk=reminder.pk).claim_token == "other"
    connections.close_all()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"


def test_a_failing_send_is_retried_later_with_a_growing_pause_then_fails_visibly(
    problem: Problem, settings: Any, django_capture_on_commit_callbacks: Any, world: World
) -> None:
    settings.MAILERS = REFUSING_MAILER
    settings.REMINDER_MAX_ATTEMPTS = 3
    reminder = _reminder(problem)

    pauses = []
    for attempt in (1, 2):
        with django_capture_on_commit_callbacks() as queued:
            assert reminder_send(reminder_id=reminder.pk) == "retry"
        reminder.refresh_from_db()
        assert (reminder.state, reminder.attempts) == (ReminderState.DUE, attempt)
        assert "ConnectionRefusedError" in reminder.last_error
        assert len(queued) == 1, "a retry is queued, after the pause"
        pauses.append((reminder.not_before - timezone.now()).total_seconds())
        # Not before the pause is over.
        assert reminder_send(reminder_id=reminder.pk) == "skipped"
        Reminder.objects.filter(pk=reminder.pk).update(not_before=timezone.now())
    assert 55 < pauses[0] <= 60
    assert 115 < pauses[1] <= 120

    assert reminder_send(reminder_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == (ReminderState.FAILED, 3)
    assert reminder_send(reminder_id=reminder.pk) == "skipped", "never retried for ever"
    assert AuditEvent.objects.filter(verb="core.reminder.failed", target_id=str(reminder.pk)).exists()
    assert not Notification.objects.exists()

    # Visible to administrators.
    admin = sign_in(Client(), world.users["administrator"])
    page = admin.get(reverse("admin:core_reminder_changelist"), {"state__exact": "failed"})
    assert page.status_code == 200
    assert f"{reminder.target_id}" in page.text
    assert "Failed" in page.text


def test_a_reminder_to_a_deactivated_user_is_not_sent(problem: Problem) -> None:
    reminder = _reminder(problem)
    user_deactivate(actor=None, user=problem.owner)
    assert reminder_send(reminder_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert (reminder.state, reminder.last_error) == (ReminderState.FAILED, INACTIVE_RECIPIENT)
    assert mail.outbox == []


@pytest.mark.parametrize("restricted", [False, True])
def test_a_reminder_email_names_the_problem_by_reference_and_carries_no_case_detail(
    world: World, restricted: bool, django_capture_on_commit_callbacks: Any
) -> None:
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        next_review_date=TODAY,
        restricted=restricted,
        title="Threats to the witness at 14 Mill Lane",
        description="The witness, Ms Example, was threatened on 3 November.",
    )
    with django_capture_on_commit_callbacks(execute=False):
        call_command("run_reminders", "--date", TODAY.isoformat(), "--sweep", "problems.reviews", stdout=None)
    reminder = Reminder.objects.get()
    assert reminder_send(reminder_id=reminder.pk) == "sent"
    message = mail.outbox[0]
    parts = [message.subject, message.body, str(message.alternatives[0].content), Notification.objects.get().title]
    for text in parts:
        assert problem.reference in text
        assert "Mill Lane" not in text
        assert "Ms Example" not in text
        assert "witness" not in text


@pytest.mark.django_db(transaction=True)
def test_run_reminders_runs_every_registered_sweep_and_says_what_the_broker_took(world: World) -> None:
    from io import StringIO

    from config.celery import app as celery_app
    from tests.core.reminder_workers import queued_tasks

    celery_app.control.purge()
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=TODAY)
    out = StringIO()
    call_command("run_reminders", "--date", TODAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "dataprotection.breach_deadlines",
        "partnerships.agreement_reviews",
        "problems.actions",
        "problems.follower_digest",
        "problems.retention_reviews",
        "problems.reviews",
        "problems.weekly_digest",
    ]
    assert "problems.reviews: 1 send task(s) queued" in lines
    assert Reminder.objects.filter(kind="problems.review_due_today").count() == 1
    assert queued_tasks() == 2, "the review reminder and the supervisor's digest"
    celery_app.control.purge()


def test_run_reminders_refuses_a_bad_date_or_sweep(db: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_reminders", "--date", "25/11/2026")
    with pytest.raises(CommandError, match="Unknown sweep"):
        call_command("run_reminders", "--sweep", "nonsense")


@pytest.mark.django_db(transaction=True)
def test_a_sweep_with_the_broker_down_succeeds_and_leaves_the_reminders_due(world: World) -> None:
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=timezone.localdate())
    db = settings.DATABASES["default"]
    result = run_python(
        "manage.py",
        "run_reminders",
        "--sweep",
        "problems.reviews",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
            # Nothing listens on port 1: the broker is down.
            "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        },
    )
    assert result.returncode == 0, result.stderr
    # It says what really happened: nothing was queued.
    assert (
        "problems.reviews: 0 send task(s) queued, 1 not queued (the broker is unreachable: "
        "their reminders stay due and are queued when it is back)"
    ) in result.stdout
    assert "Could not queue 1 reminder(s)" in result.stderr
    assert Reminder.objects.get().state == ReminderState.DUE
