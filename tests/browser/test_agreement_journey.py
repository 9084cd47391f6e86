"""Journey in a real browser: a supervisor drafts an information-sharing agreement between the force
and the council with every heading, the council's partner lead and the force's supervisor each sign
in their own browser, the supervisor activates it and it shows as Active in the register. axe-core
finds no accessibility violations on any page visited, and no console (CSP) error is logged."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from partnerships.models import Agreement, AgreementStatus
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PageProblems, assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_party(page: Page, organisation: str, basis: str, power: str) -> None:
    page.get_by_role("link", name=f"Edit {organisation}'s details").click()
    expect(page.get_by_role("heading", name=re.compile(f"^{organisation} in ISA-"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Controller role").select_option(label="Separate (independent) controller")
    page.get_by_label("Lawful basis").select_option(label=basis)
    page.get_by_label("Legal power").fill(power)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{organisation}'s details saved.")).to_be_visible()


def test_supervisor_drafts_both_leads_sign_and_the_agreement_becomes_active(
    page: Page, browser: Browser, live_server: Any
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    council = OrganisationFactory(name="Northshire City Council")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    lead = UserFactory(role=Role.PARTNER_LEAD, organisation=council, full_name="Lee Lead")
    today = timezone.localdate()

    # The supervisor drafts the agreement, filling every heading.
    sign_in_browser(page, supervisor)
    page.goto("/agreements/new/")
    expect(page.get_by_role("heading", name="New information-sharing agreement")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Eastgate anti-social behaviour information sharing")
    page.get_by_role("checkbox", name="Northshire Police", exact=True).check()
    page.get_by_role("checkbox", name="Northshire City Council", exact=True).check()
    page.get_by_label("Purpose", exact=True).fill("To reduce anti-social behaviour in Eastgate together.")
    page.get_by_role("checkbox", name="ASB reports and complaints").check()
    page.get_by_role("checkbox", name="Offences, allegations and convictions").check()
    page.get_by_label("Data items", exact=True).fill("Date, time and place of reports; names of repeat perpetrators.")
    page.get_by_label("Special category and criminal offence data conditions").fill(
        "UK GDPR Article 10; DPA 2018 Schedule 1 paragraph 10."
    )
    page.get_by_label("DPA 2018 Part 3 conditions").fill("DPA 2018 s.35(5) and Schedule 8 paragraph 1.")
    page.get_by_label("DPIA reference").fill("DPIA-2026-031")
    page.get_by_label("Retention and deletion").fill("Kept for 12 months, then securely deleted.")
    page.get_by_label("Security measures").fill("Secure email only; access-controlled systems.")
    page.get_by_label("Individuals' rights").fill("Each party answers requests about the data it holds.")
    page.get_by_label("Subject access request contact").fill("Data Protection Officer, dpo@council.example")
    page.get_by_label("Sharing dates or frequency").fill("Monthly")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("Review date").fill((today + datetime.timedelta(days=180)).isoformat())
    page.get_by_label("Expiry date").fill((today + datetime.timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Create draft").click()

    agreement = Agreement.objects.get()
    expect(page.get_by_text(f"Draft {agreement.reference} created.")).to_be_visible()
    expect(page.get_by_role("heading", name="Before activation")).to_be_visible()
    assert_accessible(page)

    # Each party's controller role, lawful basis and legal power.
    _fill_party(page, "Northshire City Council", "Public task (Article 6(1)(e))", "Crime and Disorder Act 1998 s.115")
    assert_accessible(page)
    _fill_party(page, "Northshire Police", "Law enforcement purposes (DPA 2018 Part 3)", "Police Act 1996 s.30")
    checklist = page.locator(".missing-items")
    expect(checklist.get_by_role("listitem")).to_have_count(2)
    expect(checklist).to_contain_text("Northshire City Council: its lead has not signed.")

    # The force's supervisor signs for the force.
    page.get_by_role("button", name="Sign for Northshire Police").click()
    expect(page.get_by_text("You signed the agreement for Northshire Police.")).to_be_visible()
    assert_accessible(page)

    # The council's partner lead signs in their own browser.
    lead_context = browser.new_context(base_url=live_server.url)
    lead_page = lead_context.new_page()
    lead_problems = PageProblems()
    lead_page.on("console", lead_problems)
    lead_page.console_problems = lead_problems  # type: ignore[attr-defined]
    try:
        sign_in_browser(lead_page, lead)
        lead_page.goto(f"/agreements/{agreement.pk}/")
        expect(
            lead_page.get_by_role("heading", name="Eastgate anti-social behaviour information sharing")
        ).to_be_visible()
        expect(lead_page.get_by_role("button", name="Sign for Northshire Police")).to_have_count(0)
        assert_accessible(lead_page)
        lead_page.get_by_role("button", name="Sign for Northshire City Council").click()
        expect(lead_page.get_by_text("You signed the agreement for Northshire City Council.")).to_be_visible()
        expect(lead_page.get_by_role("cell", name=re.compile("Signed by Lee Lead on"))).to_be_visible()
        assert_accessible(lead_page)
        assert_no_console_errors(lead_page)
    finally:
        lead_context.close()

    # The supervisor activates it; it appears as Active in the register.
    page.reload()
    expect(page.get_by_text("Every heading is complete and every party has signed")).to_be_visible()
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text(f"{agreement.reference} version 1 is now active.")).to_be_visible()
    assert_accessible(page)
    page.goto("/agreements/")
    row = page.get_by_role("row").filter(has_text=agreement.reference)
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Northshire City Council; Northshire Police")
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text=agreement.reference)).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
    assert Agreement.objects.get().status == AgreementStatus.ACTIVE
