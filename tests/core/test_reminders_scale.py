"""A sweep over 100,000 problems: one send task per 500 due reminders (plus the sweep's own task),
counted in the real Redis queue, and a selection query that PostgreSQL answers from an index."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Reminder, ReminderState
from core.reminders import CHUNK_SIZE, pending, sweep_run
from problems.models import Stage
from problems.reminders import REVIEW_KINDS
from problems.selectors.problems import problem_list_due_for_review
from tests.accounts.factories import UserFactory
from tests.core.factories_reminders import copy_problem
from tests.core.reminder_workers import purge, queued_tasks
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory

TODAY = datetime.date(2026, 11, 25)
TOTAL = 100_000


@pytest.fixture
def empty_queue() -> Iterator[None]:
    purge()
    yield
    purge()


@pytest.fixture
def hundred_thousand_problems(db: None) -> int:
    """100,000 problems: 1,100 due today, 150 due in 3 days, 50 overdue by 10 days (each with two
    supervisors to tell), and the rest closed or reviewed later. Returns how many reminders are due."""
    force = PoliceForceFactory()
    officer = UserFactory(role="officer", organisation=force)
    UserFactory(role="supervisor", organisation=force)
    UserFactory(role="supervisor", organisation=force)
    template = ProblemFactory(owning_organisation=force, owner=officer, created_by=officer, stage=Stage.CLOSED)
    copy_problem(template, count=1_100, review_date=TODAY, prefix="TODAY")
    copy_problem(template, count=150, review_date=TODAY + datetime.timedelta(days=3), prefix="SOON")
    copy_problem(template, count=50, review_date=TODAY - datetime.timedelta(days=10), prefix="LATE")
    copy_problem(template, count=60_000, review_date=TODAY + datetime.timedelta(days=40), prefix="LATER")
    copy_problem(
        template,
        count=TOTAL - 61_301,
        review_date=TODAY - datetime.timedelta(days=5),
        stage=Stage.CLOSED,
        prefix="SHUT",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE problems_problem")
    return 1_100 + 150 + 50 + 50 * 2


def test_a_sweep_over_100000_problems_selects_by_index_and_queues_one_task_per_500_due(
    hundred_thousand_problems: int, empty_queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    from problems.models import Problem

    assert Problem.objects.count() == TOTAL
    # The selection: a range scan of the (stage, next_review_date) index, not the whole table.
    plan = problem_list_due_for_review(on_date=TODAY, within_days=3).values_list("pk").explain()
    assert "problem_review_due_idx" in plan, plan
    assert "Seq Scan on problems_problem" not in plan, plan

    with django_capture_on_commit_callbacks(execute=True):
        tasks = sweep_run("problems.reviews", today=TODAY)

    due = Reminder.objects.filter(state=ReminderState.DUE).count()
    assert due == hundred_thousand_problems == 1_400
    assert tasks == math.ceil(due / CHUNK_SIZE) == 3
    # What reached Redis: the chunks (in production the sweep's own task came before them).
    assert queued_tasks() == tasks <= math.ceil(due / CHUNK_SIZE) + 1
    assert Reminder.objects.filter(kind=REVIEW_KINDS[3]).count() == 100


def test_the_dispatcher_selects_pending_reminders_with_the_state_index(db: None) -> None:
    officer = UserFactory()
    # 20,000 rows, one in a hundred still due, written by PostgreSQL itself (fast).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_reminder (kind, target_type, target_id, due_date, recipient_id, template, context,"
            " title, link, state, attempts, last_error, claim_token, created_at)"
            " SELECT 'test.kind', 'problems.problem', g::text, %s, %s, 'review_reminder', '{}', 't', '/',"
            " CASE WHEN g %% 100 = 0 THEN 'due' ELSE 'sent' END, 0, '', '', now()"
            " FROM generate_series(1, 20000) AS g",
            [TODAY, officer.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_reminder")
    plan = Reminder.objects.filter(pending(now=timezone.now())).values_list("pk").explain()
    assert "reminder_state_idx" in plan, plan
