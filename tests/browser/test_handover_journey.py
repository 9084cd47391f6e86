"""Journey in a real browser (issue 16): officer A logs a street-drinking problem, completes
scanning and part of the analysis, records a decision, and hands the problem over to officer B mid-
analysis; B sees it on their home page and acknowledges it; A can no longer edit and is told why;
B finishes the analysis, the response and the assessment; the supervisor signs off and closes it;
the decision and the lead history are all there. axe-core finds no violations on any page visited,
at 1280 px and, for the handover pages, at a 390 px phone width."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from problems.models import Handover, Problem, Stage
from problems.selectors.access import CANNOT_EDIT
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, sign_in_browser
from tests.browser.sara_steps import checked, move_on, open_form, save
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
        # A logs the problem and completes scanning.
        page.goto("/problems/new/")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Description").fill("Groups drinking outside the shops every evening.")
        page.get_by_label("Category").select_option(label="Anti-social behaviour")
        page.get_by_label("Where it came from").select_option(label="Community report")
        page.get_by_label("High").check()
        page.get_by_label("Neighbourhood or ward").select_option(label="Eastgate")
        page.get_by_role("button", name="Log the problem").click()
        problem = Problem.objects.get()
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        checked(page)
        open_form(page, "Edit scanning", "Scanning")
        page.get_by_label("Problem statement").fill("Daily street drinking at the parade intimidates shoppers.")
        page.get_by_label("Community: who in the community is affected?").fill("Shoppers, staff and residents.")
        page.get_by_label("Harm: what harm does it cause?").fill("Intimidation, noise and litter.")
        page.get_by_label("Expectation: do people expect the police to act?").fill("Raised at the PACT meeting.")
        page.get_by_label("Events: what events or incidents make it up?").fill("64 ASB calls last quarter.")
        page.get_by_label("Recurring: does it keep happening?").fill("Almost every day.")
        page.get_by_label("Similarity: what do the events have in common?").fill("Same benches, same hours.")
        save(page, TITLE)
        move_on(page, problem.reference, "analysis", TITLE)

        # Part of the analysis: the triangle only.
        open_form(page, "Edit the problem analysis triangle", "Analysis: the problem analysis triangle")
        page.get_by_label("Offender: what is known").fill("About eight adults, some street homeless.")
        page.get_by_label("Victim or target: what is known").fill("Shop staff and shoppers.")
        page.get_by_label("Location: what is known").fill("Benches beside an off-licence.")
        save(page, TITLE)

        # A decision in the National Decision Model log.
        open_form(page, "Record a decision", "Record a decision")
        page.get_by_label("Information and intelligence").fill("64 ASB calls; shopkeepers' logs.")
        page.get_by_label("Assessment of threat and risk").fill("Daily intimidation; vulnerable drinkers.")
        page.get_by_label("Powers and policy").fill("Licensing Act 2003; ASB, Crime and Policing Act 2014.")
        page.get_by_label("Options considered").fill("Dispersal only; outreach and a licensing agreement.")
        page.get_by_label("Decision and action").fill("Outreach first, then a voluntary licensing agreement.")
        page.get_by_label("Code of Ethics consideration").fill("Support before enforcement.")
        page.get_by_role("button", name="Save to the decision log").click()
        expect(page.get_by_text("The decision has been added to the decision log.")).to_be_visible()
        checked(page)

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
            open_form(page_b, "Add a controller", "Add a controller")
            page_b.get_by_label("Kind of controller").select_option(label="Manager (of places)")
            page_b.get_by_label("Who they are").fill("Licensee of Eastgate Wines")
            page_b.get_by_label("They are engaged").check()
            save(page_b, TITLE)
            open_form(page_b, "Add a hypothesis", "Add a hypothesis")
            page_b.get_by_label("Hypothesis").fill("Cheap strong lager sold on the parade draws the group.")
            page_b.get_by_label("Status").select_option(label="Supported")
            save(page_b, TITLE)
            open_form(page_b, "Add an objective", "Add an objective")
            page_b.get_by_label("Description").fill("Halve ASB calls about the parade.")
            page_b.get_by_label("Measure").fill("ASB calls to the police about the parade")
            page_b.get_by_label("Baseline").fill("64 a quarter")
            page_b.get_by_role("textbox", name=re.compile(r"^Target\W*$")).fill("32 a quarter")
            page_b.get_by_label("Target date").fill((today + datetime.timedelta(days=180)).isoformat())
            save(page_b, TITLE)
            move_on(page_b, problem.reference, "response", TITLE)
            open_form(page_b, "Add a response action", "Add a response action")
            page_b.get_by_label("Description").fill("Weekly outreach sessions on the parade.")
            page_b.get_by_label("Kind of intervention").select_option(label="Support")
            page_b.get_by_label("Responsible organisation").select_option(value=str(council.pk))
            page_b.get_by_label("Responsible person").fill("Outreach team leader")
            page_b.get_by_label("Due date").fill((today + datetime.timedelta(days=30)).isoformat())
            save(page_b, TITLE)
            open_form(page_b, "Change action 1", "Change a response action")
            page_b.get_by_label("Status").select_option(label="Done")
            save(page_b, TITLE)
            move_on(page_b, problem.reference, "assessment", TITLE)
            open_form(page_b, "Record result for objective 1", "Record the objective's result")
            page_b.get_by_label("Result").fill("27 ASB calls in the last quarter.")
            page_b.get_by_label("Was the objective met?").select_option(label="Yes")
            save(page_b, TITLE)
            open_form(page_b, "Edit the assessment", "Assessment")
            page_b.get_by_label("Process evaluation: was the response delivered as planned?").fill("Yes.")
            page_b.get_by_label("Lessons learned").fill("A structured handover kept the work going.")
            save(page_b, TITLE)

    # The supervisor signs off and closes; the decision and the lead history are all there.
    with browser_of(browser, live_server, supervisor) as page_s:
        page_s.goto(f"/problems/{problem.pk}/")
        page_s.get_by_role("button", name="Sign off the assessment").click()
        expect(page_s.get_by_text("You signed off the assessment.")).to_be_visible()
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
