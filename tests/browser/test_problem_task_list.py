"""The problem page as a task list, in a real browser at 1280 and 390 px, as the lead officer of a
problem in its response: the stages at the top with the one next step, the response's section open
and the others collapsed, a collapsed section opened by the user and another by following its link
in the progress list, action links named by what they change; axe-core finds no violation and
nothing is logged against the Content Security Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from problems.models import ActionStatus, Stage
from problems.selectors.page import NEXT_FINISH_RESPONSE
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories_sara import ResponseActionFactory, problem_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTION = "Council clean-up of the bench area"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_lead_sees_the_stages_and_the_next_step_with_the_work_open(page: Page, width: int, height: int) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Pat Constable")
    problem = problem_at(Stage.RESPONSE, ready=False, force=force, owner=officer, title="Street drinking at the parade")
    ResponseActionFactory(problem=problem, description=ACTION, status=ActionStatus.IN_PROGRESS)

    page.set_viewport_size({"width": width, "height": height})
    sign_in_browser(page, officer)
    page.goto(f"/problems/{problem.pk}/")
    expect(page.get_by_role("heading", name=problem.title, level=1)).to_be_visible()

    progress = page.get_by_role("region", name="Progress")
    for label in ("Scanning", "Analysis", "Objectives", "Response", "Assessment"):
        expect(progress.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(progress.get_by_role("listitem").filter(has_text="Scanning")).to_contain_text("Complete")
    expect(progress.locator("[aria-current=step]")).to_have_text("Response : In progress", use_inner_text=True)
    expect(progress.locator("[data-next-step]")).to_contain_text(NEXT_FINISH_RESPONSE)

    # The response is where the work is: open, its action named by what it changes; the rest shut.
    expect(page.locator("details#response")).to_have_attribute("open", "")
    # Named by what it changes: "Change" and, visually hidden, ": <the action>".
    expect(page.get_by_role("link", name=re.compile(rf"^Change\W+{ACTION}$"))).to_be_visible()
    expect(page.get_by_role("link", name="Add a response action")).to_be_visible()
    for shut in ("scanning", "analysis", "objectives", "assessment"):
        expect(page.locator(f"details#{shut}")).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Edit scanning")).to_be_hidden()
    assert_accessible(page)
    assert_no_console_errors(page)

    # The user opens a collapsed section...
    page.locator("details#scanning > summary").click()
    expect(page.get_by_role("link", name="Edit scanning")).to_be_visible()
    # ...and another from its link in the progress list (static/js/problem_page.js).
    progress.get_by_role("link", name="Objectives", exact=True).click()
    expect(page.locator("details#objectives")).to_have_attribute("open", "")
    expect(page.get_by_role("table", name="Objectives set before the response")).to_be_visible()
    assert_accessible(page)

    # A link to a section opens it on arrival too.
    page.goto(f"/problems/{problem.pk}/#analysis")
    expect(page.locator("details#analysis")).to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Edit the problem analysis triangle")).to_be_visible()
    assert_no_console_errors(page)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_a_supervisor_returns_an_assessment_to_response_with_a_note(page: Page, width: int, height: int) -> None:
    # Instead of signing off, the supervisor sends the assessment back with a note: the problem is
    # in response again, the note is in its stage history, and it is no longer awaiting sign-off.
    force = PoliceForceFactory(name="Northshire Police")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Pat Constable")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    problem = problem_at(Stage.ASSESSMENT, ready=True, force=force, owner=officer, title="Drinking at the parade")
    note = "The displacement check is missing: compare the next street before signing off."

    page.set_viewport_size({"width": width, "height": height})
    sign_in_browser(page, supervisor)
    page.goto(f"/problems/{problem.pk}/")
    sign_off = page.get_by_role("form", name="Sign off the assessment")
    expect(sign_off).to_be_visible()
    assert_accessible(page)
    sign_off.get_by_role("link", name="Return it to response with a note").click()

    expect(page.get_by_role("heading", name=f"Reopen {problem.reference} at an earlier stage")).to_be_visible()
    expect(page.get_by_label("Reopen at stage")).to_have_value(Stage.RESPONSE)
    # Refused without the note, saying so, and nothing moves.
    page.get_by_role("button", name="Reopen the problem").click()
    expect(page.get_by_text("Give the reason for reopening the problem.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for reopening").fill(note)
    page.get_by_role("button", name="Reopen the problem").click()

    expect(page.get_by_role("heading", name=problem.title, level=1)).to_be_visible()
    expect(page.locator("p.lead")).to_contain_text("Response")
    expect(page.get_by_role("form", name="Sign off the assessment")).to_have_count(0)
    page.locator("details#history > summary").click()
    expect(page.locator("details#history")).to_contain_text(note)
    problem.refresh_from_db()
    assert problem.stage == Stage.RESPONSE
    assert problem.signed_off_at is None
    assert_accessible(page)
    assert_no_console_errors(page)
