"""The analyst's home page in a real browser, with something in every panel and then with nothing:
axe-core finds no accessibility violations, no CSP violation is logged, and each panel's links
lead to their pages."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import CrimeImportRun, ImportState, ReportRun, ReportState
from problems.models import Stage
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.evaluation.factories_crime import design_for
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_analyst_home_with_every_panel_filled_is_accessible_and_links_to_each_item(page: Page, world: World) -> None:
    analyst = world.users["analyst"]
    CrimeImportRun.objects.create(
        organisation=world.force,
        started_by=analyst,
        file_name="2026-03-northshire-street.csv",
        state=ImportState.DONE,
        rows_loaded=120,
        rows_skipped=3,
        error_count=1,
        first_month=datetime.date(2025, 4, 1),
        last_month=datetime.date(2026, 3, 1),
    )
    designed = ProblemFactory(force=world.force, owner=world.users["officer"], title="Burglary on the Elm estate")
    design_for(designed, actor=analyst)
    ProblemFactory(
        force=world.force, owner=world.users["officer"], title="Speeding on Mill Lane", stage=Stage.ASSESSMENT
    )
    ReportRun.objects.create(
        requested_by=analyst, format="csv", title="Impact report: Eastgate", state=ReportState.QUEUED
    )

    sign_in_browser(page, analyst)
    expect(page.get_by_role("heading", name="Analysis", level=1)).to_be_visible()
    crime = page.get_by_role("region", name="Crime data")
    expect(crime).to_contain_text("from April 2025 to March 2026, a span of 12 months")
    expect(crime).to_contain_text("120 rows added, 3 already held, 1 malformed.")
    before_after = page.get_by_role("region", name="Before and after")
    expect(before_after.get_by_role("heading", name="Comparisons designed", level=3)).to_be_visible()
    expect(before_after).to_contain_text("Speeding on Mill Lane")
    expect(page.get_by_role("region", name="Reports")).to_contain_text(
        "Impact report: Eastgate (CSV): Waiting to start"
    )
    _checked(page)

    page.get_by_role("link", name="2026-03-northshire-street.csv").click()
    expect(page.get_by_role("heading", name="Import of 2026-03-northshire-street.csv", level=1)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name=f"{designed.reference}: Burglary on the Elm estate").click()
    expect(page.get_by_role("heading", name="Before and after: the design", level=1)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Impact report: Eastgate (CSV)").click()
    expect(page.get_by_role("heading", name="Impact report: Eastgate", level=1)).to_be_visible()


def test_analyst_home_with_nothing_yet_is_accessible(page: Page, world: World) -> None:
    sign_in_browser(page, world.users["analyst"])
    expect(page.get_by_role("region", name="Crime data")).to_contain_text("No crime data is held yet")
    expect(page.get_by_role("region", name="Before and after")).to_contain_text(
        "Every problem in assessment has a before/after design."
    )
    expect(page.get_by_role("region", name="Reports")).to_contain_text("You have not asked for an impact report")
    _checked(page)
