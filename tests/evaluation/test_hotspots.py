"""Hotspots and repeat locations (issue 22): the top locations counted in the chosen months, force,
area and crime types; their counts in the months before and against the force's average; the grid
cells of the map; "open as a problem" filling in the problem form; police only."""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.forms.hotspots import AREA_WITHOUT_LSOAS, MONTH_INVALID, MONTHS_OUT_OF_ORDER
from evaluation.selectors.areas import METRES_PER_DEGREE
from evaluation.selectors.hotspots import HotspotQuery, hotspot_cells, hotspot_locations
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import FORCE, record
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

MARKET = {"latitude": 52.5, "longitude": -1.0, "location": "On or near Market Street", "lsoa_code": "E01000001"}
STATION = {"latitude": 52.51, "longitude": -1.02, "location": "On or near Station Road", "lsoa_code": "E01000002"}
PARK = {"latitude": 52.52, "longitude": -1.04, "location": "On or near Park Lane", "lsoa_code": "E01000003"}


def _crimes(place: dict[str, Any], count: int, *, month: date = date(2026, 3, 1), **fields: Any) -> None:
    fields.setdefault("falls_within", FORCE)
    for _ in range(count):
        record(month=month, **place, **fields)


def _query(**fields: Any) -> HotspotQuery:
    fields.setdefault("first_month", date(2026, 1, 1))
    fields.setdefault("last_month", date(2026, 3, 1))
    return HotspotQuery(**fields)


def test_top_locations_are_counted_in_the_period_busiest_first() -> None:
    _crimes(MARKET, 5)
    _crimes(STATION, 3, month=date(2026, 1, 1))
    _crimes(PARK, 9, month=date(2025, 12, 1))  # before the period
    found = hotspot_locations(_query())
    assert [(place.location, place.count) for place in found.locations] == [
        ("On or near Market Street", 5),
        ("On or near Station Road", 3),
    ]
    assert found.total == 8


def test_each_location_is_compared_with_the_months_before_and_the_force_average() -> None:
    _crimes(MARKET, 6)
    _crimes(STATION, 2)
    _crimes(MARKET, 2, month=date(2025, 10, 1))  # the three months before: October to December
    _crimes(MARKET, 7, month=date(2025, 9, 1))  # earlier still: not counted
    found = hotspot_locations(_query())
    market = found.locations[0]
    assert (market.count, market.previous, market.change) == (6, 2, 4)
    # The force's 8 crimes at 2 locations: 4 on average; the market has 1.5 times that.
    assert found.force_average == 4.0
    assert market.times_average == 1.5


def test_force_crime_types_and_area_narrow_the_count_but_not_the_force_average() -> None:
    _crimes(MARKET, 4, crime_type="Burglary")
    _crimes(MARKET, 3, crime_type="Drugs")
    _crimes(STATION, 2, crime_type="Burglary")
    _crimes(PARK, 8, crime_type="Burglary", falls_within="Elsewhere Police")
    found = hotspot_locations(_query(force=FORCE, crime_types=("Burglary",), lsoa_codes=("E01000002",)))
    assert [(place.location, place.count) for place in found.locations] == [("On or near Station Road", 2)]
    assert found.total == 2
    assert (found.force_total, found.force_locations) == (6, 2)
    assert found.query.category_code == "burglary"


def test_grid_cells_count_the_crime_inside_them() -> None:
    height, width = _query(cell_m=250).cell_degrees()
    # The middle of a cell, and a point 50 m north-east of it (the same cell).
    middle = {
        "latitude": (math.floor(52.5 / height) + 0.5) * height,
        "longitude": (math.floor(-1.0 / width) + 0.5) * width,
    }
    _crimes({**MARKET, **middle}, 4)
    near = {"latitude": middle["latitude"] + height / 5, "longitude": middle["longitude"] + width / 5}
    _crimes({**MARKET, **near, "location": "On or near Market Lane"}, 2)
    _crimes(PARK, 1)
    cells = hotspot_cells(_query(cell_m=250))
    assert [cell.count for cell in cells] == [6, 1]
    top = cells[0]
    assert top.south <= middle["latitude"] < top.north
    assert top.west <= middle["longitude"] < top.east
    assert top.north - top.south == pytest.approx(250 / METRES_PER_DEGREE)


