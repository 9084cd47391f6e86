"""Partnership tasking meetings (issue 21): the agenda built from the partnership's open shared
problems, overdue actions and new referrals; minutes; joint decisions recorded into each
problem's decision log naming the organisations present; actions assigned to attendees'
organisations; attendance by organisation over time."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from problems.models import AgendaItemKind, DecisionLogEntry, Problem, ResponseAction, Stage, TaskingMeeting
from problems.services.meetings import (
    ACTION_NOT_ATTENDEE,
    MEETING_NO_ORGANISATIONS,
    agenda_item_minutes_set,
    meeting_action_assign,
    meeting_decision_record,
)
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_partnerships import add_member
from tests.problems.factories_meetings import meeting, world_partnership
from tests.problems.factories_referrals import partner_led_problem, referral
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import canary_problem

pytestmark = pytest.mark.django_db

NDM = {
    "information": "Cleansing logs show 14 tips in four weeks.",
    "threat_and_risk": "Fire risk to the shops; rats reported.",
    "powers_and_policy": "Environmental Protection Act 1990 s.33.",
    "options": "Cameras; gating the service road; doing nothing.",
    "decision_and_action": "Gate the service road; council to fund, police to patrol.",
    "code_of_ethics": "Proportionate: no one is named.",
}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_the_agenda_holds_open_shared_problems_overdue_actions_and_new_referrals(world):
    led = partner_led_problem(world, stage=Stage.RESPONSE)
    unshared = canary_problem(world)
    overdue = ResponseActionFactory(problem=led, responsible_organisation=world.partner, due_date=_days(-3))
    ResponseActionFactory(problem=led, responsible_organisation=world.partner, due_date=_days(3))
    made = referral(world, partnership=world_partnership(world))
    held = meeting(world)
    items = list(held.items.all())
    assert [(i.kind, i.problem_id or i.action_id or i.referral_id) for i in items] == [
        (AgendaItemKind.PROBLEM, led.pk),
        (AgendaItemKind.OVERDUE_ACTION, overdue.pk),
        (AgendaItemKind.REFERRAL, made.pk),
    ]
    assert unshared.pk not in {i.problem_id for i in items}


def test_a_meeting_needs_its_attending_organisations(world):
    with pytest.raises(ValidationError) as raised:
        meeting(world, organisations=[])
    assert raised.value.message_dict["organisations"] == [MEETING_NO_ORGANISATIONS]
    assert not TaskingMeeting.objects.exists()


def test_a_joint_decision_at_the_meeting_goes_into_the_problem_log_naming_the_organisations_present(world):
    led = partner_led_problem(world)
    held = meeting(world)
    item = held.items.get(problem=led)
    decision = meeting_decision_record(actor=world.users["partner_member"], item=item, **NDM)
    entry = DecisionLogEntry.objects.get(problem=led)
    assert decision.entry == entry
    assert entry.is_joint
    assert list(entry.partner_organisations.all()) == [world.partner]
    assert world.force.name in entry.information
    assert world.partner.name in entry.information
    assert "Organisations present" in entry.information


def test_the_force_may_not_write_the_log_of_a_problem_the_council_leads(world):
    led = partner_led_problem(world)
    item = meeting(world).items.get(problem=led)
    with pytest.raises(PermissionDenied):
        meeting_decision_record(actor=world.users["officer"], item=item, **NDM)
    assert not DecisionLogEntry.objects.exists()


def test_an_action_is_assigned_to_an_attending_organisation(world):
    led = partner_led_problem(world, stage=Stage.RESPONSE)
    absent = OrganisationFactory(name="Northshire Fire and Rescue")
    add_member(world_partnership(world), absent)
    item = meeting(world).items.get(problem=led)
    with pytest.raises(ValidationError) as raised:
        meeting_action_assign(
            actor=world.users["partner_member"],
            item=item,
            organisation=absent,
            description="Fit the gate",
            intervention_kind="situational",
            due_date=_days(14),
        )
    assert raised.value.message_dict["organisation"] == [ACTION_NOT_ATTENDEE]
    action = meeting_action_assign(
        actor=world.users["partner_member"],
        item=item,
        organisation=world.force,
        description="Patrol the service road",
        intervention_kind="enforcement",
        due_date=_days(14),
    )
    assert ResponseAction.objects.get(pk=action.pk).responsible_organisation == world.force


def test_minutes_are_kept_per_item_and_hidden_from_those_who_cannot_see_the_problem(world, client):
    led = partner_led_problem(world)
    held = meeting(world)
    item = held.items.get(problem=led)
    agenda_item_minutes_set(actor=world.users["officer"], item=item, minutes="Council to price a gate.")
    sign_in(client, world.users["partner_member"])
    page = client.get(reverse("meeting-detail", kwargs={"pk": held.pk})).content.decode()
    assert "Council to price a gate." in page
    assert led.title in page
    printed = client.get(reverse("meeting-print", kwargs={"pk": held.pk})).content.decode()
    assert "Council to price a gate." in printed
    # A member organisation the problem is not shared with sees the item withheld.
    other = OrganisationFactory(name="Northshire Housing")
    add_member(world_partnership(world), other)
    outsider = UserFactory(role="partner_lead", organisation=other)
    client.logout()
    sign_in(client, outsider)
    page = client.get(reverse("meeting-detail", kwargs={"pk": held.pk})).content.decode()
    assert "Council to price a gate." not in page
    assert led.title not in page
    assert client.get(reverse("meeting-item-minutes", kwargs={"pk": item.pk})).status_code == 404


def test_the_meeting_form_builds_the_agenda_and_an_invalid_one_changes_nothing(world, client):
    partner_led_problem(world)
    partnership = world_partnership(world)
    sign_in(client, world.users["officer"])
    url = reverse("meeting-create", kwargs={"pk": partnership.pk})
    bad = client.post(url, {"held_on": "not a date", "title": "March tasking"})
    assert bad.status_code == 200
    assert "March tasking" in bad.content.decode()
    assert not TaskingMeeting.objects.exists()
    response = client.post(
        url, {"held_on": timezone.localdate().isoformat(), "organisations": [world.force.pk, world.partner.pk]}
    )
    held = TaskingMeeting.objects.get()
    assert response["Location"] == reverse("meeting-detail", kwargs={"pk": held.pk})
    assert held.items.count() == 1


def test_attendance_over_time_names_who_has_stopped_coming(world, client):
    partnership = world_partnership(world)
    meeting(world, held_on=_days(-40))
    for days in (-30, -20, -10):
        meeting(world, held_on=_days(days), organisations=[world.force])
    sign_in(client, world.users["supervisor"])
    page = client.get(reverse("partnership-meetings", kwargs={"pk": partnership.pk})).content.decode()
    council_row = page.split(f'data-attendance="{world.partner.name}"')[1].split("</tr>")[0]
    force_row = page.split(f'data-attendance="{world.force.name}"')[1].split("</tr>")[0]
    assert "Has stopped coming" in council_row
    assert "Has stopped coming" not in force_row


def test_the_meeting_page_keeps_its_query_count_with_1_and_with_5_items(world, client, django_assert_num_queries):
    sign_in(client, world.users["partner_member"])

    def count(rows: int) -> None:
        while Problem.objects.filter(lead_organisation=world.partner).count() < rows:
            partner_led_problem(world)
        held = meeting(world)
        url = reverse("meeting-detail", kwargs={"pk": held.pk})
        client.get(url)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the meeting with
        # its partnership (visible partnerships in a subquery), 5 the items with their problems,
        # actions and referrals, 6 their decisions with entries, 7 the problems of these the user
        # may see, 8 the organisations present, 9 the people present.
        with django_assert_num_queries(9):
            response = client.get(url)
        assert len(response.context["rows"]) == rows

    count(1)
    count(5)


def test_the_partnership_page_shows_the_attendance_and_the_administrator_sees_none(world, client):
    partnership = world_partnership(world)
    meeting(world, held_on=_days(-40))
    for days in (-30, -20, -10):
        meeting(world, held_on=_days(days), organisations=[world.force])
    sign_in(client, world.users["partner_lead"])
    page = client.get(reverse("partnership-detail", kwargs={"pk": partnership.pk})).content.decode()
    council_row = page.split(f'data-attendance="{world.partner.name}"')[1].split("</tr>")[0]
    assert "Has stopped coming" in council_row
    client.logout()
    sign_in(client, world.users["administrator"])
    page = client.get(reverse("partnership-detail", kwargs={"pk": partnership.pk})).content.decode()
    assert "data-attendance-panel" not in page
    assert "data-health-panel" not in page
