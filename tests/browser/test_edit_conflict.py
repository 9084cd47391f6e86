"""Two people editing a problem's scanning at once, in real browsers: the second to save sees the
conflict (the error summary naming who saved, their version beside the form, their own text still
in it), at 1280 px and on a 390 px phone without sideways scrolling; axe-core finds nothing and no
CSP violation is logged. Saving again keeps the second person's text."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from problems.models import Problem, Stage
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories_sara import problem_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _second_page(browser: Browser, live_server: Any, viewport: dict[str, int]) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=viewport)  # type: ignore[arg-type]
    second = context.new_page()
    problems = PageProblems()
    second.on("console", problems)
    second.console_problems = problems  # type: ignore[attr-defined]
    return second


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_the_second_to_save_sees_both_versions_and_keeps_their_text(
    page: Page, browser: Browser, live_server: Any, viewport: dict[str, int]
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    olivia = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")
    sam = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    problem = problem_at(Stage.ANALYSIS, force=force, owner=olivia)
    sams = _second_page(browser, live_server, viewport)

    sign_in_browser(page, olivia)
    sign_in_browser(sams, sam)
    page.goto(f"/problems/{problem.pk}/scanning/")
    sams.goto(f"/problems/{problem.pk}/scanning/")
    page.get_by_label("Problem statement").fill("Street drinking every evening at the parade")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Scanning saved.")).to_be_visible()

    sams.get_by_label("Problem statement").fill("Groups drinking outside the off-licence after 9pm")
    sams.get_by_role("button", name="Save").click()

    summary = sams.locator("[data-error-summary]")
    expect(summary).to_contain_text("Olivia Officer saved a change to this problem")
    theirs = sams.get_by_role("region", name="Their version, as saved now")
    expect(theirs).to_contain_text("Street drinking every evening at the parade")
    expect(sams.get_by_label("Problem statement")).to_have_value("Groups drinking outside the off-licence after 9pm")
    # Nothing on the page's content reaches past the window's width (the navigation bar is
    # another matter: a supervisor's is wider than 1280 px on main too).
    overflowing = sams.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length"""
    )
    assert overflowing == 0
    if viewport == PHONE:
        assert sams.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(sams)
    assert_no_console_errors(sams)
    problem.refresh_from_db()
    assert problem.problem_statement == "Street drinking every evening at the parade"

    # Having compared, Sam saves again: his text is kept, deliberately.
    sams.get_by_role("button", name="Save").click()
    expect(sams.get_by_role("heading", level=1)).to_contain_text(problem.title)
    assert Problem.objects.get(pk=problem.pk).problem_statement == "Groups drinking outside the off-licence after 9pm"
    sams.context.close()
