"""Journey in a real browser (issue 16): officer A logs a street-drinking problem, completes
scanning and part of the analysis, records a decision, and hands the problem over to officer B mid-
analysis; B sees it on their home page and acknowledges it; A can no longer edit and is told why;
B finishes the analysis, the response and the assessment; the supervisor signs off and closes it;
the decision and the lead history are all there. axe-core finds no violations on any page visited,
at 1280 px and, for the handover pages, at a 390 px phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from problems.models import Handover, Stage
from problems.selectors.access import CANNOT_EDIT
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, sign_in_browser
from tests.browser.sara_steps import (
    add_controller_hypothesis_and_objective,
    checked,
    complete_scanning,
    fill_the_triangle,
    log_problem,
    move_on,
    open_form,
    record_decision,
    respond_and_assess,
    sign_off,
)
from tests.partnerships.factories import NeighbourhoodFactory, OrganisationFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Street drinking at Eastgate parade"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextmanager
def browser_of(browser: Browser, live_server: Any, user: User) -> Iterator[Page]:
    """A signed-in browser of `user`'s own (their own cookies), checked like the `page` fixture."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems)
    page.console_problems = problems  # type: ignore[attr-defined]
    try:
        sign_in_browser(page, user)
        yield page
    finally:
        context.close()


def fits_the_width(page: Page) -> None:
    """Nothing scrolls sideways at the page's current width."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size}"


def test_a_problem_handed_over_mid_analysis_is_finished_by_the_new_lead(browser: Browser, live_server: Any) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    NeighbourhoodFactory(name="Eastgate", organisation=force)
    council = OrganisationFactory(name="Northshire City Council")
    officer_a = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")
    officer_b = UserFactory(role=Role.OFFICER, organisation=force, full_name="Owen Officer")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    today = timezone.localdate()

    with browser_of(browser, live_server, officer_a) as page:
        # A logs the problem, completes scanning and part of the analysis (the triangle only).
        problem = log_problem(page, TITLE)
        complete_scanning(page, problem)
        fill_the_triangle(page, TITLE)

        # A decision in the National Decision Model log.
        record_decision(page)

        # A hands over to B, first trying to hand it to themselves (refused, and what was typed stays).
        open_form(page, "Hand over", f"Hand over {problem.reference}")
        expect(page.get_by_label("New lead officer").locator("option", has_text="Olivia Officer")).to_have_count(0)
        page.get_by_label("Handover note").fill("Analysis half done: controllers and the objective still to do.")
        page.get_by_role("button", name="Hand over the problem").click()
        expect(page.get_by_role("alert")).to_contain_text("Choose the officer who will lead the problem.")
        expect(page.get_by_label("Handover note")).to_have_value(
            "Analysis half done: controllers and the objective still to do."
        )
        checked(page)
        page.set_viewport_size(PHONE)
        fits_the_width(page)
        checked(page)
        page.set_viewport_size(DESKTOP)
        page.get_by_label("New lead officer").select_option(label="Owen Officer (Neighbourhood officer)")
        page.get_by_label("Outstanding items").fill("Speak to the licensee of Eastgate Wines.")
        page.get_by_label("Known risks").fill("Two of the drinkers are vulnerable adults.")
        page.get_by_role("button", name="Hand over the problem").click()
        expect(page.get_by_text(f"{problem.reference} handed over to Owen Officer.")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Handover awaiting acknowledgement")).to_be_visible()
        checked(page)

        # B sees it on their home page and acknowledges it.
        with browser_of(browser, live_server, officer_b) as page_b:
            panel = page_b.get_by_role("region", name="Handovers awaiting your acknowledgement")
            expect(panel).to_contain_text(problem.reference)
            checked(page_b)
            page_b.set_viewport_size(PHONE)
            fits_the_width(page_b)
            page_b.set_viewport_size(DESKTOP)
            panel.get_by_role("link", name=re.compile(problem.reference)).click()
            expect(page_b.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
            checked(page_b)
            page_b.get_by_role("button", name="Acknowledge the handover").click()
            expect(page_b.get_by_text(f"you now lead {problem.reference}")).to_be_visible()
            expect(page_b.get_by_text("Handover awaiting acknowledgement")).to_have_count(0)
            checked(page_b)

            # A can no longer edit, and is told why.
            page.reload()
            expect(page.get_by_role("link", name="Edit the problem analysis triangle")).to_have_count(0)
            response = page.goto(f"/problems/{problem.pk}/analysis/")
            assert response is not None
            assert response.status == 403
            expect(page.get_by_text(CANNOT_EDIT)).to_be_visible()
            # The browser logs the 403 itself as a failed load; nothing else may be logged.
            page.console_problems.messages.clear()  # type: ignore[attr-defined]
            checked(page)

            # B finishes the analysis, the response and the assessment.
            add_controller_hypothesis_and_objective(page_b, TITLE, today)
            move_on(page_b, problem.reference, "response", TITLE)
            respond_and_assess(page_b, problem, council, today)

    # The supervisor signs off and closes; the decision and the lead history are all there.
    with browser_of(browser, live_server, supervisor) as page_s:
        page_s.goto(f"/problems/{problem.pk}/")
        sign_off(page_s, "Drinking down by half; keep the shop watch going.")
        move_on(page_s, problem.reference, "closed", TITLE)
        expect(page_s.locator("#decision-log")).to_contain_text("Outreach first, then a voluntary licensing agreement.")
        history = page_s.get_by_role("table", name="Lead history")
        expect(history).to_contain_text("Olivia Officer")
        expect(history).to_contain_text("Owen Officer")
        expect(history).to_contain_text("Analysis half done")
        expect(history).to_contain_text("Two of the drinkers are vulnerable adults.")
        expect(history).not_to_contain_text("Awaiting")
        checked(page_s)

    problem.refresh_from_db()
    assert problem.stage == Stage.CLOSED
    assert problem.owner == officer_b
    assert problem.signed_off_by == supervisor
    handover = Handover.objects.get(problem=problem)
    assert (handover.from_user, handover.to_user) == (officer_a, officer_b)
    assert handover.acknowledged_at is not None
    assert problem.decisions.count() == 1
