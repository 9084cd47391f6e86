"""The data protection officer's journey in a real browser: sign in, search for a resident named in
a problem's description, an engagement event and a survey answer, see all three, export the result
as CSV; then the audit log (which shows the search and the export) and the breach log. axe-core
finds no violations, at 1280 px and at a 390 px phone width, and nothing scrolls sideways."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dataprotection.services.consultation import SUBJECT_ACCESS_EXPORTED, SUBJECT_ACCESS_SEARCHED
from tests.browser.conftest import assert_accessible, assert_no_console_errors, open_from_menu, sign_in_browser
from tests.conftest import World
from tests.dataprotection.factories import make_action, make_breach
from tests.engagement.factories import make_event, neighbourhood_for
from tests.evaluation.factories_surveys import add_every_kind, add_response, make_survey
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Edith Walsh"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits_the_width(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size}"


def checked_at_both_widths(page: Page) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        fits_the_width(page)
        assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def _records(world: World) -> dict[str, Any]:
    officer = world.users["officer"]
    problem = ProblemFactory(
        force=world.force, owner=officer, description=f"{NAME} of Mill Road reports the bus shelter smashed again."
    )
    event = make_event(neighbourhood_for(world), by=officer, issues_raised=f"{NAME} asked for the lights to be fixed.")
    survey = make_survey(world.users["supervisor"], title="Eastgate bus shelters")
    questions = add_every_kind(world.users["supervisor"], survey)
    add_response(survey, {questions["agreement"]: 2, questions["text"]: f"I'm {NAME}: it was smashed three times."})
    breach = make_breach(world.force, summary="Case notes emailed to the wrong team", recorded_by=world.users["dpo"])
    make_action(breach, description="Ask the council to delete the email.")
    return {"problem": problem, "event": event, "survey": survey, "breach": breach}


def test_the_dpo_finds_a_person_across_three_kinds_of_record_and_exports_the_result(page: Page, world: World) -> None:
    records = _records(world)
    page.set_viewport_size(DESKTOP)
    sign_in_browser(page, world.users["dpo"])
    expect(page.get_by_role("heading", name="Data protection", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Breaches to report")).to_be_visible()
    checked_at_both_widths(page)

    open_from_menu(page, "Data protection", "Subject access")
    expect(page.get_by_role("heading", name="Subject-access search", level=1)).to_be_visible()
    checked_at_both_widths(page)

    page.get_by_label("Name or identifier").fill(NAME.lower())
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name=f"3 places where “{NAME.lower()}” appears")).to_be_visible()
    matches = page.locator("[data-match]")
    expect(matches).to_have_count(3)
    for kind, reference in (
        ("Problem", records["problem"].reference),
        ("Engagement event", "Engagement event, Eastgate"),
        ("Survey answer", "Survey “Eastgate bus shelters”"),
    ):
        expect(page.locator(f'[data-match][data-kind="{kind}"]')).to_contain_text(reference)
    expect(page.locator("mark").first).to_have_text(NAME)
    checked_at_both_widths(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("subject-access-")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))  # noqa: PTH123, SIM115
    assert sorted(row["Kind of record"] for row in rows) == ["Engagement event", "Problem", "Survey answer"]
    assert all(NAME in row["Snippet"] for row in rows)

    # The search and the export are in the audit log, which the DPO reads next.
    open_from_menu(page, "Data protection", "Audit log")
    expect(page.locator(f'[data-event="{SUBJECT_ACCESS_SEARCHED}"]')).to_have_count(1)
    expect(page.locator(f'[data-event="{SUBJECT_ACCESS_EXPORTED}"]')).to_have_count(1)
    checked_at_both_widths(page)

    open_from_menu(page, "Data protection", "Breaches")
    page.get_by_role("link", name=records["breach"].reference).click()
    expect(page.get_by_role("heading", name=f"Breach {records['breach'].reference}", level=1)).to_be_visible()
    expect(page.locator("[data-deadline]")).to_contain_text("Report to the ICO by")
    checked_at_both_widths(page)
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()

    page.get_by_role("link", name="Change the breach or record the report").click()
    page.get_by_label("What happened, in a line").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    checked_at_both_widths(page)
    assert_no_console_errors(page)
