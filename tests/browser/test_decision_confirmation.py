"""A partner lead confirms a joint decision in a real browser: the home page lists it under "Joint
decisions to confirm", its link leads to the entry in the problem's decision log, and the lead
confirms it with a note; the log then says who confirmed and when, and who is still awaited.
axe-core finds no accessibility violations on the pages, and no CSP violation is logged."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.partnerships.factories import OrganisationFactory
from tests.problems.factories_decisions import decision
from tests.problems.factories_sharing import share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_lead_confirms_a_joint_decision_from_their_home_page(page: Page, world: World) -> None:
    problem = share(world, title="Drinking at the parade").problem
    charity = OrganisationFactory(name="Eastgate Homelessness Project")
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner, charity]
    )
    lead = world.users["partner_lead"]

    sign_in_browser(page, lead)
    panel = page.get_by_role("region", name="Joint decisions to confirm")
    expect(panel).to_contain_text(problem.reference)
    assert_accessible(page)
    assert_no_console_errors(page)

    panel.get_by_role("link", name="Decision of").click()
    card = page.locator(f"#decision-{entry.pk}")
    expect(card).to_contain_text("Awaiting confirmation by Northshire City Council")
    expect(card).to_contain_text("Awaiting confirmation by Eastgate Homelessness Project")
    assert_accessible(page)
    assert_no_console_errors(page)

    card.get_by_label("Note (optional)").fill("Agreed at the partnership meeting.")
    card.get_by_role("button", name="Confirm this joint decision").click()
    expect(page.get_by_role("status").filter(has_text="You confirmed the joint decision")).to_be_visible()
    card = page.locator(f"#decision-{entry.pk}")
    expect(card).to_contain_text(f"Northshire City Council: Confirmed by {lead.full_name} on")
    expect(card).to_contain_text("Note: Agreed at the partnership meeting.")
    expect(card).to_contain_text("Awaiting confirmation by Eastgate Homelessness Project")
    expect(card.get_by_role("button", name="Confirm this joint decision")).to_have_count(0)
    assert_accessible(page)
    assert_no_console_errors(page)

    page.goto("/")
    expect(page.get_by_text("No joint decision is waiting for your organisation's confirmation.")).to_be_visible()
