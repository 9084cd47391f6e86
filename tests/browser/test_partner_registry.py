"""The partner registry in a real browser, as a supervisor: the list with its no-SPOC flag, an
organisation's page, the profile form with a mistake, and the handover form. axe-core finds no
accessibility violations on any of them, and no CSP violation is logged."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from partnerships.models import Organisation
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory, handover_between

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_reviews_the_partner_registry_and_opens_the_handover_form(page: Page) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    council = OrganisationFactory(name="Northshire City Council")
    OrganisationFactory(name="Eastgate Residents' Association")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    outgoing = SpocFactory(organisation=council, name="Priya Patel", spoc_topics="ASB in Eastgate")
    incoming = ContactFactory(organisation=council, name="Lee Lead")
    handover_between(outgoing, incoming, recorded_by=supervisor)
    SpocFactory(organisation=council, name="Dev Patel", spoc_topics="Licensing")

    sign_in_browser(page, supervisor)
    gaps = page.get_by_role("region", name="Partnership gaps")
    expect(gaps.get_by_role("link", name="Eastgate Residents' Association")).to_be_visible()
    expect(gaps.get_by_role("link", name="Northshire City Council")).to_have_count(0)
    assert_accessible(page)

    page.goto("/partners/")
    expect(page.get_by_role("heading", name="Partners")).to_be_visible()
    residents = page.get_by_role("row", name="Eastgate Residents' Association")
    expect(residents).to_contain_text("No active SPOC")
    expect(page.get_by_role("row", name="Northshire City Council")).not_to_contain_text("No active SPOC")
    assert_accessible(page)
    page.get_by_label("Only organisations with no single point of contact today").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row", name="Northshire City Council")).to_have_count(0)

    page.goto(f"/partners/{council.pk}/")
    expect(page.get_by_role("heading", name="Northshire City Council")).to_be_visible()
    expect(page.get_by_role("region", name="Single points of contact today")).to_contain_text("Lee Lead")
    expect(page.get_by_role("region", name="Handover history")).to_contain_text("Priya Patel")
    assert_accessible(page)

    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save profile").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Enter an email address in the right format")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_value("not an email")
    assert_accessible(page)
    assert Organisation.objects.get(pk=council.pk).email == ""

    page.goto(f"/partners/{council.pk}/")
    page.get_by_role("link", name="Record a handover").click()
    expect(page.get_by_role("heading", name="Record a handover")).to_be_visible()
    page.get_by_label("Handing over (outgoing single point of contact)").select_option(label=str(incoming))
    page.get_by_label("Taking over (incoming contact)").select_option(label=str(incoming))
    page.get_by_label("Handover note").fill("Same person by mistake")
    page.get_by_role("button", name="Record handover").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Choose someone other than the outgoing contact")
    assert_accessible(page)
    assert_no_console_errors(page)
