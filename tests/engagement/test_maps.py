"""Engagement on the map (issue 22): events where they were held and each neighbourhood's open
priorities, with the event list's visibility (a partner sees the neighbourhoods of the
partnerships they belong to; an unrelated partner nothing); an event's location set on its form,
both coordinates or neither."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.forms import LATITUDE_INVALID
from engagement.models import EngagementEvent, PriorityStatus
from engagement.services.events import EVENT_LOCATION_HALF
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.engagement.factories import make_event, make_priority, neighbourhood_for
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

pytestmark = pytest.mark.django_db

HERE = {"latitude": Decimal("52.500000"), "longitude": Decimal("-1.000000")}


def _get(world: World, persona: str, name: str, **query: Any) -> Any:
    return sign_in(Client(), world.users[persona]).get(reverse(name), query)


def _kinds(response: Any) -> list[tuple[str, str]]:
    assert response["Content-Type"] == "application/geo+json"
    return sorted((f["properties"]["kind"], f["properties"]["neighbourhood"]) for f in response.json()["features"])


def test_events_and_open_priorities_are_drawn_by_neighbourhood(world: World) -> None:
    eastgate = neighbourhood_for(world)
    make_event(eastgate, place="Eastgate library", **HERE)
    make_event(eastgate, latitude=Decimal("52.510000"), longitude=Decimal("-1.010000"))
    make_event(eastgate)  # no location: not drawn
    make_priority(eastgate, issue="Speeding on Mill Lane", status=PriorityStatus.ADOPTED)
    make_priority(eastgate, issue="Long finished", status=PriorityStatus.RESOLVED)
    response = _get(world, "officer", "engagement-map-data")
    assert _kinds(response) == [("event", "Eastgate"), ("event", "Eastgate"), ("neighbourhood", "Eastgate")]
    area = next(f for f in response.json()["features"] if f["properties"]["kind"] == "neighbourhood")
    assert area["geometry"]["coordinates"] == pytest.approx([-1.005, 52.505])
    assert area["properties"]["priorities"] == [{"issue": "Speeding on Mill Lane", "status": "Adopted"}]

    page = _get(world, "officer", "engagement-map")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Speeding on Mill Lane" in html
    assert "Long finished" not in html
    assert "Eastgate library" in html


def test_partner_sees_their_partnerships_neighbourhoods_only(world: World) -> None:
    eastgate = neighbourhood_for(world)
    make_event(eastgate, **HERE)
    other_force = PoliceForceFactory()
    elsewhere = NeighbourhoodFactory(organisation=other_force, name="Far Away")
    make_event(elsewhere, by=UserFactory(organisation=other_force), **HERE)
    assert _kinds(_get(world, "partner_member", "engagement-map-data")) == [
        ("event", "Eastgate"),
        ("neighbourhood", "Eastgate"),
    ]
    assert _kinds(_get(world, "unrelated_partner", "engagement-map-data")) == []
    assert "Far Away" not in _get(world, "officer", "engagement-map").content.decode()


def test_the_neighbourhood_filter_applies(world: World) -> None:
    eastgate = neighbourhood_for(world)
    westgate = neighbourhood_for(world, name="Westgate")
    make_event(eastgate, **HERE)
    make_event(westgate, **HERE)
    response = _get(world, "officer", "engagement-map-data", neighbourhood=str(westgate.pk))
    assert _kinds(response) == [("event", "Westgate"), ("neighbourhood", "Westgate")]


def _event_data(world: World, **overrides: str) -> dict[str, str]:
    eastgate = neighbourhood_for(world)
    return {
        "kind": "public_meeting",
        "neighbourhood": str(eastgate.pk),
        "held_on": "2026-03-01",
        "channel": "in_person",
        **overrides,
    }


def test_an_events_location_is_saved_from_its_form(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])
    response = client.post(reverse("event-create"), _event_data(world, latitude="52.5", longitude="-1.25"))
    assert response.status_code == 302
    event = EngagementEvent.objects.get()
    assert (event.latitude, event.longitude) == (Decimal("52.500000"), Decimal("-1.250000"))
    form = client.get(reverse("event-edit", kwargs={"pk": event.pk})).content.decode()
    assert 'id="location-picker"' in form
    assert "js/location_picker.js" in form


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"latitude": "52.5"}, EVENT_LOCATION_HALF), ({"latitude": "91", "longitude": "0"}, LATITUDE_INVALID)],
)
def test_half_or_bad_location_is_refused_and_nothing_is_saved(
    world: World, fields: dict[str, str], message: str
) -> None:
    response = sign_in(Client(), world.users["officer"]).post(reverse("event-create"), _event_data(world, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="52.5"' in response.content.decode() or 'value="91"' in response.content.decode()
    assert not EngagementEvent.objects.exists()


def test_map_data_keeps_the_same_query_count_with_1_and_with_5_events(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    client = sign_in(Client(), world.users["officer"])

    def count_queries(rows: int) -> None:
        while EngagementEvent.objects.count() < rows:
            make_event(eastgate, **HERE)
            make_priority(eastgate, status=PriorityStatus.ADOPTED)
        client.get(reverse("engagement-map-data"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the located events
        # with their neighbourhood, 5 the open priorities with their neighbourhood.
        with django_assert_num_queries(5):
            response = client.get(reverse("engagement-map-data"))
        assert len(response.json()["features"]) == rows + 1

    count_queries(1)
    count_queries(5)
