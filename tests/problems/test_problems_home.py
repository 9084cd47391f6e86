"""The home pages' problem panels: the officer's "My problems" (open problems owned, by stage) and
"Reviews due" (own problems due within 3 days or overdue); the supervisor's "Overdue reviews"
(the force's problems past their review date). Navigation shows Problems to police roles."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from config.home_panels import police
from config.home_panels.police import MY_PROBLEMS_PER_STAGE
from problems.models import Stage
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def test_officer_home_lists_own_open_problems_by_stage_with_links(world: World) -> None:
    officer = world.users["officer"]
    scanning = ProblemFactory(force=world.force, owner=officer, title="Drinking at the parade")
    response_stage = ProblemFactory(force=world.force, owner=officer, stage=Stage.RESPONSE, title="Bike thefts")
    ProblemFactory(force=world.force, owner=officer, stage=Stage.CLOSED, title="Old closed one")
    ProblemFactory(force=world.force, owner=world.users["supervisor"], title="Someone else's")
    response = _client(world, "officer").get(reverse("home"))
    text = response.text
    groups = {g["stage"]: [p.pk for p in g["problems"]] for g in response.context["my_problems_by_stage"]}
    assert groups == {"scanning": [scanning.pk], "analysis": [], "response": [response_stage.pk], "assessment": []}
    assert "You lead 2 open problems." in text
    assert f'href="/problems/{scanning.pk}/"' in text
    assert "?owner=me&amp;stage=response" in text
    assert "Old closed one" not in text
    assert "Someone else" not in text


def test_officer_home_lists_reviews_due_within_3_days_or_overdue(world: World) -> None:
    officer = world.users["officer"]
    overdue = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(-4))
    soon = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(3))
    ProblemFactory(force=world.force, owner=officer, next_review_date=_days(4))
    ProblemFactory(force=world.force, owner=world.users["supervisor"], next_review_date=_days(-4))
    response = _client(world, "officer").get(reverse("home"))
    assert [p.pk for p in response.context["reviews_due"]] == [overdue.pk, soon.pk]
    panel = response.text.split("data-reviews-due", 1)[1].split("</ul>", 1)[0]
    assert reverse("problem-review", args=[overdue.pk]) in panel
    assert panel.count("Review overdue") == 1


def test_officer_home_says_when_nothing_is_due(world: World) -> None:
    response = _client(world, "officer").get(reverse("home"))
    assert "You lead no open problems." in response.text
    assert "None of your problems is due for review in the next 3 days." in response.text


def test_officer_home_keeps_the_same_query_count_with_1_and_with_5_owned_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    officer = world.users["officer"]
    client = _client(world, "officer")
    stages = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT]

    def count_queries(rows: int) -> None:
        while officer.owned_problems.count() < rows:
            n = officer.owned_problems.count()
            ProblemFactory(force=world.force, owner=officer, stage=stages[n % 4], next_review_date=_days(n - 2))
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the first of the
        # officer's open problems in each stage with their categories (one UNION ALL), 5 how many
        # they lead in each stage (capped counts), 6 their reviews due, 7 the events they recorded
        # with their neighbourhoods (none here, so their seldom-heard groups are not fetched), 8 the
        # priorities awaiting an action in their neighbourhoods, 9 the handovers awaiting their
        # acknowledgement with problems and people.
        with django_assert_num_queries(9):
            response = client.get(reverse("home"))
        assert response.context["my_problem_count"] == rows

    count_queries(1)
    count_queries(5)
    # More in each stage than the panel shows: the same queries.
    count_queries(4 * MY_PROBLEMS_PER_STAGE + 6)


def test_supervisor_home_lists_the_forces_overdue_reviews(world: World) -> None:
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force, full_name="Sam Colleague")
    longest = ProblemFactory(force=world.force, owner=colleague, next_review_date=_days(-10), restricted=True)
    recent = ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(-1))
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(0))
    ProblemFactory(force=world.force, owner=colleague, stage=Stage.CLOSED, next_review_date=_days(-10))
    ProblemFactory(next_review_date=_days(-10))  # another force's
    response = _client(world, "supervisor").get(reverse("home"))
    assert [p.pk for p in response.context["overdue_reviews"]] == [longest.pk, recent.pk]
    panel = response.text.split("data-overdue-reviews", 1)[1].split("</ul>", 1)[0]
    assert "Sam Colleague" in panel
    assert panel.count("Review overdue") == 2
    assert "Partnership gaps" in response.text
    assert f"{reverse('problem-list')}?overdue=on" in response.text


def test_supervisor_home_keeps_the_same_query_count_with_1_and_with_5_overdue_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "supervisor")

    def count_queries(rows: int) -> None:
        while len(client.get(reverse("home")).context["overdue_reviews"]) < rows:
            owner = UserFactory(role=Role.OFFICER, organisation=world.force)
            ProblemFactory(force=world.force, owner=owner, next_review_date=_days(-3))
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the active
        # organisations with no active SPOC, 5 the force's overdue problems with their owners,
        # 6 those awaiting sign-off with their owners, 7 the team's failed reminders with their
        # recipients, 8 the force's neighbourhoods for the seldom-heard gaps (one: a problem is
        # in one of its force's neighbourhoods since issue 17), 9 the seldom-heard groups,
        # 10 the groups reached by events, 11 by survey answers, 12 the force's inactive accounts
        # (none here, so no problem is read for the problems they lead), 13 the handovers awaiting
        # the supervisor's acknowledgement, 14 how many of the force's closed problems are due for a retention review.
        with django_assert_num_queries(14):
            response = client.get(reverse("home"))
        assert len(response.context["overdue_reviews"]) == rows

    count_queries(1)
    count_queries(5)


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("officer", True),
        ("supervisor", True),
        ("analyst", True),
        ("partner_member", False),
        ("partner_lead", False),
        ("administrator", False),
    ],
)
def test_navigation_shows_problems_to_police_roles_only(world: World, persona: str, shown: bool) -> None:
    text = _client(world, persona).get(reverse("home")).text
    assert (f'href="{reverse("problem-list")}">Problems</a>' in text) is shown


def test_problems_is_the_current_section_on_problem_pages(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    text = _client(world, "officer").get(reverse("problem-edit", args=[problem.pk])).text
    assert f'href="{reverse("problem-list")}" aria-current="page">Problems</a>' in text


def test_supervisor_home_lists_the_forces_problems_in_assessment_not_yet_signed_off(world: World) -> None:
    from tests.partnerships.factories import PoliceForceFactory

    officer = world.users["officer"]
    waiting = ProblemFactory(force=world.force, owner=officer, stage=Stage.ASSESSMENT, title="Waiting for you")
    ProblemFactory(
        force=world.force,
        owner=officer,
        stage=Stage.ASSESSMENT,
        title="Already signed",
        signed_off_by=world.users["supervisor"],
        signed_off_at=timezone.now(),
    )
    ProblemFactory(force=world.force, owner=officer, stage=Stage.RESPONSE, title="Still responding")
    elsewhere = PoliceForceFactory(name="Southshire Police")
    ProblemFactory(
        force=elsewhere,
        owner=UserFactory(role=Role.OFFICER, organisation=elsewhere),
        stage=Stage.ASSESSMENT,
        title="Another force's",
    )

    response = _client(world, "supervisor").get(reverse("home"))

    assert [p.pk for p in response.context["awaiting_sign_off"]] == [waiting.pk]
    panel = response.text.split("data-awaiting-sign-off", 1)[1].split("</ul>", 1)[0]
    assert reverse("problem-detail", args=[waiting.pk]) in panel
    assert "Already signed" not in response.text
    assert "Another force" not in response.text


def test_supervisor_home_names_the_teams_reminders_that_could_not_be_sent(world: World) -> None:
    from core.models import Reminder, ReminderState
    from tests.partnerships.factories import PoliceForceFactory

    def reminder(recipient: object, title: str, state: str = ReminderState.FAILED) -> Reminder:
        return Reminder.objects.create(
            kind="problems.review_overdue",
            target_type="problems.problem",
            target_id=title,
            due_date=_days(0),
            recipient=recipient,
            template="emails/x",
            title=title,
            link="/",
            state=state,
        )

    reminder(world.users["officer"], "Review of PRB-1 overdue")
    reminder(world.users["officer"], "Review of PRB-2 due today", state=ReminderState.SENT)
    stranger = UserFactory(role=Role.OFFICER, organisation=PoliceForceFactory(name="Southshire Police"))
    reminder(stranger, "Another force's reminder")
    old = reminder(world.users["officer"], "Long ago")
    Reminder.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))

    response = _client(world, "supervisor").get(reverse("home"))

    panel = response.text.split("data-failed-reminders", 1)[1].split("</ul>", 1)[0]
    assert "Review of PRB-1 overdue" in panel
    assert world.users["officer"].full_name in panel
    assert "PRB-2" not in panel
    assert "Another force" not in panel
    assert "Long ago" not in panel


def test_supervisor_home_says_when_nothing_awaits_sign_off_and_every_reminder_went_out(world: World) -> None:
    response = _client(world, "supervisor").get(reverse("home"))

    assert "No problem in assessment is waiting for a sign-off." in response.text
    assert "Every reminder email of the last 30 days went out." in response.text
    assert "will be listed here" not in response.text


def test_my_problems_shows_the_first_of_each_stage_with_how_many_there_are(world: World) -> None:
    officer = world.users["officer"]
    for n in range(MY_PROBLEMS_PER_STAGE + 3):
        ProblemFactory(force=world.force, owner=officer, stage=Stage.ANALYSIS, next_review_date=_days(30 + n))
    soonest = ProblemFactory(force=world.force, owner=officer, stage=Stage.ANALYSIS, next_review_date=_days(1))
    ProblemFactory(force=world.force, owner=officer, stage=Stage.RESPONSE, next_review_date=_days(5))

    response = _client(world, "officer").get(reverse("home"))
    groups = {group["stage"]: group for group in response.context["my_problems_by_stage"]}
    text = response.content.decode()

    assert response.context["my_problem_count"] == MY_PROBLEMS_PER_STAGE + 5
    assert len(groups[Stage.ANALYSIS]["problems"]) == MY_PROBLEMS_PER_STAGE
    assert groups[Stage.ANALYSIS]["problems"][0] == soonest  # soonest review first
    assert (groups[Stage.ANALYSIS]["total"], groups[Stage.ANALYSIS]["more"]) == (MY_PROBLEMS_PER_STAGE + 4, 4)
    assert (groups[Stage.RESPONSE]["total"], groups[Stage.RESPONSE]["more"]) == (1, 0)
    assert f"Analysis ({MY_PROBLEMS_PER_STAGE + 4})" in text
    assert "and 4 more in analysis" in text
    assert 'data-more-in-stage="response"' not in text
    assert [p.pk for p in response.context["reviews_due"]] == [soonest.pk]


def test_my_problems_counts_each_stage_up_to_a_limit_and_says_more_than(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage's count stops at MY_PROBLEMS_COUNT_LIMIT (a home page never counts everything an
    officer leads): beyond it the panel says "more than"."""
    monkeypatch.setattr(police, "MY_PROBLEMS_COUNT_LIMIT", 3)
    monkeypatch.setattr(police, "MY_PROBLEMS_PER_STAGE", 2)
    officer = world.users["officer"]
    for n in range(5):
        ProblemFactory(force=world.force, owner=officer, stage=Stage.ANALYSIS, next_review_date=_days(n))
    ProblemFactory(force=world.force, owner=officer, stage=Stage.RESPONSE, next_review_date=_days(1))

    response = _client(world, "officer").get(reverse("home"))
    groups = {group["stage"]: group for group in response.context["my_problems_by_stage"]}
    text = response.content.decode()

    assert (groups[Stage.ANALYSIS]["total"], groups[Stage.ANALYSIS]["capped"]) == (3, True)
    assert (groups[Stage.RESPONSE]["total"], groups[Stage.RESPONSE]["capped"]) == (1, False)
    assert "Analysis (more than 3)" in text
    assert "and more in analysis" in text
    assert "You lead more than 4 open problems." in text
    assert "Response (1)" in text
