"""Retention of closed problems (DESIGN.md section 5): the review date set on closing and by the
backfill, the due list and the review pages, retaining with a reason and a new date, the monthly
sweep and the demo. Disposal is in test_retention_disposal.py."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Notification, Reminder
from core.reminders import reminders_send, sweep_run
from problems.models import (
    Problem,
    ProblemUpdate,
    RetentionOutcome,
    RetentionReview,
    Stage,
)
from problems.retention_reminders import RETENTION_KIND
from problems.services.retention import (
    DISPOSE_NOT_ALLOWED,
    RETAIN_DATE_NOT_FUTURE,
    RETAIN_REASON_REQUIRED,
    problem_dispose,
    problem_retention_retain,
)
from problems.services.stages import problem_advance_stage, problem_reopen
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_retention import SECRET, closed_problem, days, today
from tests.problems.factories_sara import problem_at

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


# --- The review date ---------------------------------------------------------------------------


def test_closing_a_problem_sets_its_retention_review_six_years_on_by_default(world: World) -> None:
    supervisor = world.users["supervisor"]
    problem = problem_at(Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"])

    problem = problem_advance_stage(actor=supervisor, problem=problem)

    closed_on = timezone.localtime(problem.closed_at).date()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)
    problem.refresh_from_db()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)


def test_the_longest_of_the_default_category_and_risk_periods_applies(world: World, settings: Any) -> None:
    settings.RETENTION_PERIODS = {"default": 6, "risk": {"high": 8}, "category": {"asb": 10}}
    supervisor = world.users["supervisor"]
    high = problem_at(
        Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"], risk_level="high"
    )
    assert problem_advance_stage(actor=supervisor, problem=high).retention_review_date.year == today().year + 10
    settings.RETENTION_PERIODS = {"default": 6, "risk": {"high": 8}, "category": {}}
    other = problem_at(
        Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"], risk_level="high"
    )
    assert problem_advance_stage(actor=supervisor, problem=other).retention_review_date.year == today().year + 8


def test_reopening_a_closed_problem_clears_its_retention_review(world: World) -> None:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"])
    Problem.objects.filter(pk=problem.pk).update(retention_review_date=days(100))
    problem.refresh_from_db()

    problem_reopen(actor=world.users["supervisor"], problem=problem, to_stage=Stage.ASSESSMENT, reason="More data")

    problem.refresh_from_db()
    assert problem.retention_review_date is None


def test_the_backfill_dates_problems_closed_before_retention_existed(world: World) -> None:
    migration = importlib.import_module("problems.migrations.0015_retention_backfill_and_disposal_path")
    closed_at = timezone.make_aware(datetime.datetime(2020, 3, 15, 12, 0))
    old = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED, closed_at=closed_at)
    still_open = ProblemFactory(force=world.force, owner=world.users["officer"])

    migration.backfill(apps, None)

    old.refresh_from_db()
    still_open.refresh_from_db()
    assert old.retention_review_date == datetime.date(2026, 3, 15)
    assert still_open.retention_review_date is None


# --- The due list ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "dpo"])
def test_the_due_list_shows_the_forces_closed_problems_due_and_nothing_else(world: World, persona: str) -> None:
    due = closed_problem(world, due=days(0))
    overdue = closed_problem(world, due=days(-30))
    later = closed_problem(world, due=days(1))
    disposed = closed_problem(world, due=days(-5))
    problem_dispose(actor=world.users["dpo"], problem=disposed, confirmed=True)
    other_force = ProblemFactory(
        force=PoliceForceFactory(), stage=Stage.CLOSED, closed_at=timezone.now(), retention_review_date=days(-1)
    )

    response = _client(world, persona).get(reverse("retention-list"))

    assert response.status_code == 200
    shown = [problem.reference for problem in response.context["page"]]
    assert shown == [overdue.reference, due.reference]
    assert later.reference not in response.text
    assert other_force.reference not in response.text
    # The list names problems by metadata only: never their titles.
    assert due.title not in response.text
    assert [record.reference for record in response.context["disposed"]] == [disposed.reference]


def test_the_due_list_keeps_the_same_query_count_with_1_and_with_5_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "dpo")

    def count_queries(rows: int) -> None:
        while Problem.objects.filter(retention_review_date__isnull=False).count() < rows:
            closed_problem(world)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the count of the
        # problems due (capped), 5 the page of them with category and neighbourhood, 6 the force's
        # latest disposal records with who disposed of them.
        with django_assert_num_queries(6):
            response = client.get(reverse("retention-list"))
        assert len(response.context["page"]) == rows

    count_queries(1)
    count_queries(5)


def test_the_dpo_and_supervisor_home_pages_count_the_reviews_due(world: World) -> None:
    closed_problem(world)
    closed_problem(world)
    closed_problem(world, due=days(10))
    for persona in ("dpo", "supervisor"):
        response = _client(world, persona).get(reverse("home"))
        assert response.context["retention_due_count"] == 2
        assert response.text.count('data-retention-due-count="2"') == 1
        assert reverse("retention-list") in response.text


# --- Retain ------------------------------------------------------------------------------------


def test_retaining_records_the_reason_and_moves_the_review_date(world: World) -> None:
    problem = closed_problem(world)
    was = problem.retention_review_date
    client = _client(world, "dpo")

    response = client.post(
        reverse("retention-review", args=[problem.pk]),
        {"reason": "Linked to an ongoing court case.", "next_review_date": days(365).isoformat()},
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.retention_review_date == days(365)
    review = RetentionReview.objects.get(problem=problem)
    assert (review.outcome, review.reason, review.review_date_was) == (
        RetentionOutcome.RETAINED,
        "Linked to an ongoing court case.",
        was,
    )
    event = AuditEvent.objects.get(verb="problems.problem.retention_retained", target_id=str(problem.pk))
    assert event.actor == world.users["dpo"]
    assert event.detail["reason"] == "Linked to an ongoing court case."
    assert problem.reference not in [p.reference for p in client.get(reverse("retention-list")).context["page"]]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "", "next_review_date": "2099-01-01"}, "reason", RETAIN_REASON_REQUIRED),
        ({"reason": "Still needed", "next_review_date": "today"}, "next_review_date", None),
        ({"reason": "Still needed", "next_review_date": "1999-02-30"}, "next_review_date", None),
    ],
)
def test_retaining_without_a_reason_or_a_real_date_shows_errors_and_changes_nothing(
    world: World, data: dict[str, str], field: str, message: str | None
) -> None:
    problem = closed_problem(world)
    was = problem.retention_review_date

    response = _client(world, "supervisor").post(reverse("retention-review", args=[problem.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    if message:
        assert message in response.context["form"].errors[field]
    assert 'class="alert alert-danger error-summary"' in response.text
    # What was typed is kept.
    assert data["reason"] in response.text
    problem.refresh_from_db()
    assert problem.retention_review_date == was
    assert not RetentionReview.objects.exists()


def test_retaining_needs_a_date_after_today(world: World) -> None:
    problem = closed_problem(world)
    with pytest.raises(ValidationError) as refused:
        problem_retention_retain(
            actor=world.users["dpo"], problem=problem, reason="Still needed", next_review_date=today()
        )
    assert refused.value.message_dict == {"next_review_date": [RETAIN_DATE_NOT_FUTURE]}


def test_an_officer_of_the_force_may_not_retain_or_dispose(world: World) -> None:
    problem = closed_problem(world)
    with pytest.raises(PermissionDenied, match=DISPOSE_NOT_ALLOWED):
        problem_retention_retain(
            actor=world.users["officer"], problem=problem, reason="Keep", next_review_date=days(10)
        )
    with pytest.raises(PermissionDenied, match=DISPOSE_NOT_ALLOWED):
        problem_dispose(actor=world.users["officer"], problem=problem, confirmed=True)
    another_forces_dpo = UserFactory(role="dpo", organisation=PoliceForceFactory())
    with pytest.raises(PermissionDenied):
        problem_dispose(actor=another_forces_dpo, problem=problem, confirmed=True)


def test_the_dpo_review_page_shows_metadata_and_counts_never_the_case_text(world: World) -> None:
    problem = closed_problem(world, title=f"Title {SECRET}", description=f"About {SECRET}")
    ProblemUpdate.objects.create(
        problem=problem, author=world.users["officer"], organisation=world.force, text=f"Saw {SECRET}"
    )

    dpo_page = _client(world, "dpo").get(reverse("retention-review", args=[problem.pk]))
    supervisor_page = _client(world, "supervisor").get(reverse("retention-review", args=[problem.pk]))

    assert SECRET not in dpo_page.text
    assert problem.reference in dpo_page.text
    assert dict(dpo_page.context["counts"])["Updates"] == 1
    assert reverse("problem-detail", args=[problem.pk]) not in dpo_page.text
    assert reverse("problem-detail", args=[problem.pk]) in supervisor_page.text


@pytest.mark.parametrize(("name", "own_queries"), [("retention-review", 1), ("retention-dispose", 0)])
def test_the_review_and_dispose_pages_keep_the_same_query_count_with_1_and_with_5_entries(
    world: World,
    name: str,
    own_queries: int,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    problem = closed_problem(world)
    client = _client(world, "dpo")
    url = reverse(name, args=[problem.pk])

    def count_queries(rows: int) -> None:
        while problem.updates.count() < rows:
            ProblemUpdate.objects.create(
                problem=problem, author=world.users["officer"], organisation=world.force, text="An update"
            )
            RetentionReview.objects.create(
                problem=problem,
                outcome=RetentionOutcome.RETAINED,
                reason="Keep",
                next_review_date=days(1),
                reviewed_by=world.users["dpo"],
            )
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the problem with
        # its category, neighbourhood and disposal record; then one count per part of the problem
        # (18 of problems: stage moves, reviews, controllers, hypotheses, objectives, objective
        # revisions, actions, decisions, confirmations, updates, attachments, handovers, shares,
        # followers, stakeholder map, tasking meeting minutes, referral, notifications; 3 of
        # evaluation: before/after design, EMMIE, award entry draft), and on the review page the
        # retention reviews so far with who made them.
        with django_assert_num_queries(4 + 21 + own_queries):
            response = client.get(url)
        assert dict(response.context["counts"])["Updates"] == rows

    count_queries(1)
    count_queries(5)


# --- The monthly sweep --------------------------------------------------------------------------


def test_the_monthly_sweep_tells_the_forces_supervisors_and_dpo_once_a_month(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = datetime.date(2027, 3, 1)
    due = closed_problem(world, due=datetime.date(2027, 2, 20))
    closed_problem(world, due=datetime.date(2027, 6, 1))
    other_force = PoliceForceFactory()
    other_supervisor = UserFactory(role="supervisor", organisation=other_force)

    def run(on: datetime.date) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            sweep_run("problems.retention_reviews", today=on)
        reminders_send(reminder_ids=list(Reminder.objects.filter(kind=RETENTION_KIND).values_list("pk", flat=True)))

    run(first)
    run(first)
    run(first + datetime.timedelta(days=14))

    recipients = sorted(Reminder.objects.filter(kind=RETENTION_KIND).values_list("recipient__email", flat=True))
    assert recipients == sorted([world.users["supervisor"].email, world.users["dpo"].email])
    assert other_supervisor.email not in recipients
    assert sorted(m.to[0] for m in mail.outbox) == recipients
    message = mail.outbox[0]
    assert message.subject == "Retention reviews due: 1 closed problem"
    assert due.reference in message.body
    assert due.title not in message.body
    assert reverse("retention-list") in message.body
    assert Notification.objects.filter(kind=RETENTION_KIND).count() == 2

    # The next month is a new message.
    run(datetime.date(2027, 4, 1))
    assert len(mail.outbox) == 4


def test_the_retention_sweep_is_scheduled_for_the_first_of_each_month(settings: Any) -> None:
    # Made from the database by the sweep dispatcher (core.reminders.sweeps_run_due), so a first of
    # the month on which the broker was down is made up when it returns.
    from core.reminders import registered_sweeps, sweep_day

    when = settings.REMINDER_SWEEP_SCHEDULE["problems.retention_reviews"]
    assert when == {"at": "07:50", "day_of_month": 1}
    assert "problems.retention_reviews" in registered_sweeps()
    march = datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC)
    assert sweep_day(**when, now=march) == datetime.date(2027, 3, 1)


# --- Demo data ------------------------------------------------------------------------------------


def test_the_demo_has_one_closed_problem_due_for_its_retention_review() -> None:
    import io

    from accounts import demo as accounts_demo
    from accounts.models import User
    from partnerships.demo import neighbourhoods as demo_neighbourhoods
    from partnerships.demo import organisations as demo_organisations
    from problems.demo import problems as demo_problems
    from problems.demo import retention as demo_retention
    from problems.selectors.retention import retention_list_due_for

    for module in (demo_organisations, accounts_demo, demo_neighbourhoods, demo_problems, demo_retention):
        module.seed(stdout=io.StringIO())
    demo_retention.seed(stdout=io.StringIO())

    for email in ("dpo@police.example", "supervisor@police.example"):
        due = list(retention_list_due_for(user=User.objects.get(email=email)))
        assert [problem.title for problem in due] == [demo_retention.RETENTION_DUE_EXAMPLE]
    problem = due[0]
    assert problem.closed_at is not None
    closed_on = timezone.localtime(problem.closed_at).date()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)


# Every model that points to a problem, and what disposal does with it. A model added later that
# points to a problem fails the test below until it is listed here, and, if it holds text about the
# case, registered with problems.retention_parts.
