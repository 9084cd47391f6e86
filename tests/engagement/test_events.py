"""Engagement events: quick to log (the common case needs only the kind and the neighbourhood),
checked, audited, changed only by the force's officers and supervisors, seen by the neighbourhood's
partnership, and listed in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from engagement.models import Channel, EngagementEvent, EventKind
from engagement.services.events import EVENT_CANNOT_RECORD, EVENT_DATE_IN_FUTURE, event_create, event_update
from tests.conftest import World, sign_in
from tests.engagement.factories import groups, make_event, neighbourhood_for
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

pytestmark = pytest.mark.django_db


def test_officer_logs_a_meeting_with_only_the_kind_and_neighbourhood_and_gets_todays_date_in_person(
    world: World,
) -> None:
    eastgate = neighbourhood_for(world)
    event = event_create(actor=world.users["officer"], neighbourhood=eastgate, kind=EventKind.PUBLIC_MEETING)
    assert event.held_on == timezone.localdate()
    assert event.channel == Channel.IN_PERSON
    audit = AuditEvent.objects.get(verb="engagement.event.created")
    assert audit.actor == world.users["officer"]
    assert audit.target_id == str(event.pk)


def test_quick_log_form_logs_a_public_meeting_with_attendees_groups_and_issues(world: World) -> None:
    eastgate = neighbourhood_for(world)
    young = groups("Young people")[0]
    client = sign_in(Client(), world.users["officer"])
    page = client.get(reverse("event-create"))
    assert page.context["form"].initial["held_on"] == timezone.localdate()
    response = client.post(
        reverse("event-create"),
        {
            "kind": EventKind.PUBLIC_MEETING,
            "neighbourhood": eastgate.pk,
            "held_on": timezone.localdate().isoformat(),
            "channel": Channel.IN_PERSON,
            "attendees": "32",
            "groups_represented": [young.pk],
            "issues_raised": "Street drinking at the parade.",
        },
    )
    event = EngagementEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("event-detail", kwargs={"pk": event.pk})
    assert event.attendees == 32
    assert list(event.groups_represented.all()) == [young]
    assert event.issues_raised == "Street drinking at the parade."


def test_event_in_the_future_is_refused_and_the_form_keeps_what_was_typed(world: World) -> None:
    eastgate = neighbourhood_for(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("event-create"),
        {
            "kind": EventKind.PUBLIC_MEETING,
            "neighbourhood": eastgate.pk,
            "held_on": tomorrow.isoformat(),
            "channel": Channel.IN_PERSON,
            "place": "Eastgate Library",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-error-summary" in text
    assert EVENT_DATE_IN_FUTURE in text
    assert 'value="Eastgate Library"' in text
    assert not EngagementEvent.objects.exists()


def test_invalid_attendees_and_missing_kind_show_errors_and_change_nothing(world: World) -> None:
    eastgate = neighbourhood_for(world)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("event-create"),
        {"neighbourhood": eastgate.pk, "held_on": "not a date", "channel": "carrier pigeon", "attendees": "-3"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"kind", "held_on", "channel", "attendees"}
    assert not EngagementEvent.objects.exists()


def test_officer_of_another_force_cannot_log_engagement_in_our_neighbourhood(world: World) -> None:
    eastgate = neighbourhood_for(world)
    from tests.accounts.factories import UserFactory

    stranger = UserFactory(role="officer", organisation=PoliceForceFactory())
    with pytest.raises(PermissionDenied, match=EVENT_CANNOT_RECORD):
        event_create(actor=stranger, neighbourhood=eastgate, kind=EventKind.VISIBLE_PATROL)
    response = sign_in(Client(), stranger).post(
        reverse("event-create"),
        {"kind": EventKind.VISIBLE_PATROL, "neighbourhood": eastgate.pk, "channel": "in_person"},
    )
    assert response.status_code == 200  # the neighbourhood is not a choice for them
    assert "neighbourhood" in response.context["form"].errors
    assert not EngagementEvent.objects.exists()


def test_partner_reader_cannot_log_or_edit_engagement(world: World) -> None:
    eastgate = neighbourhood_for(world)
    event = make_event(eastgate, by=world.users["officer"])
    with pytest.raises(PermissionDenied):
        event_create(actor=world.users["partner_lead"], neighbourhood=eastgate, kind=EventKind.PUBLIC_MEETING)
    client = sign_in(Client(), world.users["partner_lead"])
    assert client.get(reverse("event-detail", kwargs={"pk": event.pk})).status_code == 200
    response = client.post(reverse("event-edit", kwargs={"pk": event.pk}), {"kind": EventKind.OTHER})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.kind == EventKind.PUBLIC_MEETING


def test_unrelated_partner_gets_404_for_an_event(world: World) -> None:
    event = make_event(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["unrelated_partner"]).get(reverse("event-detail", kwargs={"pk": event.pk}))
    assert response.status_code == 404


def test_supervisor_edits_an_event_and_the_change_is_audited(world: World) -> None:
    eastgate = neighbourhood_for(world)
    event = make_event(eastgate, by=world.users["officer"], attendees=10)
    response = sign_in(Client(), world.users["supervisor"]).post(
        reverse("event-edit", kwargs={"pk": event.pk}),
        {
            "kind": EventKind.PACT_MEETING,
            "neighbourhood": eastgate.pk,
            "held_on": event.held_on.isoformat(),
            "channel": Channel.ONLINE,
            "attendees": "12",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.channel, event.attendees) == (EventKind.PACT_MEETING, Channel.ONLINE, 12)
    detail = AuditEvent.objects.get(verb="engagement.event.updated").detail
    assert detail["attendees"] == {"before": 10, "after": 12}


def test_event_cannot_move_to_a_neighbourhood_of_another_force(world: World) -> None:
    event = make_event(neighbourhood_for(world), by=world.users["officer"])
    elsewhere = NeighbourhoodFactory(organisation=PoliceForceFactory())
    with pytest.raises(PermissionDenied):
        event_update(actor=world.users["officer"], event=event, neighbourhood=elsewhere)


def test_linking_a_problem_the_officer_cannot_see_is_refused(world: World) -> None:
    from tests.problems.factories import ProblemFactory

    hidden = ProblemFactory(force=PoliceForceFactory())
    with pytest.raises(ValidationError) as error:
        event_create(
            actor=world.users["officer"],
            neighbourhood=neighbourhood_for(world),
            kind=EventKind.PUBLIC_MEETING,
            problems=[hidden],
        )
    assert "problems" in error.value.error_dict


def test_event_list_shows_partners_only_their_partnerships_events(world: World) -> None:
    make_event(neighbourhood_for(world, name="Eastgate"), by=world.users["officer"], place="Shared place")
    make_event(NeighbourhoodFactory(organisation=world.force), by=world.users["officer"], place="Private place")
    partner = sign_in(Client(), world.users["partner_member"]).get(reverse("event-list")).content.decode()
    assert "Shared place" in partner
    assert "Private place" not in partner
    officer = sign_in(Client(), world.users["officer"]).get(reverse("event-list")).content.decode()
    assert "Shared place" in officer
    assert "Private place" in officer


def test_event_list_keeps_the_same_query_count_with_1_and_with_5_events(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    client = sign_in(Client(), world.users["officer"])

    def count(rows: int) -> None:
        while EngagementEvent.objects.count() < rows:
            make_event(eastgate, by=world.users["officer"], groups_represented=groups("Young people", "Students"))
        # 1 the session, 2 the user, 3 the OTP device, 4 the page count, 5 the page of events with
        # their neighbourhoods and group counts, 6 the neighbourhoods for the filter.
        with django_assert_num_queries(6):
            response = client.get(reverse("event-list"))
        assert len(response.context["page"]) == rows

    count(1)
    count(5)


def test_event_page_keeps_the_same_query_count_with_1_and_with_5_groups_and_organisations(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from tests.partnerships.factories import OrganisationFactory

    eastgate = neighbourhood_for(world)
    all_groups = groups("Young people", "Older people", "Students", "Business owners", "Faith communities")
    for rows in (1, 5):
        event = make_event(
            eastgate,
            by=world.users["officer"],
            groups_represented=all_groups[:rows],
            organisations=[OrganisationFactory() for _ in range(rows)],
        )
        client = sign_in(Client(), world.users["officer"])
        # 1 the session, 2 the user, 3 the OTP device, 4 the event with its neighbourhood and
        # author, 5 its organisations, 6 its groups, 7 its priorities, 8 the linked problems the
        # user may see.
        with django_assert_num_queries(8):
            response = client.get(reverse("event-detail", kwargs={"pk": event.pk}))
        assert response.status_code == 200


def test_editing_an_event_keeps_its_link_to_a_problem_closed_since(world: World) -> None:
    from problems.models import Stage
    from tests.problems.factories import ProblemFactory

    eastgate = neighbourhood_for(world)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED)
    event = make_event(eastgate, by=world.users["officer"])
    event.problems.add(problem)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("event-edit", kwargs={"pk": event.pk}),
        {
            "kind": event.kind,
            "neighbourhood": eastgate.pk,
            "held_on": event.held_on.isoformat(),
            "channel": Channel.IN_PERSON,
            "problems": [problem.pk],
        },
    )
    assert response.status_code == 302
    assert list(event.problems.all()) == [problem]
