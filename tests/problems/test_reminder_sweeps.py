"""The problems app's reminder sweeps on chosen days (each sweep takes `today`): exactly the right
items, to exactly the right people, on exactly the right day."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import user_deactivate, user_set_notification_preferences
from core.models import Reminder
from core.reminders import reminders_send, sweep_run
from problems.models import ActionStatus, Problem, Stage
from problems.reminders import ACTION_KINDS, DIGEST_KIND, REVIEW_KINDS
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.partnerships.factories import PoliceForceFactory
from tests.partnerships.factories_contacts import SpocFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ResponseActionFactory

pytestmark = pytest.mark.django_db

# A Wednesday.
TODAY = datetime.date(2026, 11, 25)
SOON, DUE_TODAY, OVERDUE, ESCALATED = REVIEW_KINDS


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def run(name: str, on: datetime.date, capture: Any) -> None:
    with capture(execute=False):
        sweep_run(name, today=on)


def made(kinds: tuple[str, ...] | list[str]) -> set[tuple[str, str, str]]:
    """(kind, target id, recipient email) of every reminder of these kinds."""
    return set(Reminder.objects.filter(kind__in=kinds).values_list("kind", "target_id", "recipient__email"))


def _problem(world: World, review: datetime.date | None, **fields: Any) -> Problem:
    return ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=review, **fields)


def test_review_sweep_selects_due_in_three_days_due_today_and_overdue(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    officer, supervisor = world.users["officer"].email, world.users["supervisor"].email
    in_three = _problem(world, day(3))
    in_two = _problem(world, day(2))
    tomorrow = _problem(world, day(1))
    today = _problem(world, day(0))
    yesterday = _problem(world, day(-1))
    week_late = _problem(world, day(-7))
    eight_late = _problem(world, day(-8))
    _problem(world, day(0), stage=Stage.CLOSED)
    _problem(world, None)
    _problem(world, day(4))
    # A supervisor of another force, and a deactivated one of this force, are not told.
    UserFactory(role=Role.SUPERVISOR, organisation=PoliceForceFactory())
    user_deactivate(actor=None, user=UserFactory(role=Role.SUPERVISOR, organisation=world.force))

    run("problems.reviews", TODAY, django_capture_on_commit_callbacks)

    assert made(REVIEW_KINDS) == {
        (SOON, str(in_three.pk), officer),
        (DUE_TODAY, str(today.pk), officer),
        (OVERDUE, str(yesterday.pk), officer),
        (OVERDUE, str(week_late.pk), officer),
        (OVERDUE, str(eight_late.pk), officer),
        (ESCALATED, str(eight_late.pk), supervisor),
    }
    assert not Reminder.objects.filter(target_id__in=[str(in_two.pk), str(tomorrow.pk)]).exists()


def test_one_review_is_reminded_three_days_before_on_the_day_when_late_and_to_supervisors_after_a_week(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = _problem(world, TODAY)
    expected_by_day = {
        -4: set(),
        -3: {SOON},
        -2: {SOON},
        0: {SOON, DUE_TODAY},
        1: {SOON, DUE_TODAY, OVERDUE},
        7: {SOON, DUE_TODAY, OVERDUE},
        8: {SOON, DUE_TODAY, OVERDUE, ESCALATED},
        30: {SOON, DUE_TODAY, OVERDUE, ESCALATED},
    }
    for offset, kinds in expected_by_day.items():
        run("problems.reviews", day(offset), django_capture_on_commit_callbacks)
        assert set(Reminder.objects.filter(target_id=str(problem.pk)).values_list("kind", flat=True)) == kinds, offset
    # Each once, however many days the sweep ran.
    assert Reminder.objects.count() == 4


def test_a_new_review_date_is_a_new_reminder(world: World, django_capture_on_commit_callbacks: Any) -> None:
    problem = _problem(world, TODAY)
    run("problems.reviews", TODAY, django_capture_on_commit_callbacks)
    Problem.objects.filter(pk=problem.pk).update(next_review_date=day(28))
    run("problems.reviews", day(28), django_capture_on_commit_callbacks)
    assert sorted(Reminder.objects.values_list("due_date", flat=True)) == [TODAY, day(28)]


def test_action_sweep_reminds_the_responsible_user_the_partner_spoc_or_the_owner(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = _problem(world, day(60))
    officer = world.users["officer"]
    named = UserFactory(role=Role.OFFICER, organisation=world.force)
    spoc_user = world.users["partner_lead"]
    SpocFactory(organisation=world.partner, user=spoc_user)
    # A former SPOC, and a contact who is not a SPOC, are not told.
    SpocFactory(organisation=world.partner, user=world.users["partner_member"], spoc_to=day(-1))
    no_spoc = world.unrelated

    to_named = ResponseActionFactory(problem=problem, responsible_user=named, due_date=day(3))
    to_spoc = ResponseActionFactory(problem=problem, responsible_organisation=world.partner, due_date=day(-1))
    to_owner = ResponseActionFactory(problem=problem, due_date=day(-20))
    partner_without_spoc = ResponseActionFactory(problem=problem, responsible_organisation=no_spoc, due_date=day(3))
    in_progress = ResponseActionFactory(
        problem=problem, responsible_user=named, due_date=day(-2), status=ActionStatus.IN_PROGRESS
    )
    ResponseActionFactory(problem=problem, responsible_user=named, due_date=day(2))
    ResponseActionFactory(problem=problem, responsible_user=named, due_date=day(0))
    ResponseActionFactory(problem=problem, responsible_user=named, due_date=day(-5), status=ActionStatus.DONE)
    ResponseActionFactory(
        problem=problem,
        responsible_user=named,
        due_date=day(-5),
        status=ActionStatus.CANCELLED,
        cancel_reason="Not needed.",
    )
    ResponseActionFactory(problem=_problem(world, None, stage=Stage.CLOSED), responsible_user=named, due_date=day(-5))

    run("problems.actions", TODAY, django_capture_on_commit_callbacks)

    due_soon, overdue = ACTION_KINDS
    assert made(ACTION_KINDS) == {
        (due_soon, str(to_named.pk), named.email),
        (overdue, str(to_spoc.pk), spoc_user.email),
        (overdue, str(to_owner.pk), officer.email),
        (due_soon, str(partner_without_spoc.pk), officer.email),
        (overdue, str(in_progress.pk), named.email),
    }


def test_weekly_digest_goes_once_a_week_to_supervisors_who_want_it_with_their_forces_counts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = world.users["supervisor"]
    user_set_notification_preferences(
        actor=UserFactory(role=Role.SUPERVISOR, organisation=world.force), receives_weekly_digest=False
    )
    # Counted on Monday (day -2): two reviews overdue, one not yet; one partner action overdue.
    _problem(world, day(-5))
    _problem(world, day(-3))
    _problem(world, day(-2))
    partner_late = ResponseActionFactory(
        problem=_problem(world, day(9)), responsible_organisation=world.partner, due_date=day(-4)
    )
    ResponseActionFactory(problem=partner_late.problem, due_date=day(-4))  # the force's own action
    Problem.objects.filter(pk=partner_late.problem_id).update(
        updated_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    )
    other_force_supervisor = UserFactory(role=Role.SUPERVISOR, organisation=PoliceForceFactory())

    monday = day(-2)
    run("problems.weekly_digest", monday, django_capture_on_commit_callbacks)
    run("problems.weekly_digest", TODAY, django_capture_on_commit_callbacks)

    digests = Reminder.objects.filter(kind=DIGEST_KIND)
    assert {(d.recipient.email, d.due_date) for d in digests} == {
        (supervisor.email, monday),
        (other_force_supervisor.email, monday),
    }
    counts = digests.get(recipient=supervisor).context
    assert (counts["overdue_reviews"], counts["stalled"], counts["overdue_partner_actions"]) == (2, 1, 1)
    assert digests.get(recipient=other_force_supervisor).context["overdue_reviews"] == 0

    run("problems.weekly_digest", day(5), django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(kind=DIGEST_KIND, recipient=supervisor).count() == 2


def test_every_reminder_the_sweeps_make_renders_and_sends(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = _problem(world, day(-9))
    SpocFactory(organisation=world.partner, user=world.users["partner_lead"])
    ResponseActionFactory(problem=problem, responsible_organisation=world.partner, due_date=day(-1))
    ResponseActionFactory(problem=problem, due_date=day(3))
    for name in ("problems.reviews", "problems.actions", "problems.weekly_digest"):
        run(name, day(-2) if name.endswith("digest") else TODAY, django_capture_on_commit_callbacks)
    rows = list(Reminder.objects.values_list("pk", flat=True))
    assert len(rows) == 5

    assert reminders_send(reminder_ids=rows) == {"sent": 5}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [
            f"Review of {problem.reference} overdue",
            f"Review of {problem.reference} overdue by 9 days",
            f"An action on {problem.reference} is overdue",
            f"An action on {problem.reference} is due on 28 November 2026",
            "Your weekly digest for the week of 23 November 2026",
        ]
    )
    digest = next(m for m in mail.outbox if "digest" in m.subject)
    assert "Overdue reviews: 1" in digest.body
    assert "/account/notifications/" in digest.body
