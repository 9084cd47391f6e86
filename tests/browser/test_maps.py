"""Maps in a real browser with no tile server (MAP_TILE_URL empty: a plain background): an officer
sets a problem's location by clicking the map; a partner's problem map shows only the problems
shared with their organisation; an analyst sees the three areas of a before/after design; the
hotspot table's top location matches a count made here from the rows themselves; a partner sees
engagement and priorities by neighbourhood. axe-core finds no violation and no CSP violation is
logged on any of them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from engagement.models import PriorityStatus
from problems.models import Problem
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.engagement.factories import make_event, make_priority, neighbourhood_for
from tests.evaluation.factories_crime import FORCE, LAT, LON, build_fixed_data, design_for, record
from tests.problems.factories import ProblemFactory, force_neighbourhood
from tests.problems.factories_sharing import share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _map_ready(page: Page, selector: str = "[data-map]") -> None:
    expect(page.locator(selector)).to_have_attribute("data-map-ready", "true")


def test_officer_sets_a_problems_location_by_clicking_the_map(page: Page, world: World) -> None:
    force_neighbourhood(world.force, "Eastgate")
    sign_in_browser(page, world.users["officer"])
    page.goto("/problems/new/")
    _map_ready(page)
    assert_accessible(page)
    page.get_by_label("Title").fill("Street drinking at Market Parade")
    page.get_by_label("Description").fill("Groups drinking outside the shops every evening.")
    page.get_by_label("Category").select_option(label="Anti-social behaviour")
    page.get_by_label("Where it came from").select_option(label="Community report")
    page.get_by_label("Neighbourhood or ward").select_option(label="Eastgate")
    page.get_by_label("Radius (metres)").fill("300")

    # The map opens on Great Britain (54 N, 2.5 W): its middle is about there.
    page.get_by_role("region", name="Map for setting the problem's location").click()
    expect(page.get_by_label("Latitude")).to_have_value(re.compile(r"^5[34]\.\d{6}$"))
    expect(page.get_by_label("Longitude")).to_have_value(re.compile(r"^-[23]\.\d{6}$"))
    expect(page.locator("[data-map-status]")).to_contain_text("Location set to")
    expect(page.locator(".leaflet-marker-icon.map-pin")).to_have_count(1)
    expect(page.locator("path.leaflet-interactive")).to_have_count(1)  # the 300 m radius
    latitude = page.get_by_label("Latitude").input_value()
    longitude = page.get_by_label("Longitude").input_value()
    assert abs(float(latitude) - 54.0) < 0.5
    assert abs(float(longitude) + 2.5) < 0.5
    assert_no_console_errors(page)

    page.get_by_role("button", name="Log the problem").click()
    expect(page.get_by_text("logged.")).to_be_visible()
    problem = Problem.objects.get(title="Street drinking at Market Parade")
    assert (problem.latitude, problem.longitude, problem.radius_m) == (Decimal(latitude), Decimal(longitude), 300)


def test_typed_coordinates_move_the_pin_and_keep_working(page: Page, world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    sign_in_browser(page, world.users["officer"])
    page.goto(f"/problems/{problem.pk}/edit/")
    _map_ready(page)
    expect(page.locator(".leaflet-marker-icon.map-pin")).to_have_count(0)
    page.get_by_label("Latitude").fill("53.480759")
    page.get_by_label("Longitude").fill("-2.242631")
    page.get_by_label("Longitude").press("Tab")
    expect(page.locator(".leaflet-marker-icon.map-pin")).to_have_count(1)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(f"Problem {problem.reference} saved.")).to_be_visible()
    problem.refresh_from_db()
    assert (problem.latitude, problem.longitude) == (Decimal("53.480759"), Decimal("-2.242631"))


def test_partners_problem_map_shows_only_shared_problems(page: Page, world: World) -> None:
    here = {"latitude": Decimal("52.500000"), "longitude": Decimal("-1.000000")}
    shared = share(world, ProblemFactory(force=world.force, owner=world.users["officer"], **here)).problem
    ProblemFactory(force=world.force, owner=world.users["officer"], title="Not for the council", **here)
    sign_in_browser(page, world.users["partner_member"])
    page.goto("/problems/map/")
    _map_ready(page)
    expect(page.locator("[data-problem-map]")).to_have_attribute("data-points", "1")
    expect(page.locator("path.leaflet-interactive")).to_have_count(1)
    rows = page.locator("[data-problem-map-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(shared.reference)
    expect(page.get_by_text("Not for the council")).to_have_count(0)
    assert_accessible(page)
    assert_no_console_errors(page)


def test_hotspot_tables_top_location_matches_an_independent_count(page: Page, world: World) -> None:
    places = [
        ("On or near Market Street", 52.5, -1.0, "E01000001"),
        ("On or near Station Road", 52.51, -1.02, "E01000002"),
        ("On or near Park Lane", 52.52, -1.04, "E01000003"),
    ]
    # A made-up spread: place i has 2i + 3 burglaries in March, and 10 drugs offences at the park.
    made: list[tuple[str, str]] = []
    for i, (location, latitude, longitude, lsoa) in enumerate(places):
        for _ in range(2 * i + 3):
            record(
                month=date(2026, 3, 1),
                latitude=latitude,
                longitude=longitude,
                location=location,
                lsoa_code=lsoa,
                crime_type="Burglary",
                falls_within=FORCE,
            )
            made.append((location, "Burglary"))
    for _ in range(10):
        record(
            month=date(2026, 3, 1),
            latitude=52.52,
            longitude=-1.04,
            location="On or near Park Lane",
            lsoa_code="E01000003",
            crime_type="Drugs",
            falls_within=FORCE,
        )
        made.append(("On or near Park Lane", "Drugs"))
    expected_location, expected_count = Counter(loc for loc, kind in made if kind == "Burglary").most_common(1)[0]

    sign_in_browser(page, world.users["analyst"])
    page.goto("/crime/hotspots/")
    page.get_by_label("Crime types").select_option(["Burglary"])
    page.get_by_label("First month").fill("2026-01")
    page.get_by_label("Last month").fill("2026-03")
    page.get_by_role("button", name="Show hotspots").click()
    _map_ready(page)
    top = page.locator("[data-hotspot-table] tbody tr").first
    expect(top).to_contain_text(expected_location)
    expect(top.locator("[data-count]")).to_have_text(str(expected_count))
    assert int(page.locator("[data-hotspot-map]").get_attribute("data-cells") or "0") >= 1
    assert_accessible(page)
    assert_no_console_errors(page)


def test_analyst_sees_the_three_areas_of_a_before_after_design(page: Page, world: World) -> None:
    build_fixed_data()
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    design_for(
        problem,
        actor=world.users["analyst"],
        crime_types=["Burglary", "Robbery"],
        buffer_m=200,
        comparison_inner_m=500,
        comparison_outer_m=700,
    )
    sign_in_browser(page, world.users["analyst"])
    page.goto(f"/problems/{problem.pk}/evaluation/design/")
    page.get_by_role("link", name="See the saved design on a map").click()
    expect(page.get_by_role("heading", name="Before and after: the design on a map")).to_be_visible()
    _map_ready(page)
    design_map = page.locator("[data-design-map]")
    expect(design_map).to_have_attribute("data-areas", "3")
    # The target's circle, the buffer's and the comparison ring's outer and inner circles; then
    # the crime points.
    points = int(design_map.get_attribute("data-points") or "0")
    assert points > 0
    expect(design_map.locator("path.leaflet-interactive")).to_have_count(5 + points)
    table = page.locator("[data-design-table] tbody tr")
    expect(table).to_have_count(3)
    expect(table.nth(0)).to_contain_text("Target area")
    expect(table.nth(1)).to_contain_text("Displacement buffer")
    expect(table.nth(2)).to_contain_text("Comparison area")
    assert_accessible(page)
    assert_no_console_errors(page)


def test_partner_sees_engagement_and_priorities_on_the_map(page: Page, world: World) -> None:
    eastgate = neighbourhood_for(world)
    make_event(eastgate, place="Eastgate library", latitude=Decimal("52.5"), longitude=Decimal("-1.0"))
    make_priority(eastgate, issue="Speeding on Mill Lane", status=PriorityStatus.ADOPTED)
    sign_in_browser(page, world.users["partner_member"])
    page.goto("/engagement/map/")
    _map_ready(page)
    expect(page.locator("[data-engagement-map]")).to_have_attribute("data-events", "1")
    # The event and the neighbourhood's priorities.
    expect(page.locator("path.leaflet-interactive")).to_have_count(2)
    row = page.locator("[data-engagement-table] tbody tr").first
    expect(row).to_contain_text("Eastgate library")
    expect(row).to_contain_text("Speeding on Mill Lane")
    assert_accessible(page)
    assert_no_console_errors(page)
