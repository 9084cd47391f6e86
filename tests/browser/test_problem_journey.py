"""Journey in a real browser: an officer logs a problem and works it through SARA (scanning, analysis
with a controller, a hypothesis and an objective with its baseline, a decision in the NDM log,
response with an action marked done, assessment with the objective's result and lessons learned);
a supervisor, in their own browser, signs the assessment off and closes the problem. axe-core finds
no accessibility violations on any page visited, and no console (CSP) error is logged."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from problems.models import ActionStatus, Stage
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_no_console_errors, sign_in_browser
from tests.browser.sara_steps import (
    add_controller_hypothesis_and_objective,
    checked,
    complete_scanning,
    fill_the_triangle,
    log_problem,
    move_on,
    record_decision,
    respond_and_assess,
    sign_off,
)
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

    # The officer logs the problem and completes scanning.
    sign_in_browser(page, officer)
    problem = log_problem(page, title)
    complete_scanning(page, problem)

    # Analysis: the triangle, a controller, a hypothesis and an objective with its baseline.
    fill_the_triangle(page, title)
    add_controller_hypothesis_and_objective(page, title, today)

    # A decision in the National Decision Model log, joint with the council.
    record_decision(page, joint_with="Northshire City Council")
    expect(page.locator("#decision-log")).to_contain_text("Joint decision with Northshire City Council")
    move_on(page, problem.reference, "response", title)

    # Response: an action, then marked done; assessment: the objective's result and the lessons.
    respond_and_assess(page, problem, council, today)
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
        sign_off(supervisor_page, "Drinking down by half; keep the shop watch going.")
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
