"""The officer's home page "Engagement" panel: the events they recorded, most recent first, and the
adopted community priorities with no action yet in the neighbourhoods where they work (where they
own an open problem, or recorded an event in the last twelve months)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from engagement.models import Channel, EventKind, PriorityStatus
from partnerships.models import Neighbourhood
from problems.models import Stage
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.engagement.factories import add_action, groups, make_event, make_priority, neighbourhood_for
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _home(world: World) -> tuple[Client, str]:
    client = sign_in(Client(), world.users["officer"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response.text


def _panel(text: str, marker: str) -> str:
    """The list after `marker` (a data- attribute), up to its end."""
    assert marker in text, f"{marker} not in the page"
    return text.split(marker, 1)[1].split("</ul>", 1)[0]


def _other_force_neighbourhood(name: str) -> Neighbourhood:
    return NeighbourhoodFactory(name=name, slug=name.lower(), organisation=PoliceForceFactory(name="Southshire Police"))


def test_officer_home_lists_the_events_they_recorded_most_recent_first_with_their_details(world: World) -> None:
    officer = world.users["officer"]
    eastgate = neighbourhood_for(world, name="Eastgate")
    westgate = neighbourhood_for(world, name="Westgate")
    older = make_event(
        eastgate,
        by=officer,
        held_on=_days(-20),
        kind=EventKind.PACT_MEETING,
        attendees=23,
        groups_represented=groups("Young people", "Older people"),
    )
    newer = make_event(
        westgate,
        by=officer,
        held_on=_days(-2),
        kind=EventKind.SOCIAL_MEDIA,
        channel=Channel.SOCIAL_MEDIA,
        attendees=400,
    )
    unrecorded = make_event(eastgate, by=officer, held_on=_days(-5), kind=EventKind.VISIBLE_PATROL)
    make_event(eastgate, by=world.users["supervisor"], held_on=_days(-1), kind=EventKind.SCHOOL_VISIT)
    elsewhere = _other_force_neighbourhood("Farfield")
    stranger = UserFactory(role=Role.OFFICER, organisation=elsewhere.organisation)
    make_event(elsewhere, by=stranger, held_on=_days(-1), kind=EventKind.STREET_BRIEFING)

    _, text = _home(world)

    panel = _panel(text, "data-my-events")
    items = panel.split("<li>")[1:]
    assert len(items) == 3
    for event, item in zip((newer, unrecorded, older), items, strict=True):
        assert f'<a href="{reverse("event-detail", args=[event.pk])}">' in item
    assert f"PACT meeting, {older.held_on:%-d %b %Y}</a> in Eastgate: attendees 23" in items[2]
    assert "seldom-heard groups reached: Young people, Older people" in items[2]
    assert "in Westgate: reach 400" in items[0]
    assert "seldom-heard groups reached: none recorded" in items[0]
    assert "attendees not recorded" in items[1]
    assert "School visit" not in panel  # the supervisor's
    assert "Street briefing" not in panel  # another force's
    assert "Farfield" not in text


def test_officer_home_lists_adopted_priorities_without_an_action_where_they_work(world: World) -> None:
    officer = world.users["officer"]
    eastgate = neighbourhood_for(world, name="Eastgate")  # an open problem of theirs names it
    westgate = neighbourhood_for(world, name="Westgate")  # they recorded an event there
    northgate = neighbourhood_for(world, name="Northgate")  # their only problem there is closed
    southgate = neighbourhood_for(world, name="Southgate")  # their event there is over a year old
    elsewhere = neighbourhood_for(world, name="Riverside")  # a colleague's area
    ProblemFactory(force=world.force, owner=officer, neighbourhood=eastgate)
    ProblemFactory(force=world.force, owner=officer, neighbourhood=northgate, stage=Stage.CLOSED)
    ProblemFactory(force=world.force, owner=world.users["supervisor"], neighbourhood=elsewhere)
    make_event(westgate, by=officer, held_on=_days(-100))
    make_event(southgate, by=officer, held_on=_days(-400))
    make_event(elsewhere, by=world.users["supervisor"], held_on=_days(-1))

    waiting_longest = make_priority(
        eastgate, issue="Speeding on Eastgate Road", status=PriorityStatus.ADOPTED, issue_date=_days(-60)
    )
    in_progress = make_priority(
        westgate, issue="Litter by the Westgate flats", status=PriorityStatus.IN_PROGRESS, issue_date=_days(-10)
    )
    acted_on = make_priority(eastgate, issue="Parking on the pavement", status=PriorityStatus.ADOPTED)
    add_action(acted_on, "Leaflets delivered to every house.", _days(-1))
    make_priority(eastgate, issue="Noise from the late bar", status=PriorityStatus.PROPOSED)
    make_priority(eastgate, issue="Graffiti on the bridge", status=PriorityStatus.RESOLVED)
    make_priority(northgate, issue="Dog fouling in the park", status=PriorityStatus.ADOPTED)
    make_priority(southgate, issue="Cycling on pavements", status=PriorityStatus.ADOPTED)
    make_priority(elsewhere, issue="Riverside fly-tipping", status=PriorityStatus.ADOPTED)
    # Another force's neighbourhood with the name of the officer's problem's is not theirs to see.
    vale = _other_force_neighbourhood("Eastgate Vale")
    stranger = UserFactory(role=Role.OFFICER, organisation=vale.organisation)
    make_priority(vale, by=stranger, issue="Another force's priority", status=PriorityStatus.ADOPTED)
    ProblemFactory(force=world.force, owner=officer, neighbourhood="Eastgate Vale")

    client, text = _home(world)

    response = client.get(reverse("home"))
    assert [p.pk for p in response.context["priorities_awaiting_action"]] == [waiting_longest.pk, in_progress.pk]
    panel = _panel(text, "data-priorities-awaiting-action")
    assert f'<a href="{reverse("priority-detail", args=[waiting_longest.pk])}">Speeding on Eastgate Road</a>' in panel
    assert "(Eastgate), adopted, set" in panel
    assert f'<a href="{reverse("priority-detail", args=[in_progress.pk])}">Litter by the Westgate flats</a>' in panel
    assert "(Westgate), in progress" in panel
    for absent in ("Parking", "Noise", "Graffiti", "Dog fouling", "Cycling", "Riverside", "Another force"):
        assert absent not in panel


def test_officer_home_says_when_there_is_no_engagement_and_links_to_log_it(world: World) -> None:
    neighbourhood_for(world, name="Eastgate")
    ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Eastgate")

    _, text = _home(world)

    assert "You have not logged any engagement yet." in text
    assert "Every adopted priority in the neighbourhoods where you work has an action recorded." in text
    assert f'<a href="{reverse("event-create")}">Log engagement</a>' in text
    assert f'<a href="{reverse("event-list")}">See the engagement log</a>' in text
    assert "will be listed here" not in text
    assert "data-my-events" not in text


def test_officer_home_shows_the_latest_ten_events_and_priorities_and_links_to_the_rest(world: World) -> None:
    officer = world.users["officer"]
    eastgate = neighbourhood_for(world, name="Eastgate")
    events = [make_event(eastgate, by=officer, held_on=_days(-n)) for n in range(11)]
    priorities = [
        make_priority(eastgate, issue=f"Priority number {n}", status=PriorityStatus.ADOPTED, issue_date=_days(-n - 1))
        for n in range(11)
    ]

    client, text = _home(world)

    response = client.get(reverse("home"))
    assert [e.pk for e in response.context["my_events"]] == [e.pk for e in events[:10]]
    assert "Only your latest 10 are listed here." in text
    assert [p.pk for p in response.context["priorities_awaiting_action"]] == [p.pk for p in priorities[::-1][:10]]
    assert f'<a href="{reverse("priority-list")}?status=adopted">See every adopted priority</a>' in text


def test_officer_home_keeps_the_same_query_count_with_1_and_with_5_events_and_priorities(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    officer = world.users["officer"]
    client = sign_in(Client(), officer)
    eastgate = neighbourhood_for(world, name="Eastgate")

    def count_queries(rows: int) -> None:
        for n in range(len(client.get(reverse("home")).context["my_events"]), rows):
            make_event(eastgate, by=officer, held_on=_days(-n), groups_represented=groups("Students", "Older people"))
            make_priority(eastgate, issue=f"Priority {n}", status=PriorityStatus.ADOPTED)
            ProblemFactory(force=world.force, owner=officer, neighbourhood="Eastgate")
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the first of the
        # officer's open problems in each stage with their categories, 5 how many they lead in each
        # stage (capped counts), 6 their reviews due, 7 the events they recorded with their
        # neighbourhoods, 8 those events' seldom-heard groups, 9 the priorities awaiting an action
        # in their neighbourhoods, with their neighbourhoods, 10 the handovers awaiting their
        # acknowledgement with problems and people.
        with django_assert_num_queries(10):
            response = client.get(reverse("home"))
        assert len(response.context["my_events"]) == rows
        assert len(response.context["priorities_awaiting_action"]) == rows
        assert response.text.count("seldom-heard groups reached: Older people, Students") == rows

    count_queries(1)
    count_queries(5)
