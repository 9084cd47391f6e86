"""Journey in a real browser: an officer shares a problem with the council under the active
agreement; the council's partner member finds it in "Shared with us", completes the action
assigned to the council and adds an update; the officer sees the update and the council's
consultation in the "who has seen or received this problem" panel; a housing partner's user gets
404. axe-core finds no violations on the pages visited, and no console (CSP) error is logged."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from problems.models import ActionStatus, ResponseAction
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import active_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _other_browser(browser: Browser, live_server: Any) -> tuple[Any, Page]:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems)
    page.console_problems = problems  # type: ignore[attr-defined]
    return context, page


def test_officer_shares_with_the_council_which_completes_its_action_and_adds_an_update(
    page: Page, browser: Browser, live_server: Any
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    council = OrganisationFactory(name="Northshire City Council")
    housing = OrganisationFactory(name="Northshire Homes")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olu Officer")
    member = UserFactory(role=Role.PARTNER_MEMBER, organisation=council, full_name="Mo Member")
    tenant_officer = UserFactory(role=Role.PARTNER_MEMBER, organisation=housing, full_name="Hana Housing")
    agreement = active_agreement(force, council, title="Eastgate ASB information sharing")
    active_agreement(force, housing, title="Housing information sharing")
    problem = ProblemFactory(force=force, owner=officer, title="Street drinking at Eastgate parade")
    ResponseActionFactory(
        problem=problem,
        responsible_organisation=council,
        description="Install a gate on the alley behind the parade",
    )
    detail_url = f"/problems/{problem.pk}/"

    # The officer shares the problem with the council, with contribute access.
    sign_in_browser(page, officer)
    page.goto(detail_url)
    page.get_by_role("link", name="Share with a partner").click()
    assert_accessible(page)
    page.get_by_label("Partner organisation").select_option(label="Northshire City Council")
    page.get_by_label("View and contribute").check()
    page.get_by_role("checkbox", name="ASB reports and complaints").check()
    page.get_by_label("Information-sharing agreement").select_option(value=str(agreement.pk))
    page.get_by_role("button", name="Share the problem").click()
    expect(page.get_by_text(f"{problem.reference} is now shared with Northshire City Council.")).to_be_visible()
    assert_accessible(page)

    # The council's member finds it in "Shared with us", completes their action and adds an update.
    member_context, member_page = _other_browser(browser, live_server)
    try:
        sign_in_browser(member_page, member)
        member_page.goto("/shared-with-us/")
        assert_accessible(member_page)
        member_page.get_by_role("link", name=problem.reference).click()
        expect(member_page.get_by_role("heading", name="Street drinking at Eastgate parade", level=1)).to_be_visible()
        expect(member_page.get_by_role("heading", name="Who has seen or received this problem")).to_have_count(0)
        assert_accessible(member_page)
        actions = member_page.get_by_role("table", name="Actions assigned to your organisation")
        expect(actions).to_contain_text("Install a gate on the alley behind the parade")
        actions.get_by_role("button", name=re.compile("^Complete")).click()
        expect(member_page.get_by_text("Action marked as done.")).to_be_visible()
        member_page.get_by_role("link", name="Add an update").click()
        expect(member_page.get_by_role("heading", name="Add an update", level=1)).to_be_visible()
        assert_accessible(member_page)
        member_page.get_by_label("Update").fill("The council fitted the alley gate on Monday.")
        member_page.get_by_role("button", name="Add the update").click()
        expect(member_page.get_by_text("Update added.")).to_be_visible()
        expect(member_page.get_by_text("The council fitted the alley gate on Monday.")).to_be_visible()
        assert_accessible(member_page)
        assert_no_console_errors(member_page)
    finally:
        member_context.close()
    assert ResponseAction.objects.get().status == ActionStatus.DONE

    # The officer sees the update and the council's consultation in the panel.
    page.goto(detail_url)
    expect(page.get_by_text("The council fitted the alley gate on Monday.")).to_be_visible()
    # The panel is collapsed until the officer opens it.
    page.locator("details#disclosures > summary").click()
    panel = page.get_by_role("table", name="Consultations and disclosures, newest first")
    expect(panel.get_by_role("row").filter(has_text="Mo Member").first).to_contain_text("Northshire City Council")
    expect(panel).to_contain_text("Shared with Northshire City Council")
    assert_accessible(page)
    assert_no_console_errors(page)

    # A housing partner's user cannot reach it.
    housing_context, housing_page = _other_browser(browser, live_server)
    try:
        sign_in_browser(housing_page, tenant_officer)
        response = housing_page.goto(detail_url)
        assert response is not None
        assert response.status == 404
        housing_page.goto("/shared-with-us/")
        expect(housing_page.get_by_role("link", name=problem.reference)).to_have_count(0)
    finally:
        housing_context.close()
