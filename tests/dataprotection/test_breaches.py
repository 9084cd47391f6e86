"""The breach log: recording a breach and its actions, the reporting decision, and the reminders
of the 72-hour deadline to the force's data protection officers, each sent once at each threshold
(24 hours before, 4 hours before, overdue), run against a clock the test sets."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent, Notification, Reminder, ReminderState
from core.reminders import reminders_create, reminders_send, sweep_run
from dataprotection.forms import FOUND_REQUIRED, SUMMARY_REQUIRED
from dataprotection.models import Breach, BreachStatus
from dataprotection.reminders import (
    DUE_IN_4_HOURS,
    DUE_IN_24_HOURS,
    OVERDUE,
    SWEEP_NAME,
    breach_deadline_reminders,
)
from dataprotection.services.breaches import (
    ACTION_ALREADY_DONE,
    NOT_DPO,
    NOT_REPORTABLE_NEEDS_REASON,
    OCCURRED_AFTER_FOUND,
    REPORTED_NEEDS_TIME,
    SHARE_NOT_OURS,
    breach_action_add,
    breach_action_complete,
    breach_record,
    breach_update,
)
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.dataprotection.factories import make_action, make_breach
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _record(world: World, **fields: Any) -> Breach:
    return breach_record(
        actor=world.users["dpo"],
        summary=fields.pop("summary", "Case summary emailed to the wrong team"),
        description=fields.pop("description", "Sent to a council list outside the agreement."),
        found_at=fields.pop("found_at", timezone.now() - HOUR),
        **fields,
    )


# --- recording ----------------------------------------------------------------------------------


def test_the_dpo_records_a_breach_with_its_shares_and_agreements(world: World) -> None:
    shared = share(world)
    found = timezone.now() - 2 * HOUR

    breach = _record(
        world,
        found_at=found,
        occurred_at=found - 5 * HOUR,
        people_affected_count=3,
        people_affected_description="Three residents named in the summary.",
        shares=[shared],
        agreements=[shared.agreement],
    )

    assert breach.organisation == world.force
    assert breach.deadline == found + datetime.timedelta(hours=72)
    assert list(breach.shares.all()) == [shared]
    assert list(breach.agreements.all()) == [shared.agreement]
    event = AuditEvent.objects.get(verb="dataprotection.breach.recorded")
    assert event.actor == world.users["dpo"]
    assert event.detail["shares"] == [shared.pk]
    assert event.detail["people_affected_count"] == 3


def test_only_the_dpo_records_a_breach(world: World) -> None:
    with pytest.raises(PermissionDenied, match=NOT_DPO):
        breach_record(actor=world.users["supervisor"], summary="x", description="y", found_at=timezone.now() - HOUR)
    assert not Breach.objects.exists()


def test_a_share_of_another_forces_problem_is_refused(world: World) -> None:
    other_force = PoliceForceFactory(name="Southshire Police")
    theirs = share(world, organisation=world.partner)
    theirs.problem.owning_organisation = other_force
    theirs.problem.save(update_fields=["owning_organisation"])

    with pytest.raises(ValidationError) as raised:
        _record(world, shares=[theirs])

    assert raised.value.message_dict == {"shares": [SHARE_NOT_OURS]}
    assert not Breach.objects.exists()


def test_times_out_of_order_and_a_report_without_its_time_are_refused(world: World) -> None:
    found = timezone.now() - HOUR
    with pytest.raises(ValidationError) as raised:
        _record(world, found_at=found, occurred_at=found + HOUR / 2, status=BreachStatus.REPORTED)
    assert raised.value.message_dict == {
        "occurred_at": [OCCURRED_AFTER_FOUND],
        "reported_to_ico_at": [REPORTED_NEEDS_TIME],
    }
    with pytest.raises(ValidationError) as raised:
        _record(world, status=BreachStatus.NOT_REPORTABLE)
    assert raised.value.message_dict == {"decision_note": [NOT_REPORTABLE_NEEDS_REASON]}


def test_recording_the_report_changes_the_breach_with_an_audit_event(world: World) -> None:
    breach = _record(world)
    reported = timezone.now() - HOUR / 4

    breach_update(actor=world.users["dpo"], breach=breach, status=BreachStatus.REPORTED, reported_to_ico_at=reported)

    breach.refresh_from_db()
    assert (breach.status, breach.reported_to_ico_at) == (BreachStatus.REPORTED, reported)
    event = AuditEvent.objects.get(verb="dataprotection.breach.updated")
    assert event.detail["status"] == {"before": "open", "after": "reported"}


def test_actions_are_added_and_marked_done_once(world: World) -> None:
    breach = _record(world)
    dpo = world.users["dpo"]

    action = breach_action_add(actor=dpo, breach=breach, description="Ask the council to delete it.", owner="DPO")
    breach_action_complete(actor=dpo, action=action)

    assert action.is_done
    with pytest.raises(ValidationError, match=ACTION_ALREADY_DONE):
        breach_action_complete(actor=dpo, action=action)
    assert AuditEvent.objects.filter(verb="dataprotection.breach.action_done").count() == 1


# --- pages --------------------------------------------------------------------------------------


def test_recording_through_the_page_then_adding_and_completing_an_action(world: World) -> None:
    client = sign_in(Client(), world.users["dpo"])
    found = timezone.localtime() - 3 * HOUR

    response = client.post(
        reverse("breach-create"),
        {
            "summary": "Laptop left on a train",
            "description": "An unencrypted laptop with an export of engagement notes.",
            "found_at": found.strftime("%Y-%m-%dT%H:%M"),
            "people_affected_count": "12",
            "status": BreachStatus.OPEN,
        },
    )

    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("breach-detail", kwargs={"pk": breach.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Laptop left on a train" in page
    assert "data-deadline" in page
    client.post(reverse("breach-action-add", kwargs={"pk": breach.pk}), {"description": "Report the loss to BTP."})
    action = breach.actions.get()
    client.post(reverse("breach-action-done", kwargs={"pk": breach.pk, "action_pk": action.pk}))
    action.refresh_from_db()
    assert action.is_done


def test_an_incomplete_breach_form_shows_its_errors_and_keeps_what_was_typed(world: World) -> None:
    client = sign_in(Client(), world.users["dpo"])

    response = client.post(
        reverse("breach-create"),
        {"summary": "", "description": "Keep this text", "found_at": "", "people_affected_count": "many"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page
    assert SUMMARY_REQUIRED in page
    assert FOUND_REQUIRED in page
    assert "Keep this text" in page
    assert not Breach.objects.exists()


def test_another_forces_breach_is_not_found(world: World) -> None:
    theirs = make_breach(PoliceForceFactory(name="Southshire Police"))
    client = sign_in(Client(), world.users["dpo"])
    assert client.get(reverse("breach-detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("breach-edit", kwargs={"pk": theirs.pk})).status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_breach_list_query_count_does_not_grow_with_breaches(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    for _ in range(count):
        make_action(make_breach(world.force))
    client = sign_in(Client(), world.users["dpo"])
    # Session, user, OTP device; the capped count; the page of breaches with their open actions.
    with django_assert_num_queries(5):
        response = client.get(reverse("breach-list"))
    assert response.content.decode().count("data-breach=") == count


@pytest.mark.parametrize("actions", [1, 5])
def test_breach_page_query_count_does_not_grow_with_actions(
    world: World, actions: int, django_assert_num_queries: Any
) -> None:
    breach = make_breach(world.force)
    shared = share(world)
    breach.shares.set([shared])
    breach.agreements.set([shared.agreement])
    for _ in range(actions):
        make_action(breach)
    client = sign_in(Client(), world.users["dpo"])
    # Session, user, OTP device; the breach with who recorded it; its actions; its shares with
    # their problems and organisations; its agreements.
    with django_assert_num_queries(7):
        response = client.get(reverse("breach-detail", kwargs={"pk": breach.pk}))
    assert response.content.decode().count("data-action") == actions


# --- the deadline reminder ----------------------------------------------------------------------


def _sweep_and_send(now: datetime.datetime) -> list[Reminder]:
    """Run the sweep at `now`, send what is due, and return the rows it made."""
    before = set(Reminder.objects.values_list("pk", flat=True))
    reminders_create(breach_deadline_reminders(now=now))
    made = list(Reminder.objects.exclude(pk__in=before).order_by("pk"))
    reminders_send(reminder_ids=[r.pk for r in made])
    return made


def test_the_dpos_are_reminded_once_at_each_threshold_before_and_after_the_deadline(world: World) -> None:
    second_dpo = UserFactory(organisation=world.force, role=Role.DATA_PROTECTION_OFFICER)
    found = timezone.now().replace(microsecond=0) - datetime.timedelta(days=10)
    breach = make_breach(world.force, found_at=found)
    deadline = breach.deadline
    dpos = {world.users["dpo"].pk, second_dpo.pk}

    timeline = [
        (deadline - 25 * HOUR, set()),
        (deadline - 24 * HOUR, {DUE_IN_24_HOURS}),
        (deadline - 23 * HOUR, set()),
        (deadline - 5 * HOUR, set()),
        (deadline - 4 * HOUR + datetime.timedelta(minutes=10), {DUE_IN_4_HOURS}),
        (deadline - HOUR, set()),
        (deadline + datetime.timedelta(minutes=5), {OVERDUE}),
        (deadline + 30 * HOUR, set()),
    ]
    for now, kinds in timeline:
        made = _sweep_and_send(now)
        assert {r.kind for r in made} == kinds, now - deadline
        assert all({r.recipient_id for r in made if r.kind == kind} == dpos for kind in kinds)

    sent = Reminder.objects.filter(target_type="dataprotection.breach", target_id=str(breach.pk))
    assert sent.count() == 6
    assert set(sent.values_list("state", flat=True)) == {ReminderState.SENT}
    assert len(mail.outbox) == 6
    assert {message.to[0] for message in mail.outbox} == {world.users["dpo"].email, second_dpo.email}
    overdue = next(m for m in mail.outbox if "was due at" in m.subject)
    assert breach.reference in overdue.subject
    assert breach.summary not in overdue.body
    assert Notification.objects.filter(recipient=world.users["dpo"], kind=OVERDUE).count() == 1


def test_a_breach_recorded_late_gets_only_its_most_urgent_reminder(world: World) -> None:
    breach = make_breach(world.force, found_ago=datetime.timedelta(hours=70))
    made = _sweep_and_send(breach.deadline - HOUR)
    assert [r.kind for r in made] == [DUE_IN_4_HOURS]


def test_a_reported_or_not_reportable_breach_is_not_reminded(world: World) -> None:
    found = timezone.now() - datetime.timedelta(hours=71)
    make_breach(world.force, found_at=found, status=BreachStatus.REPORTED, reported_to_ico_at=found + HOUR)
    make_breach(world.force, found_at=found, status=BreachStatus.NOT_REPORTABLE, decision_note="Encrypted.")
    assert _sweep_and_send(found + datetime.timedelta(hours=80)) == []


def test_only_the_breach_forces_dpos_are_reminded(world: World) -> None:
    other_force = PoliceForceFactory(name="Southshire Police")
    other_dpo = UserFactory(organisation=other_force, role=Role.DATA_PROTECTION_OFFICER)
    breach = make_breach(world.force, found_ago=datetime.timedelta(hours=50))
    made = _sweep_and_send(breach.deadline - 20 * HOUR)
    assert [r.recipient_id for r in made] == [world.users["dpo"].pk]
    assert other_dpo.pk not in {r.recipient_id for r in made}


def test_the_registered_sweep_makes_the_rows_on_the_real_clock(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    breach = make_breach(world.force, found_ago=datetime.timedelta(hours=50))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sweep_run(SWEEP_NAME, today=timezone.localdate())
        sweep_run(SWEEP_NAME, today=timezone.localdate())
    row = Reminder.objects.get(target_type="dataprotection.breach", target_id=str(breach.pk))
    assert (row.kind, row.recipient_id, row.link) == (
        DUE_IN_24_HOURS,
        world.users["dpo"].pk,
        reverse("breach-detail", kwargs={"pk": breach.pk}),
    )
    assert len(queued) == 2
