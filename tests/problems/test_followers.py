"""Following a problem: who may follow, what followers are told (and what they are not: the actor
is never told of their own move, and a follower who can no longer see the problem is told
nothing), and the daily digest for followers who ask for it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.models import AuditEvent, Notification, Reminder, ReminderState
from core.reminders import reminders_send, sweep_run
from problems.forms.following import FOLLOW_CHOICE_INVALID
from problems.models import Problem, ProblemFollower, Stage
from problems.selectors.access import problem_viewers, problems_visible_to
from problems.services.contributions import problem_update_add
from problems.services.decisions import decision_record
from problems.services.following import FOLLOW_NOT_VISIBLE, problem_follow, problem_unfollow
from problems.services.notifications import (
    DIGEST_KIND,
    STAGE_MOVED,
    UPDATE_ADDED,
    notification_title,
    problem_notify,
)
from problems.services.sharing import share_revoke
from problems.services.stages import problem_advance_stage, problem_reopen
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db


def _problem(world: World, stage: str = Stage.SCANNING, **fields: Any) -> Problem:
    return problem_at(stage, force=world.force, owner=world.users["officer"], title="Street drinking", **fields)


def _told(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def _advance(world: World, problem: Problem) -> Problem:
    return problem_advance_stage(actor=world.users["officer"], problem=problem)


# --- what followers are told -----------------------------------------------------------------------


def test_a_follower_is_notified_of_a_stage_move(world: World) -> None:
    problem = _problem(world)
    supervisor = world.users["supervisor"]
    problem_follow(actor=supervisor, problem=problem)

    _advance(world, problem)

    (notification,) = Notification.objects.filter(recipient=supervisor)
    assert notification.title == f"{problem.reference} Street drinking: moved to analysis"
    assert notification.kind == f"problems.{STAGE_MOVED}"
    assert notification.link == reverse("problem-detail", kwargs={"pk": problem.pk})
    assert (notification.target_type, notification.target_id) == ("problems.problem", str(problem.pk))
    # In the app only: no digest was chosen, and a stage move sends nobody an email.
    assert not Reminder.objects.exists()


def test_the_actor_is_not_notified_of_their_own_move(world: World) -> None:
    problem = _problem(world)
    officer = world.users["officer"]
    problem_follow(actor=officer, problem=problem)
    problem_follow(actor=world.users["analyst"], problem=problem)

    _advance(world, problem)

    assert _told(officer) == []
    assert _told(world.users["analyst"]) == [f"{problem.reference} Street drinking: moved to analysis"]


def test_people_who_do_not_follow_are_not_told(world: World) -> None:
    _advance(world, _problem(world))
    assert not Notification.objects.exists()


def test_a_reopen_a_decision_and_an_update_tell_the_followers(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    supervisor = world.users["supervisor"]
    problem_follow(actor=supervisor, problem=problem)
    officer = world.users["officer"]

    problem_update_add(actor=officer, problem=problem, text="Spoke to the shopkeepers.")
    decision_record(
        actor=officer,
        problem=problem,
        information="Calls for service",
        threat_and_risk="Medium",
        powers_and_policy="ASB powers",
        options="Patrols; dispersal order",
        decision_and_action="Patrols",
        code_of_ethics="Proportionate",
    )
    problem_reopen(actor=officer, problem=problem, to_stage=Stage.SCANNING, reason="Rethink the statement.")

    ref = f"{problem.reference} Street drinking"
    assert _told(supervisor) == [f"{ref}: update added", f"{ref}: decision recorded", f"{ref}: reopened at scanning"]


def test_a_follower_who_can_no_longer_see_the_problem_gets_nothing(world: World) -> None:
    shared = share(world, _problem(world))
    problem = shared.problem
    member, supervisor = world.users["partner_member"], world.users["supervisor"]
    problem_follow(actor=member, problem=problem)
    problem_follow(actor=supervisor, problem=problem)
    Notification.objects.all().delete()

    share_revoke(actor=world.users["officer"], share=shared, reason="Work finished.")
    _advance(world, problem)

    assert _told(member) == []
    assert _told(supervisor) == [f"{problem.reference} Street drinking: moved to analysis"]
    # Still a follower: told again if the problem is shared again.
    assert ProblemFollower.objects.filter(user=member, problem=problem).exists()


def test_a_follower_of_a_problem_since_restricted_gets_nothing(world: World) -> None:
    problem = _problem(world)
    analyst = world.users["analyst"]
    problem_follow(actor=analyst, problem=problem)
    Problem.objects.filter(pk=problem.pk).update(restricted=True)
    problem.refresh_from_db()

    _advance(world, problem)

    assert _told(analyst) == []


def test_a_deactivated_follower_gets_nothing(world: World) -> None:
    problem = _problem(world)
    analyst = world.users["analyst"]
    problem_follow(actor=analyst, problem=problem)
    User.objects.filter(pk=analyst.pk).update(is_active=False)

    _advance(world, problem)

    assert _told(analyst) == []


def test_extra_recipients_who_cannot_see_the_problem_get_nothing_and_nobody_is_told_twice(world: World) -> None:
    problem = _problem(world)
    supervisor, outsider = world.users["supervisor"], world.users["unrelated_partner"]
    problem_follow(actor=supervisor, problem=problem)
    told = problem_notify(
        problem=problem,
        event=UPDATE_ADDED,
        actor=world.users["officer"],
        extra_recipients=[supervisor, outsider, world.users["officer"]],
        email_recipients=[supervisor, outsider],
    )
    assert told == 1
    assert _told(supervisor) == [f"{problem.reference} Street drinking: update added"]
    assert _told(outsider) == []
    assert list(Reminder.objects.values_list("recipient_id", flat=True)) == [supervisor.pk]


def test_the_fan_out_takes_the_same_queries_for_one_and_five_followers(world: World) -> None:
    # 1 the recipients (followers, named people and who can see the problem, in one query),
    # 2 the notifications (one INSERT).
    counts = []
    for followers in (1, 5):
        problem = _problem(world)
        for _ in range(followers):
            problem_follow(actor=UserFactory(role=Role.OFFICER, organisation=world.force), problem=problem)
        with CaptureQueriesContext(connection) as queries:
            problem_notify(problem=problem, event=UPDATE_ADDED, actor=world.users["officer"])
        counts.append(len(queries))
        assert Notification.objects.filter(target_id=str(problem.pk)).count() == followers
    assert counts == [2, 2]


def test_a_long_title_is_shortened_to_fit(world: World) -> None:
    problem = ProblemFactory(force=world.force, title="x" * 200)
    title = notification_title(problem, "shared with Northshire City Council")
    assert len(title) == 200
    assert title.endswith("…: shared with Northshire City Council")
    assert title.startswith(problem.reference)


def test_unknown_events_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="Unknown problem event"):
        problem_notify(problem=_problem(world), event="exploded", actor=None)


# --- who may be told: the visibility rule asked the other way round ------------------------------


def test_problem_viewers_agrees_with_problems_visible_to_for_every_persona(world: World) -> None:
    plain = ProblemFactory(force=world.force, owner=world.users["officer"])
    restricted = ProblemFactory(
        force=world.force, owner=world.users["officer"], restricted=True, named=[world.users["analyst"]]
    )
    restricted_unnamed = ProblemFactory(force=world.force, owner=world.users["supervisor"], restricted=True)
    shared = share(world).problem
    revoked = share(world)
    share_revoke(actor=world.users["officer"], share=revoked, reason="Done.")
    other_force = ProblemFactory(force=PoliceForceFactory())
    users = User.objects.filter(pk__in=[user.pk for user in world.users.values()])
    for problem in (plain, restricted, restricted_unnamed, shared, revoked.problem, other_force):
        viewers = set(problem_viewers(problem, users))
        expected = {user for user in world.users.values() if problems_visible_to(user).filter(pk=problem.pk).exists()}
        assert viewers == expected, problem


# --- following and stopping ------------------------------------------------------------------------


def test_following_and_stopping_are_audited_and_idempotent(world: World) -> None:
    problem = _problem(world)
    analyst = world.users["analyst"]
    problem_follow(actor=analyst, problem=problem)
    problem_follow(actor=analyst, problem=problem)
    problem_follow(actor=analyst, problem=problem, digest=True)
    assert ProblemFollower.objects.get(user=analyst, problem=problem).digest is True
    assert problem_unfollow(actor=analyst, problem=problem) is True
    assert problem_unfollow(actor=analyst, problem=problem) is False
    verbs = list(AuditEvent.objects.filter(actor=analyst).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["problems.problem.followed", "problems.problem.follow_changed", "problems.problem.unfollowed"]


def test_someone_who_cannot_see_the_problem_cannot_follow_it(world: World) -> None:
    problem = _problem(world)
    with pytest.raises(PermissionDenied, match=FOLLOW_NOT_VISIBLE):
        problem_follow(actor=world.users["partner_member"], problem=problem)
    assert not ProblemFollower.objects.exists()


def _client(user: User) -> Client:
    return sign_in(Client(), user)


def test_the_problem_page_offers_to_follow_and_the_button_follows(world: World) -> None:
    problem = _problem(world)
    analyst = world.users["analyst"]
    client = _client(analyst)
    url = reverse("problem-follow", kwargs={"pk": problem.pk})
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert f'action="{url}"' in page.text
    assert "Follow this problem" in page.text

    response = client.post(url, {"choice": "follow", "digest": "on"})

    assert response.status_code == 302
    assert ProblemFollower.objects.get(user=analyst, problem=problem).digest is True
    page = client.get(response["Location"])
    assert "You follow this problem" in page.text
    assert "Stop following" in page.text
    client.post(url, {"choice": "unfollow"})
    assert not ProblemFollower.objects.exists()


def test_a_partner_who_can_see_the_problem_may_follow_it(world: World) -> None:
    problem = share(world, _problem(world)).problem
    response = _client(world.users["partner_member"]).post(
        reverse("problem-follow", kwargs={"pk": problem.pk}), {"choice": "follow"}
    )
    assert response.status_code == 302
    assert ProblemFollower.objects.filter(user=world.users["partner_member"], problem=problem, digest=False).exists()


def test_a_bad_choice_changes_nothing_and_says_why(world: World) -> None:
    problem = _problem(world)
    client = _client(world.users["analyst"])
    response = client.post(reverse("problem-follow", kwargs={"pk": problem.pk}), {"choice": "explode"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [FOLLOW_CHOICE_INVALID]
    assert not ProblemFollower.objects.exists()
    assert client.get(reverse("problem-follow", kwargs={"pk": problem.pk})).status_code == 405


def test_an_outsider_gets_404_and_follows_nothing(world: World) -> None:
    problem = _problem(world)
    response = _client(world.users["unrelated_partner"]).post(
        reverse("problem-follow", kwargs={"pk": problem.pk}), {"choice": "follow"}
    )
    assert response.status_code == 404
    assert not ProblemFollower.objects.exists()


# --- the daily digest --------------------------------------------------------------------------------


def _run_digest(on: datetime.date, capture: Any) -> None:
    with capture(execute=False):
        sweep_run("problems.follower_digest", today=on)
    due = list(Reminder.objects.filter(kind=DIGEST_KIND, state=ReminderState.DUE).values_list("pk", flat=True))
    reminders_send(reminder_ids=due)


def test_the_daily_digest_sends_one_email_per_digest_follower_with_their_items_and_nothing_twice(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    first, second = _problem(world), _problem(world)
    Problem.objects.filter(pk=second.pk).update(title="Graffiti")
    second.refresh_from_db()
    supervisor, analyst, other = world.users["supervisor"], world.users["analyst"], world.users["deactivated"]
    problem_follow(actor=supervisor, problem=first, digest=True)
    problem_follow(actor=supervisor, problem=second, digest=True)
    problem_follow(actor=analyst, problem=first, digest=True)
    problem_follow(actor=analyst, problem=second)  # in the app only: not in the digest
    problem_follow(actor=other, problem=first)  # no digest at all
    _advance(world, first)
    _advance(world, second)
    # What the analyst has read is not in the digest.
    Notification.objects.filter(recipient=analyst, target_id=str(second.pk)).update(read_at=timezone.now())

    _run_digest(today, django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {supervisor.email, analyst.email}
    moved_first = f"{first.reference} Street drinking: moved to analysis"
    moved_second = f"{second.reference} Graffiti: moved to analysis"
    assert moved_first in by_recipient[supervisor.email].body
    assert moved_second in by_recipient[supervisor.email].body
    assert moved_first in by_recipient[analyst.email].body
    assert second.reference not in by_recipient[analyst.email].body
    assert first.description not in by_recipient[supervisor.email].body

    # The same day again, and the next day with no news: nothing more.
    _run_digest(today, django_capture_on_commit_callbacks)
    _run_digest(today + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2

    # New news the day after: only that.
    problem_update_add(actor=world.users["officer"], problem=first, text="Met the licensee.")
    _run_digest(today + datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    latest = mail.outbox[2:]
    for message in latest:
        assert f"{first.reference} Street drinking: update added" in message.body
        assert moved_first not in message.body


def test_the_digest_leaves_out_problems_the_follower_can_no_longer_see(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shared = share(world, _problem(world))
    problem, member = shared.problem, world.users["partner_member"]
    problem_follow(actor=member, problem=problem, digest=True)
    problem_update_add(actor=world.users["officer"], problem=problem, text="Met the licensee.")
    assert Notification.objects.filter(recipient=member, kind="problems.update_added").exists()

    share_revoke(actor=world.users["officer"], share=shared, reason="Work finished.")
    _run_digest(timezone.localdate(), django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox if message.to == [member.email]] == []
    assert not Reminder.objects.filter(kind=DIGEST_KIND).exists()


def test_the_digest_is_in_the_sweep_schedule() -> None:
    from django.conf import settings

    # Made by beat's sweep tick (core.reminders.sweeps_run_due) once a day from this time.
    assert settings.REMINDER_SWEEP_SCHEDULE["problems.follower_digest"] == {"at": "07:40"}
