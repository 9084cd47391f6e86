"""Journey in a real browser: a supervisor opens the impact report from the navigation, chooses the
period and the area, sees the charts (drawn by Chart.js, with their tables), follows a figure to
the problems behind it, and downloads the PDF; then opens the award entry of a closed problem and
downloads it. axe-core finds no violations on any page visited, and no console (CSP) error is
logged. (The analyst's crime upload half of the issue's journey is in the crime data tests.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import ReportRun
from evaluation.services.reports import report_run_generate
from tests.browser.conftest import assert_accessible, assert_no_console_errors, open_from_menu, sign_in_browser
from tests.conftest import World
from tests.evaluation.factories_impact import impact_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_supervisor_opens_the_impact_report_sees_the_charts_and_downloads_the_pdf(
    page: Page, live_server: Any, world: World
) -> None:
    data = impact_world(world)
    sign_in_browser(page, world.users["supervisor"])

    open_from_menu(page, "Evaluation", "Impact report")
    expect(page.get_by_role("heading", name="Impact report", level=1)).to_be_visible()
    _checked(page)

    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-06-30")
    page.get_by_label("Neighbourhood or partnership").select_option(label="Eastgate")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_role("heading", name="Impact report: Eastgate", level=1)).to_be_visible()

    # Every chart is drawn, and its table carries the same figures as text.
    for chart in ("categories", "stages", "durations", "contributions"):
        expect(page.locator(f'canvas[data-impact-chart="{chart}"]')).to_have_attribute("data-drawn", "true")
    categories = page.get_by_role("table", name="Problems opened and closed in the period, by category")
    expect(categories.get_by_role("row", name="Anti-social behaviour 3 2")).to_be_visible()
    expect(page.get_by_role("link", name="5 opened")).to_be_visible()
    _checked(page)

    # A figure leads to its records.
    page.get_by_role("link", name="2 closed").click()
    expect(page.get_by_role("heading", name="Problems behind the figure", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=data.problems["P4"].reference)).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Back to the impact report").click()
    expect(page.get_by_role("heading", name="Impact report: Eastgate", level=1)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "impact-eastgate-20260101-20260630.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"

    # The same report prepared in the background: the run page follows its progress and offers the
    # file once it is ready. The worker's service runs here, in the test's process (a real Celery
    # worker runs it in tests/evaluation/test_impact_worker.py).
    page.get_by_role("button", name="Prepare the PDF in the background instead").click()
    expect(page.get_by_label(re.compile("^Progress"))).to_be_visible()
    expect(page.locator("#report-status")).to_contain_text("Waiting to start")
    _checked(page)
    run = ReportRun.objects.get()
    report_run_generate(run_id=run.pk)
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=10000)
    expect(page.locator("#report-status")).to_have_text("The report is ready.")
    _checked(page)
    with page.expect_download() as run_download:
        page.get_by_role("link", name="Download the PDF").click()
    assert run_download.value.path().read_bytes()[:5] == b"%PDF-"

    # The award entry of the closed problem P1.
    page.goto(f"/problems/{data.problems['P1'].pk}/award-entry/")
    expect(page.get_by_role("heading", name=f"Award entry: {data.problems['P1'].title}", level=1)).to_be_visible()
    _checked(page)
    with page.expect_download() as award_info:
        page.get_by_role("link", name="Download the entry as a PDF").click()
    assert award_info.value.path().read_bytes()[:5] == b"%PDF-"
