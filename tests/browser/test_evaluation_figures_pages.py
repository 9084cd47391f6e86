"""In a real browser, with the figures filled in (the journey in test_impact_report_journey.py has no
crime data): the award entry's measured evaluation and the impact report's table of evaluated
problems, with their buffers and displacement quotients, pass axe-core and log no console error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import EmmieAssessment
from problems.models import Problem
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.evaluation.factories_crime import (
    EXAMPLE_COMPARISON_LSOA,
    LAT,
    LON,
    design_for,
    published_example_crimes,
)
from tests.evaluation.factories_impact import d, impact_world, report_params

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_award_entry_and_impact_report_figures_are_accessible(page: Page, live_server: Any, world: World) -> None:
    data = impact_world(world)
    p1 = data.problems["P1"]  # closed, in Eastgate
    Problem.objects.filter(pk=p1.pk).update(latitude=Decimal(str(LAT)), longitude=Decimal(str(LON)), radius_m=200)
    design_for(
        p1,
        actor=world.users["analyst"],
        response_start=d(2026, 3, 1),
        months_before=1,
        months_after=1,
        buffer_m=200,
        comparison_lsoa_codes=EXAMPLE_COMPARISON_LSOA,
    )
    published_example_crimes(before=d(2026, 2, 1), after=d(2026, 3, 1))
    EmmieAssessment.objects.create(
        problem=p1, effect="Burglary fell.", effect_rating=2, updated_by=world.users["analyst"]
    )
    sign_in_browser(page, world.users["supervisor"])

    page.goto(f"/problems/{p1.pk}/award-entry/")
    expect(page.get_by_role("heading", name="Measured evaluation", level=2)).to_be_visible()
    expect(page.locator("[data-wdq]")).to_contain_text("0.10")
    assert_accessible(page)
    assert_no_console_errors(page)

    params = report_params(data.eastgate)
    page.goto(f"/reports/impact/?start={params['start']}&end={params['end']}&area={params['area']}")
    row = page.locator(f'#table-crime-problems tr[data-problem="{p1.reference}"]')
    expect(row).to_contain_text("69 19 30 24 60 58 3.51 0.10", use_inner_text=True)
    assert_accessible(page)
    assert_no_console_errors(page)
