"""Journey in a real browser: an officer logs a public meeting with its attendees and the issues
raised, sets a priority from it and adopts it, creates a problem from the priority in one step,
and the priority appears on the neighbourhood's public "You said, we did" page, seen by a member
of the public with no account. axe-core finds no accessibility violations on any page visited,
the public one included, and no console (CSP) error is logged."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from engagement.models import CommunityPriority, EngagementEvent, PriorityStatus
from problems.models import Problem
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISSUE = "Street drinking and intimidation around the Eastgate parade of shops in the evening."


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_officer_logs_a_meeting_adopts_a_priority_makes_it_a_problem_and_the_public_sees_it(
    page: Page, browser: Browser, live_server: Any
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    NeighbourhoodFactory(name="Eastgate", slug="eastgate", organisation=force)
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")

    # The officer logs a public meeting on the quick form: today and in person are already set.
    sign_in_browser(page, officer)
    page.get_by_role("link", name="Engagement", exact=True).click()
    expect(page.get_by_role("heading", name="Engagement log", level=1)).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Log engagement").click()
    expect(page.get_by_role("heading", name="Log engagement", level=1)).to_be_visible()
    _checked(page)
    expect(page.get_by_label("In person")).to_be_checked()
    page.get_by_label("Kind of engagement").select_option(label="Public meeting")
    page.get_by_label("Neighbourhood").select_option(label="Eastgate")
    page.get_by_label("Place").fill("Eastgate Library")
    page.get_by_label("Number of attendees (or reach, for social media)").fill("38")
    page.get_by_label("Young people").check()
    page.get_by_label("Older people").check()
    page.get_by_label("Issues raised").fill("Street drinking at the parade; cycle thefts at the library.")
    page.get_by_role("button", name="Log the engagement").click()
    expect(page.get_by_text("Engagement logged.")).to_be_visible()
    expect(page.get_by_role("heading", name="Public meeting", level=1)).to_be_visible()
    _checked(page)
    event = EngagementEvent.objects.get()
    assert event.attendees == 38
    assert set(event.groups_represented.values_list("name", flat=True)) == {"Young people", "Older people"}

    # A priority set at the meeting, by a vote.
    page.get_by_role("link", name="Set a priority from this meeting").click()
    expect(page.get_by_role("heading", name="Set a priority", level=1)).to_be_visible()
    _checked(page)
    page.get_by_label("The issue (you said)").fill(ISSUE)
    page.get_by_label("How it was chosen").select_option(label="Vote at a meeting")
    page.get_by_label("Votes for this priority").fill("24")
    page.get_by_label("Votes cast in all").fill("38")
    page.get_by_role("button", name="Set the priority").click()
    expect(page.get_by_text("Priority set.")).to_be_visible()
    _checked(page)
    priority = CommunityPriority.objects.get()
    assert priority.event == event

    # Adopted.
    page.get_by_role("radio", name="Adopted", exact=True).check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Priority adopted")).to_be_visible()
    _checked(page)
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.ADOPTED

    # A problem created from it in one step.
    page.get_by_role("link", name="Create a problem from this priority").click()
    expect(page.get_by_role("heading", name="Create a problem from a priority", level=1)).to_be_visible()
    _checked(page)
    page.get_by_label("Category").select_option(label="Anti-social behaviour")
    page.get_by_role("button", name="Create the problem").click()
    problem = Problem.objects.get()
    expect(page.get_by_text(f"Problem {problem.reference} opened from the priority.")).to_be_visible()
    expect(page.get_by_role("heading", name=ISSUE, level=1)).to_be_visible()
    _checked(page)
    assert problem.problem_statement == ISSUE
    assert list(priority.problems.all()) == [problem]

    # A member of the public, with no account, finds the priority on the public page.
    public_context = browser.new_context(base_url=live_server.url)
    public = public_context.new_page()
    problems = PageProblems()
    public.on("console", problems)
    public.console_problems = problems  # type: ignore[attr-defined]
    public.goto("/you-said-we-did/eastgate/")
    expect(public.get_by_role("heading", name="You said, we did: Eastgate", level=1)).to_be_visible()
    expect(public.get_by_role("table")).to_contain_text(ISSUE)
    expect(public.get_by_role("table")).not_to_contain_text("Olivia")
    _checked(public)
    public_context.close()
