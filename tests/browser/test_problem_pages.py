"""The problem record's pages in a real browser, as the owning officer: the home page's problem
panels, the problem list with an overdue review and a bad filter, the edit form and the review page
with a mistake and then a review recorded. axe-core finds no accessibility violations on any of
them, and no CSP violation is logged."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from problems.models import Stage
from problems.services.problems import REVIEW_NOTES_REQUIRED
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_officer_finds_an_overdue_problem_and_reviews_it(page: Page) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Pat Constable")
    overdue = ProblemFactory(
        force=force, owner=officer, title="Street drinking at Market Parade", next_review_date=_days(-3)
    )
    ProblemFactory(force=force, owner=officer, title="Bike thefts at the station", stage=Stage.ANALYSIS)

    sign_in_browser(page, officer)
    expect(page.get_by_role("heading", name="Your problems")).to_be_visible()
    expect(page.get_by_role("region", name="My problems")).to_contain_text("Analysis (1)")
    expect(page.get_by_role("region", name="Reviews due")).to_contain_text("Review overdue")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Problems").click()
    expect(page.get_by_role("heading", name="Problems", exact=True)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Street drinking at Market Parade"))
    expect(row).to_contain_text("Review overdue")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.get_by_label("Only overdue reviews").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)

    page.goto("/problems/?stage=finished")
    expect(page.locator("[data-error-summary]")).to_contain_text("Choose a stage from the list.")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.goto(f"/problems/{overdue.pk}/edit/")
    expect(page.get_by_role("heading", name=f"Edit {overdue.reference}")).to_be_visible()
    page.get_by_label("LSOA code").fill("Nowhere")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Enter an LSOA code")
    expect(page.get_by_label("LSOA code")).to_have_value("Nowhere")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.goto(f"/problems/{overdue.pk}/review/")
    page.get_by_role("button", name="Record the review").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(REVIEW_NOTES_REQUIRED)
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert_no_console_errors(page)

    page.get_by_label("Review notes").fill("Patrols doubled; the shop has stopped selling single cans.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("status").filter(has_text="Review recorded")).to_be_visible()
    history = page.get_by_role("table", name=re.compile("Reviews of"))
    expect(history).to_contain_text("Patrols doubled")
    expect(history).to_contain_text("Pat Constable")
    assert_accessible(page)
    assert_no_console_errors(page)
