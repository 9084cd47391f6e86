"""Partnerships in a real browser, as a supervisor: the partnership list, a partnership's page with
its power/interest grid, the create form with a mistake, and the data source list. axe-core finds no
accessibility violations on any of them, and no CSP violation is logged."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from partnerships.forms.partnerships import PARTNERSHIP_NAME_REQUIRED
from partnerships.models import DataCategory, ModelOfWorking, SeldomHeardGroup, StakeholderKind
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from tests.partnerships.factories_partnerships import (
    make_agreement,
    make_data_source,
    make_partnership,
    make_stakeholder,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_views_partnerships_their_grid_and_data_sources(page: Page) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    council = OrganisationFactory(name="Northshire City Council")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    partnership = make_partnership(
        name="Eastgate Neighbourhood Partnership",
        members=[force, council],
        created_by=supervisor,
        model_of_working=ModelOfWorking.CO_PRODUCTION,
        terms_of_reference="Residents co-chair the meetings.",
    )
    make_stakeholder(partnership, kind=StakeholderKind.ORGANISATION, organisation=council, influence=5, interest=5)
    make_stakeholder(
        partnership,
        name="Older residents' lunch club",
        influence=1,
        interest=4,
        seldom_heard_group=SeldomHeardGroup.objects.get(name="Older people"),
    )
    make_stakeholder(partnership, kind=StakeholderKind.NAMED_ROLE, name="Ward councillor", influence=5, interest=2)
    make_data_source(
        council,
        name="ASB case reports",
        holds_personal_data=True,
        categories=[DataCategory.objects.get(code="asb-reports")],
        agreement=make_agreement(parties=[force, council], title="Town centre ASB sharing"),
    )

    sign_in_browser(page, supervisor)
    expect(page.get_by_role("heading", name="Team overview")).to_be_visible()

    page.goto("/partnerships/")
    expect(page.get_by_role("heading", name="Partnerships", exact=True)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Eastgate Neighbourhood Partnership"))
    expect(row).to_contain_text("Co-production")
    expect(row).to_contain_text("Northshire City Council")
    assert_accessible(page)
    assert_no_console_errors(page)

    row.get_by_role("link", name="Eastgate Neighbourhood Partnership").click()
    expect(page.get_by_role("heading", name="Eastgate Neighbourhood Partnership", level=1)).to_be_visible()
    grid = page.get_by_role("img", name="Power and interest grid for Eastgate Neighbourhood Partnership")
    expect(grid).to_be_visible()
    expect(grid.locator("[data-shape=diamond]")).to_have_count(1)
    expect(grid.locator("[data-shape=circle]")).to_have_count(2)
    table = page.get_by_role("table", name=re.compile("Stakeholders on the map"))
    expect(table.get_by_role("row")).to_have_count(4)
    gaps = page.get_by_role("region", name=re.compile("Gaps"))
    expect(gaps).to_contain_text("Ward councillor (influence 5)")
    expect(gaps).to_contain_text("Young people")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.goto("/partnerships/new/")
    expect(page.get_by_text("Residents and partners share power")).to_be_visible()
    page.get_by_label("Area").fill("Riverside")
    page.get_by_role("button", name="Add partnership").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(PARTNERSHIP_NAME_REQUIRED)
    expect(summary).to_contain_text("Choose how the partnership works together.")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Area")).to_have_value("Riverside")
    assert_accessible(page)
    assert_no_console_errors(page)

    page.goto("/data-sources/")
    expect(page.get_by_role("heading", name="Data sources")).to_be_visible()
    source = page.get_by_role("row", name=re.compile("ASB case reports"))
    expect(source).to_contain_text("Town centre ASB sharing")
    page.get_by_label("Organisation").select_option(label="Northshire City Council")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Data sources: Northshire City Council")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
