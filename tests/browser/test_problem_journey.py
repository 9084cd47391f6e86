"""Journey in a real browser: an officer logs a problem and works it through SARA (scanning, analysis
with a controller, a hypothesis and an objective with its baseline, a decision in the NDM log,
response with an action marked done, assessment with the objective's result and lessons learned);
a supervisor, in their own browser, signs the assessment off and closes the problem. axe-core finds
no accessibility violations on any page visited, and no console (CSP) error is logged."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from problems.models import ActionStatus, Problem, Stage
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_no_console_errors, sign_in_browser
from tests.browser.sara_steps import checked, move_on, open_form, save
from tests.partnerships.factories import NeighbourhoodFactory, OrganisationFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_works_a_problem_from_scanning_to_assessment_and_supervisor_closes_it(
    page: Page, browser: Browser, live_server: Any
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    NeighbourhoodFactory(name="Eastgate", organisation=force)
    council = OrganisationFactory(name="Northshire City Council")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    title = "Street drinking at Eastgate parade"
    today = timezone.localdate()

    # The officer logs the problem.
    sign_in_browser(page, officer)
    page.goto("/problems/new/")
    expect(page.get_by_role("heading", name="Log a problem")).to_be_visible()
    checked(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Groups drinking outside the shops every evening.")
    page.get_by_label("Category").select_option(label="Anti-social behaviour")
    page.get_by_label("Where it came from").select_option(label="Community report")
    page.get_by_label("High").check()
    page.get_by_label("Neighbourhood or ward").select_option(label="Eastgate")
    page.get_by_role("button", name="Log the problem").click()
    problem = Problem.objects.get()
    expect(page.get_by_text(f"Problem {problem.reference} logged.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)

    # Scanning: the problem statement and the six CHEERS answers.
    open_form(page, "Edit scanning", "Scanning")
    page.get_by_label("Problem statement").fill("Daily street drinking at the parade intimidates shoppers.")
    page.get_by_label("Community: who in the community is affected?").fill("Shoppers, staff and residents.")
    page.get_by_label("Harm: what harm does it cause?").fill("Intimidation, noise and litter.")
    page.get_by_label("Expectation: do people expect the police to act?").fill("Raised at the residents' meeting.")
    page.get_by_label("Events: what events or incidents make it up?").fill("64 ASB calls last quarter.")
    page.get_by_label("Recurring: does it keep happening?").fill("Almost every day.")
    page.get_by_label("Similarity: what do the events have in common?").fill("Same benches, same hours.")
    page.get_by_label("Evidence sources").fill("Police calls; shopkeepers' logs.")
    save(page, title)
    move_on(page, problem.reference, "analysis", title)

    # Analysis: the triangle, a controller, a hypothesis and an objective with its baseline.
    open_form(page, "Edit the problem analysis triangle", "Analysis: the problem analysis triangle")
    page.get_by_label("Offender: what is known").fill("About eight adults, some street homeless.")
    page.get_by_label("Victim or target: what is known").fill("Shop staff and shoppers.")
    page.get_by_label("Location: what is known").fill("Benches beside an off-licence.")
    save(page, title)
    open_form(page, "Add a controller", "Add a controller")
    page.get_by_label("Kind of controller").select_option(label="Manager (of places)")
    page.get_by_label("Who they are").fill("Licensee of Eastgate Wines")
    page.get_by_label("They are engaged").check()
    save(page, title)
    open_form(page, "Add a hypothesis", "Add a hypothesis")
    page.get_by_label("Hypothesis").fill("Cheap strong lager sold on the parade draws the group.")
    page.get_by_label("Status").select_option(label="Supported")
    save(page, title)
    open_form(page, "Add an objective", "Add an objective")
    page.get_by_label("Description").fill("Halve ASB calls about the parade.")
    page.get_by_label("Measure").fill("ASB calls to the police about the parade")
    page.get_by_label("Baseline").fill("64 a quarter")
    page.get_by_role("textbox", name=re.compile(r"^Target\W*$")).fill("32 a quarter")
    page.get_by_label("Target date").fill((today + datetime.timedelta(days=180)).isoformat())
    save(page, title)

    # A decision in the National Decision Model log.
    open_form(page, "Record a decision", "Record a decision")
    page.get_by_label("Information and intelligence").fill("64 ASB calls; shopkeepers' logs.")
    page.get_by_label("Assessment of threat and risk").fill("Daily intimidation; vulnerable drinkers.")
    page.get_by_label("Powers and policy").fill("Licensing Act 2003; ASB, Crime and Policing Act 2014.")
    page.get_by_label("Options considered").fill("Dispersal only; outreach and a licensing agreement.")
    page.get_by_label("Decision and action").fill("Outreach first, then a voluntary licensing agreement.")
    page.get_by_label("Code of Ethics consideration").fill("Support before enforcement.")
    page.get_by_label("Joint decision").check()
    page.get_by_label("Northshire City Council").check()
    page.get_by_role("button", name="Save to the decision log").click()
    expect(page.get_by_text("The decision has been added to the decision log.")).to_be_visible()
    expect(page.locator("#decision-log")).to_contain_text("Joint decision with Northshire City Council")
    checked(page)
    move_on(page, problem.reference, "response", title)

    # Response: an action, then marked done.
    open_form(page, "Add a response action", "Add a response action")
    page.get_by_label("Description").fill("Weekly outreach sessions on the parade.")
    page.get_by_label("Kind of intervention").select_option(label="Support")
    page.get_by_label("Responsible organisation").select_option(label=f"{council.name} (no users yet)")
    page.get_by_label("Responsible person").fill("Outreach team leader")
    page.get_by_label("Due date").fill((today + datetime.timedelta(days=30)).isoformat())
    save(page, title)
    open_form(page, "Change action 1", "Change a response action")
    page.get_by_label("Status").select_option(label="Done")
    save(page, title)
    expect(page.get_by_role("row").filter(has_text="Weekly outreach sessions")).to_contain_text("Done")
    move_on(page, problem.reference, "assessment", title)

    # Assessment: the objective's result and the lessons learned.
    open_form(page, "Record result for objective 1", "Record the objective's result")
    page.get_by_label("Result").fill("27 ASB calls in the last quarter.")
    page.get_by_label("Was the objective met?").select_option(label="Yes")
    save(page, title)
    open_form(page, "Edit the assessment", "Assessment")
    page.get_by_label("Process evaluation: was the response delivered as planned?").fill("Yes, as planned.")
    page.get_by_label("Lessons learned").fill("Outreach before enforcement built trust.")
    save(page, title)
    expect(page.locator(".missing-items")).to_contain_text("sign")
    assert_no_console_errors(page)

    # The supervisor signs the assessment off and closes the problem, in their own browser.
    context = browser.new_context(base_url=live_server.url)
    supervisor_page = context.new_page()
    problems = PageProblems()
    supervisor_page.on("console", problems)
    supervisor_page.console_problems = problems  # type: ignore[attr-defined]
    try:
        sign_in_browser(supervisor_page, supervisor)
        supervisor_page.goto(f"/problems/{problem.pk}/")
        expect(supervisor_page.get_by_role("heading", name=title, level=1)).to_be_visible()
        checked(supervisor_page)
        supervisor_page.get_by_role("button", name="Sign off the assessment").click()
        expect(supervisor_page.get_by_text("You signed off the assessment.")).to_be_visible()
        checked(supervisor_page)
        move_on(supervisor_page, problem.reference, "closed", title)
        expect(supervisor_page.get_by_role("definition").filter(has_text="Signed off by Sam Sergeant")).to_be_visible()
        supervisor_page.get_by_role("link", name="Printable summary").click()
        expect(supervisor_page.get_by_role("heading", name="Stage history")).to_be_visible()
        expect(supervisor_page.get_by_role("row").filter(has_text=re.compile("Assessment to Closed"))).to_be_visible()
        checked(supervisor_page)
    finally:
        context.close()

    problem.refresh_from_db()
    assert problem.stage == Stage.CLOSED
    assert problem.signed_off_by == supervisor
    assert problem.actions.get().status == ActionStatus.DONE
    assert problem.objectives.get().result == "27 ASB calls in the last quarter."