# --- the pages ----------------------------------------------------------------------------------


def _get(world: World, persona: str, name: str = "crime-hotspots", **query: Any) -> Any:
    return sign_in(Client(), world.users[persona]).get(reverse(name), query)


PERIOD = {"first_month": "2026-01", "last_month": "2026-03"}


def test_officer_sees_the_table_and_opens_a_location_as_a_problem(world: World) -> None:
    _crimes(MARKET, 5, crime_type="Burglary")
    response = _get(world, "officer", crime_types="Burglary", **PERIOD)
    assert response.status_code == 200
    place, open_url = response.context["rows"][0]
    assert (place.location, place.count) == ("On or near Market Street", 5)
    link = parse_qs(urlsplit(open_url).query)
    assert link["latitude"] == ["52.500000"]
    assert link["lsoa_code"] == ["E01000001"]
    assert link["category"] == ["burglary"]
    assert "5 recorded at On or near Market Street" in link["description"][0]

    form = sign_in(Client(), world.users["officer"]).get(open_url)
    initial = form.context["form"].initial
    assert initial["latitude"] == "52.500000"
    assert initial["address"] == "On or near Market Street"
    assert initial["category"] is not None
    assert "5 recorded" in form.content.decode()


def test_analyst_sees_the_table_without_open_as_a_problem(world: World) -> None:
    _crimes(MARKET, 2)
    response = _get(world, "analyst", **PERIOD)
    assert response.context["rows"][0][1] == ""
    assert "Open as a problem" not in response.content.decode()


def test_geojson_has_the_cells_and_the_top_locations(world: World) -> None:
    _crimes(MARKET, 3)
    response = _get(world, "supervisor", "crime-hotspots-data", **PERIOD)
    assert response["Content-Type"] == "application/geo+json"
    kinds = [(f["properties"]["kind"], f["properties"]["count"]) for f in response.json()["features"]]
    assert kinds == [("cell", 3), ("location", 3)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first_month": "March"}, MONTH_INVALID),
        ({"first_month": "2026-04", "last_month": "2026-01"}, MONTHS_OUT_OF_ORDER),
        ({"crime_types": "Jaywalking"}, "Choose crime types from the list."),
    ],
)
def test_invalid_choice_is_reported_and_nothing_is_counted(world: World, query: dict[str, str], message: str) -> None:
    _crimes(MARKET, 2)
    response = _get(world, "officer", **query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["found"] is None
    assert _get(world, "officer", "crime-hotspots-data", **query).json()["features"] == []


def test_a_neighbourhood_without_lsoa_codes_is_refused(world: World) -> None:
    area = NeighbourhoodFactory(organisation=world.force, lsoa_codes="")
    response = _get(world, "officer", area=str(area.pk))
    assert AREA_WITHOUT_LSOAS in response.content.decode()


def test_with_no_crime_held_the_page_says_so(world: World) -> None:
    response = _get(world, "officer")
    assert response.status_code == 200
    assert "No crime data has been imported yet." in response.content.decode()


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead", "unrelated_partner", "administrator"])
def test_outsiders_to_crime_data_get_404(world: World, persona: str) -> None:
    _crimes(MARKET, 1)
    assert _get(world, persona).status_code == 404
    assert _get(world, persona, "crime-hotspots-data").status_code == 404


def test_page_keeps_the_same_query_count_with_1_and_with_5_locations(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = sign_in(Client(), world.users["officer"])

    def count_queries(locations: int) -> None:
        for n in range(locations):
            _crimes({**MARKET, "latitude": 52.5 + n / 1000, "location": f"Place {locations}-{n}"}, 1)
        client.get(reverse("crime-hotspots"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the forces held
        # (the force choice), 5 the latest month held, 6 the top locations, 7 their counts in the
        # months before, 8 the force's total and number of locations, 9 the force's neighbourhoods
        # (the area choice).
        with django_assert_num_queries(9):
            response = client.get(reverse("crime-hotspots"), PERIOD)
        assert len(response.context["rows"]) >= locations

    count_queries(1)
    count_queries(5)
