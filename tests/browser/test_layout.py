"""The main navigation fits a 1280 px window for every role (issue 20: it was up to 105 px wider
than the screen, hiding the analyst's name and "Sign out"), and on a 390 px phone it collapses
behind one button with nothing wider than the screen. Real browser, axe-core on both."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    assert_accessible,
    assert_no_console_errors,
    open_from_menu,
    page_overflow,
    sign_in_browser,
)
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("officer", "supervisor", "analyst", "partner_member", "partner_lead", "administrator", "dpo")
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("persona", ROLES)
def test_the_navigation_fits_a_desktop_window_and_collapses_on_a_phone(page: Page, world: World, persona: str) -> None:
    user = world.users[persona]
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_browser(page, user)

    navigation = page.get_by_role("navigation", name="Main")
    account = navigation.get_by_role("button", name="(your account)")
    expect(account).to_be_visible()
    box = account.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1280, f"{persona}: the account menu ends at {box}"
    assert page_overflow(page) <= 0
    # One row: the bar is no taller than a single line of links.
    bar = navigation.bounding_box()
    assert bar is not None
    assert bar["height"] < 80, f"{persona}: the navigation wraps ({bar['height']} px)"
    account.click()
    expect(navigation.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)

    page.set_viewport_size(PHONE)
    toggle = navigation.get_by_role("button", name="Show or hide navigation")
    expect(toggle).to_be_visible()
    expect(account).to_be_hidden()
    assert page_overflow(page) <= 0
    toggle.click()
    expect(account).to_be_visible()
    assert page_overflow(page) <= 0
    assert_accessible(page)


def test_a_menu_link_leads_to_its_page_and_marks_its_menu(page: Page, world: World) -> None:
    sign_in_browser(page, world.users["officer"])
    open_from_menu(page, "Partners", "Agreements")
    expect(page.get_by_role("heading", name="Information-sharing agreements", level=1)).to_be_visible()
    menu = page.get_by_role("navigation", name="Main").get_by_role("button", name="Partners")
    expect(menu).to_have_class("nav-link dropdown-toggle btn btn-link active")
    assert_accessible(page)
