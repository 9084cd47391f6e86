"""Journey in a real browser (issue 18, retention): the data protection officer sees on their home
page that a closed problem is due for its retention review, opens the retention list and the
review, is told what is missing when keeping it without a reason, then disposes of it after the
confirmation; the problem then reads "Disposed on <date>: metadata only" to its officer. axe-core
finds no violations on any page, and none scrolls sideways at 1280 px or at a 390 px phone width."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from problems.models import Problem, Stage
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SECRET = "Jane Doe of 14 Acacia Avenue"


def checked(page: Page) -> None:
    """Accessible, no console errors, and no sideways scroll at either width."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {viewport}"
    assert_accessible(page)
    assert_no_console_errors(page)


def test_the_dpo_disposes_of_a_problem_due_for_its_retention_review(browser: Browser, live_server: Any) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    dpo = UserFactory(role=Role.DATA_PROTECTION_OFFICER, organisation=force, full_name="Dana Protection")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")
    problem = ProblemFactory(
        force=force,
        owner=officer,
        title=f"Repeat calls about {SECRET}",
        description=f"Calls from {SECRET}.",
        stage=Stage.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=6 * 366),
        retention_review_date=timezone.localdate() - datetime.timedelta(days=3),
    )

    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    page.console_problems = PageProblems()  # type: ignore[attr-defined]
    page.on("console", page.console_problems)  # type: ignore[attr-defined]
    try:
        sign_in_browser(page, dpo)
        expect(page.get_by_text("1 closed problem is due for a retention review.")).to_be_visible()
        checked(page)

        page.get_by_role("link", name="Open the retention reviews").click()
        expect(page.get_by_role("heading", name="Retention reviews", exact=True)).to_be_visible()
        expect(page.locator("[data-retention-due]")).to_contain_text(problem.reference)
        assert SECRET not in page.content()
        checked(page)

        page.get_by_role("link", name=problem.reference).click()
        expect(page.get_by_role("heading", name=f"Retention review of {problem.reference}")).to_be_visible()
        assert SECRET not in page.content()
        # Keeping it needs a reason: the error summary says so and links to the field.
        page.get_by_label("Next retention review").fill("2031-01-01")
        page.get_by_role("button", name="Keep until the next review").click()
        expect(page.get_by_role("alert")).to_contain_text("Give the reason for keeping this problem.")
        checked(page)

        page.get_by_role("link", name=f"Dispose of {problem.reference}").click()
        expect(page.get_by_text("This cannot be undone.")).to_be_visible()
        checked(page)
        page.get_by_role("button", name=f"Dispose of {problem.reference} for good").click()
        expect(page.get_by_role("alert")).to_contain_text("Confirm that you understand disposal cannot be undone.")
        page.get_by_label("I understand that disposal erases").check()
        page.get_by_role("button", name=f"Dispose of {problem.reference} for good").click()

        expect(page.locator("[data-disposed]")).to_contain_text("metadata only")
        assert SECRET not in page.content()
        checked(page)
    finally:
        context.close()

    problem.refresh_from_db()
    assert problem.disposed_at is not None
    officer_context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    officer_page = officer_context.new_page()
    try:
        sign_in_browser(officer_page, officer)
        officer_page.goto(f"/problems/{problem.pk}/")
        expect(officer_page.locator("[data-disposed]")).to_contain_text(problem.disposed_label)
        assert SECRET not in officer_page.content()
        assert Problem.objects.filter(title__contains="Acacia").count() == 0
    finally:
        officer_context.close()
