"""A before/after design on a map (issue 22): its three areas (target circle, displacement buffer,
comparison ring) and the crime points of each, coloured by before and after, with the same counts
as the before/after itself (the fixed data set of tests/evaluation/factories_crime.py)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.selectors.before_after import before_after_for_problem
from problems.models import Problem
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import LAT, LON, build_fixed_data, design_for
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _designed(world: World, **design: object) -> Problem:
    build_fixed_data()
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    design.setdefault("buffer_m", 200)
    design.setdefault("comparison_inner_m", 500)
    design.setdefault("comparison_outer_m", 700)
    design_for(problem, actor=world.users["analyst"], crime_types=["Burglary", "Robbery"], **design)
    return problem


def test_analyst_gets_the_three_areas_and_the_points_with_the_before_after_counts(world: World) -> None:
    problem = _designed(world)
    client = sign_in(Client(), world.users["analyst"])
    data = client.get(reverse("assessment-design-map-data", kwargs={"pk": problem.pk}))
    assert data["Content-Type"] == "application/geo+json"
    features = data.json()["features"]
    areas = {f["properties"]["area"]: f["properties"] for f in features if f["properties"]["kind"] == "area"}
    assert {name: (p["inner_m"], p["outer_m"]) for name, p in areas.items()} == {
        "target": (0, 200),
        "buffer": (200, 400),
        "comparison": (500, 700),
    }
    counted: Counter[tuple[str, str]] = Counter()
    for feature in features:
        if feature["properties"]["kind"] == "crime":
            counted[feature["properties"]["area"], feature["properties"]["period"]] += feature["properties"]["count"]
    result = before_after_for_problem(problem=problem)
    assert result is not None
    for area in result.areas:
        assert (counted[area.area, "before"], counted[area.area, "after"]) == (area.before, area.after)
    assert counted["target", "before"] == 10
    assert counted["comparison", "after"] == 2

    page = client.get(reverse("assessment-design-map", kwargs={"pk": problem.pk}))
    assert page.context["found"].rows == [
        ("Target area", "within 200 metres of the problem's location", 10, 5),
        ("Displacement buffer", "from 200 to 400 metres", 4, 6),
        ("Comparison area", "a ring from 500 to 700 metres from the problem's location", 3, 2),
    ]


def test_comparison_lsoas_are_drawn_as_their_crime_points(world: World) -> None:
    problem = _designed(world, comparison_inner_m=None, comparison_outer_m=None, comparison_lsoa_codes="E01000009")
    data = sign_in(Client(), world.users["analyst"]).get(
        reverse("assessment-design-map-data", kwargs={"pk": problem.pk})
    )
    features = data.json()["features"]
    assert {f["properties"]["area"] for f in features if f["properties"]["kind"] == "area"} == {"target", "buffer"}
    comparison = [f for f in features if f["properties"]["kind"] == "crime" and f["properties"]["area"] == "comparison"]
    assert sum(f["properties"]["count"] for f in comparison) == 38
    assert {tuple(f["geometry"]["coordinates"]) for f in comparison} == {(-2.0, 53.0)}


def test_the_design_page_links_to_the_map_once_a_design_is_saved(world: World) -> None:
    problem = _designed(world)
    page = sign_in(Client(), world.users["analyst"]).get(reverse("assessment-design", kwargs={"pk": problem.pk}))
    assert reverse("assessment-design-map", kwargs={"pk": problem.pk}) in page.content.decode()


def test_without_a_design_the_map_page_says_what_is_missing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    client = sign_in(Client(), world.users["analyst"])
    page = client.get(reverse("assessment-design-map", kwargs={"pk": problem.pk}))
    assert page.status_code == 200
    assert "There is no design with a target area to draw yet" in page.content.decode()
    data = client.get(reverse("assessment-design-map-data", kwargs={"pk": problem.pk}))
    assert data.json()["features"] == []


def test_partner_with_a_view_share_gets_403_and_others_404(world: World) -> None:
    from tests.problems.factories_sharing import share

    problem = _designed(world)
    share(world, problem)
    url = reverse("assessment-design-map-data", kwargs={"pk": problem.pk})
    assert sign_in(Client(), world.users["partner_member"]).get(url).status_code == 403
    assert sign_in(Client(), world.users["unrelated_partner"]).get(url).status_code == 404
    assert sign_in(Client(), world.users["officer"]).post(url).status_code == 405
