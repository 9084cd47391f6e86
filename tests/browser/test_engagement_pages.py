"""The other engagement pages in a real browser, with records on them: the priority list, the
coverage grid (gaps and reached cells), a safety plan with its contributions and actions, its
forms, and the supervisor's home page with the list of coverage gaps. axe-core finds no
accessibility violations and no console (CSP) error is logged."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from engagement.models import Party, PriorityStatus
from engagement.services.plans import plan_action_add, plan_contribution_add
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.engagement.factories import add_action, groups, make_event, make_plan, make_priority
from tests.partnerships.factories import NeighbourhoodFactory, OrganisationFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(page: Page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)


def test_engagement_pages_are_accessible_with_records_on_them(page: Page, live_server: Any) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    council = OrganisationFactory(name="Northshire City Council")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    eastgate = NeighbourhoodFactory(name="Eastgate", slug="eastgate", organisation=force)
    NeighbourhoodFactory(name="Riverside", slug="riverside", organisation=force)
    make_event(eastgate, by=supervisor, groups_represented=groups("Young people", "Older people"), attendees=20)
    priority = make_priority(eastgate, by=supervisor, status=PriorityStatus.IN_PROGRESS)
    add_action(priority, "Daily patrols at the parade.", priority.issue_date)
    make_priority(eastgate, by=supervisor, issue="Speeding on Mill Road.")
    plan = make_plan(eastgate, by=supervisor)
    plan_contribution_add(
        actor=supervisor, plan=plan, party=Party.RESIDENTS, name="Mill Lane residents", contribution="Hot spots."
    )
    plan_action_add(actor=supervisor, plan=plan, party=Party.PARTNER, organisation=council, description="Lights.")

    sign_in_browser(page, supervisor)
    expect(page.locator("[data-coverage-gaps]")).to_contain_text("Riverside")
    assert_accessible(page)
    _visit(page, "/priorities/", "Community priorities")
    _visit(page, f"/priorities/{priority.pk}/", str(priority))
    _visit(page, f"/priorities/{priority.pk}/actions/new/", "Record what was done")
    _visit(page, "/engagement/coverage/", "Seldom-heard coverage")
    expect(page.locator('[data-neighbourhood="Eastgate"] [data-group="Young people"]')).to_contain_text("Reached")
    expect(page.locator('[data-neighbourhood="Riverside"] [data-group="Young people"]')).to_contain_text("Not reached")
    _visit(page, "/safety-plans/", "Safety plans")
    _visit(page, f"/safety-plans/{plan.pk}/", plan.title)
    _visit(page, f"/safety-plans/{plan.pk}/contributions/new/", "Record a contribution")
    _visit(page, "/safety-plans/new/", "Start a safety plan")

    # A form sent back with errors is accessible too, its error summary included.
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
