"""The problem map and its GeoJSON: the list's filters and access policy (a partner sees only the
problems shared with their organisation, an outsider none), problems without a location left off
the map but counted, and a query count that does not grow with the number of problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from problems.models import Problem, Stage
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

HERE = {"latitude": Decimal("53.480759"), "longitude": Decimal("-2.242631")}


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _features(response: Any) -> dict[str, dict[str, Any]]:
    assert response["Content-Type"] == "application/geo+json"
    return {feature["properties"]["reference"]: feature for feature in response.json()["features"]}


def _located(world: World, **fields: Any) -> Problem:
    return ProblemFactory(force=world.force, owner=world.users["officer"], **{**HERE, **fields})


def test_officer_gets_each_located_problem_as_a_point_with_its_stage(world: World) -> None:
    problem = _located(world, title="Drinking at the parade", stage=Stage.ANALYSIS)
    _located(world, latitude=None, longitude=None)
    response = _client(world, "officer").get(reverse("problem-map-data"))
    features = _features(response)
    assert list(features) == [problem.reference]
    feature = features[problem.reference]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.242631, 53.480759]}
    assert feature["properties"]["stage"] == "analysis"
    assert feature["properties"]["title"] == "Drinking at the parade"


def test_page_lists_the_same_problems_and_counts_those_without_a_location(world: World) -> None:
    problem = _located(world, title="Drinking at the parade")
    _located(world, latitude=None, longitude=None)
    response = _client(world, "officer").get(reverse("problem-map"))
    assert response.status_code == 200
    assert [p.reference for p in response.context["found"].problems] == [problem.reference]
    assert response.context["found"].not_drawn == 1
    assert "1 more matches but has no location" in response.content.decode()
    assert 'data-geojson-url="/problems/map/data.geojson"' in response.content.decode()


def test_partner_sees_only_problems_shared_with_their_organisation(world: World) -> None:
    shared = share(world, _located(world, title="Shared with the council")).problem
    not_shared = _located(world, title="Not shared")
    for persona in ("partner_member", "partner_lead"):
        features = _features(_client(world, persona).get(reverse("problem-map-data")))
        assert list(features) == [shared.reference]
        page = _client(world, persona).get(reverse("problem-map"))
        assert [p.reference for p in page.context["found"].problems] == [shared.reference]
        assert not_shared.title not in page.content.decode()
    assert _features(_client(world, "unrelated_partner").get(reverse("problem-map-data"))) == {}
    assert _features(_client(world, "administrator").get(reverse("problem-map-data"))) == {}


def test_restricted_problem_is_on_the_map_only_for_those_who_may_see_it(world: World) -> None:
    restricted = _located(world, restricted=True)
    other_officer = UserFactory(role=Role.OFFICER, organisation=world.force)
    assert list(_features(_client(world, "supervisor").get(reverse("problem-map-data")))) == [restricted.reference]
    assert _features(sign_in(Client(), other_officer).get(reverse("problem-map-data"))) == {}


def test_map_applies_the_list_filters(world: World) -> None:
    scanning = _located(world, stage=Stage.SCANNING)
    response = _located(world, stage=Stage.RESPONSE)
    client = _client(world, "officer")
    assert list(_features(client.get(reverse("problem-map-data"), {"stage": "response"}))) == [response.reference]
    page = client.get(reverse("problem-map"), {"stage": "scanning"})
    assert [p.reference for p in page.context["found"].problems] == [scanning.reference]
    assert 'data.geojson?stage=scanning"' in page.content.decode()


def test_invalid_filter_is_reported_and_ignored(world: World) -> None:
    problem = _located(world)
    response = _client(world, "officer").get(reverse("problem-map"), {"stage": "finished"})
    assert response.status_code == 200
    assert "Choose a stage from the list." in response.content.decode()
    assert [p.reference for p in response.context["found"].problems] == [problem.reference]


def test_map_takes_get_only(world: World) -> None:
    client = _client(world, "officer")
    assert client.post(reverse("problem-map")).status_code == 405
    assert client.post(reverse("problem-map-data")).status_code == 405


def test_map_data_keeps_the_same_query_count_with_1_and_with_5_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "officer")

    def count_queries(rows: int) -> None:
        while Problem.objects.count() < rows:
            owner = UserFactory(role=Role.OFFICER, organisation=world.force)
            ProblemFactory(force=world.force, owner=owner, **HERE)
        client.get(reverse("problem-map-data"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the located
        # problems with category, owner, owning organisation and neighbourhood (one JOIN), 5 the
        # count of all that match, 6 the audit event recording the search (no choice list is
        # drawn, and an empty "area" is not looked up).
        with django_assert_num_queries(6):
            response = client.get(reverse("problem-map-data"), {"q": "a"})
        assert len(response.json()["features"]) <= rows

    count_queries(1)
    count_queries(5)
