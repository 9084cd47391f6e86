"""The Redis drills (issue 19, "Drills as tests"), each with a Redis the test starts itself on a
port of its own: stopped (a crash: its queue is lost), and hung (SIGSTOP: it accepts connections
and answers nothing). Pages and edits keep working, /healthz tells the truth within seconds, a
sweep due while Redis was away is made up, and what was queued is sent once after it returns.
`make drills` runs these and the worker tests with every core busy."""

from __future__ import annotations

import datetime
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.models import Reminder, ReminderState, SweepRun
from core.queueing import QUEUE_UNAVAILABLE
from core.reminders import sweep_run
from core.tasks import run_due_reminder_sweeps
from evaluation.models import CrimeImportRun, ImportState
from partnerships.models import AgreementStatus
from partnerships.reminders import KINDS as AGREEMENT_KINDS
from problems.reminders import REVIEW_KINDS, SHARE_SUSPENDED_KIND
from tests.conftest import World, sign_in
from tests.core.reminder_workers import emails_by_reminder, sends_in_flight, start_worker, stop_worker, wait_until
from tests.drills import RedisServer, celery_broker
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv
from tests.partnerships.factories_agreements import complete_agreement
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

# However busy the machine, a page must answer well within this while Redis is away (it waited
# for ever before: no broker socket timeout). The broker's own limit is BROKER_SOCKET_TIMEOUT (3 s).
PAGE_LIMIT_SECONDS = 20


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    with celery_broker(server.url):
        yield server
    server.stop()


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop_worker(process)


def timed(request: Any) -> tuple[Any, float]:
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def test_with_redis_stopped_pages_and_edits_work_and_everything_is_sent_once_after_it_returns(
    world: World, redis_server: RedisServer, workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    today = timezone.localdate()
    problems = [
        ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=today) for _ in range(3)
    ]
    parties = [world.force, world.partner]
    due_for_review = complete_agreement(
        parties=parties,
        status=AgreementStatus.ACTIVE,
        created_by=world.users["supervisor"],
        review_date=today + datetime.timedelta(days=30),
    )
    ending = complete_agreement(
        parties=parties,
        status=AgreementStatus.ACTIVE,
        created_by=world.users["supervisor"],
        review_date=today + datetime.timedelta(days=100),
    )
    share(world, problems[0], agreement=ending)

    # Queued before the outage: the review reminders wait in Redis for a worker.
    sweep_run("problems.reviews", today=today)
    assert redis.Redis.from_url(redis_server.url).llen("celery") >= 1
    redis_server.stop()  # a crash: the queue goes with it

    # Beat's tick for the morning's agreement sweep cannot be sent.
    with pytest.raises(BrokerError):
        run_due_reminder_sweeps.apply_async(retry=False)

    # Pages and edits work meanwhile.
    officer = sign_in(Client(), world.users["officer"])
    page, took = timed(lambda: officer.get(reverse("problem-detail", kwargs={"pk": problems[1].pk})))
    assert (page.status_code, took < PAGE_LIMIT_SECONDS) == (200, True)
    supervisor = sign_in(Client(), world.users["supervisor"])
    edit, took = timed(
        lambda: supervisor.post(
            reverse("agreement-terminate", kwargs={"pk": ending.pk}), {"reason": "Partner withdrew."}
        )
    )
    assert (edit.status_code, took < PAGE_LIMIT_SECONDS) == (302, True)
    ending.refresh_from_db()
    assert ending.status == AgreementStatus.TERMINATED
    assert Reminder.objects.get(kind=SHARE_SUSPENDED_KIND).state == ReminderState.DUE
    health, took = timed(lambda: Client().get("/healthz"))
    assert (health.status_code, health.json()["broker"], took < PAGE_LIMIT_SECONDS) == (503, "unreachable", True)

    # Redis returns, empty. A worker starting makes up the missed sweep and sends what is due.
    redis_server.start()
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    workers.append(
        start_worker(
            mail_dir,
            log,
            broker_url=redis_server.url,
            sweep_schedule={"partnerships.agreement_reviews": {"at": "00:00"}},
        )
    )

    def all_sent() -> bool:
        return (
            SweepRun.objects.filter(sweep="partnerships.agreement_reviews", day=today).exists()
            and not Reminder.objects.exclude(state=ReminderState.SENT).exists()
            and sends_in_flight() == 0
        )

    wait_until(all_sent, timeout=300, what="everything sent", workers=workers, log=log)

    kinds = sorted(Reminder.objects.values_list("kind", flat=True))
    assert kinds.count(REVIEW_KINDS[1]) == 3
    assert kinds.count(SHARE_SUSPENDED_KIND) == 1
    assert kinds.count(AGREEMENT_KINDS[0]) >= 2, "the agreement's review, to each party's lead"
    assert set(Reminder.objects.filter(kind__in=AGREEMENT_KINDS).values_list("target_id", flat=True)) == {
        str(due_for_review.pk)
    }
    emails = emails_by_reminder(mail_dir)
    assert set(emails) == set(Reminder.objects.values_list("pk", flat=True))
    assert [pk for pk, n in emails.items() if n > 1] == []
    # And /healthz says so.
    assert Client().get("/healthz").status_code == 200


def test_with_redis_hung_pages_answer_within_seconds_and_healthz_says_503(
    world: World, redis_server: RedisServer
) -> None:
    redis_server.freeze()
    try:
        health, took = timed(lambda: Client().get("/healthz"))
        assert (health.status_code, health.json()["broker"]) == (503, "unreachable")
        assert took < PAGE_LIMIT_SECONDS

        # A crime upload is refused, and says only that.
        analyst = sign_in(Client(), world.users["analyst"])
        rows = police_csv([crime_row(crime_id=crime_id(1)), crime_row()])
        upload = SimpleUploadedFile("2026-03-street.csv", rows, content_type="text/csv")
        response, took = timed(lambda: analyst.post(reverse("crime-import"), {"file": upload}, follow=True))
        assert took < PAGE_LIMIT_SECONDS
        run = CrimeImportRun.objects.get()
        assert (run.state, run.message) == (ImportState.FAILED, QUEUE_UNAVAILABLE)
        assert QUEUE_UNAVAILABLE in response.text
        assert "being imported" not in response.text

        # An edit that queues a reminder saves, and leaves the reminder due.
        ending = complete_agreement(
            parties=[world.force, world.partner],
            status=AgreementStatus.ACTIVE,
            created_by=world.users["supervisor"],
            review_date=timezone.localdate() + datetime.timedelta(days=100),
        )
        share(world, agreement=ending)
        supervisor = sign_in(Client(), world.users["supervisor"])
        edit, took = timed(
            lambda: supervisor.post(
                reverse("agreement-terminate", kwargs={"pk": ending.pk}), {"reason": "Partner withdrew."}
            )
        )
        assert (edit.status_code, took < PAGE_LIMIT_SECONDS) == (302, True)
        assert Reminder.objects.get(kind=SHARE_SUSPENDED_KIND).state == ReminderState.DUE
    finally:
        redis_server.thaw()

    # Redis answers again: so does /healthz.
    wait_until(lambda: Client().get("/healthz").status_code == 200, timeout=60, what="/healthz to say 200")
