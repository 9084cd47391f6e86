"""The site search in a real browser (issue 20): the box in the main navigation, at 1280 px and in
the collapsed menu on a 390 px phone, searched as an officer, a partner member (who finds only the
problems shared with their organisation, and only by disclosed text) and a supervisor (who also
finds restricted problems). axe-core finds no violation on the results at either width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.search.factories import WORD, quokka_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = "Search problems, partners, agreements and engagement"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _search_from_the_navigation(page: Page, query: str) -> None:
    navigation = page.get_by_role("navigation", name="Main")
    opener = navigation.get_by_role("button", name="Find records")
    if opener.is_visible():
        # In the bar (1280 px) the box opens below its button, with the cursor in it.
        opener.click()
        expect(navigation.get_by_label(BOX)).to_be_focused()
    navigation.get_by_label(BOX).fill(query)
    navigation.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()


def _problem_titles(page: Page) -> list[str]:
    region = page.get_by_role("region", name=re.compile(r"^Problems"))
    return sorted(link.split(": ", 1)[1] for link in region.get_by_role("link").all_inner_texts())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", ["shared", "withheld", "disclosed", "unshared"]),
        ("partner_member", ["shared", "disclosed"]),
        ("supervisor", ["shared", "withheld", "disclosed", "unshared", "restricted"]),
    ],
)
def test_a_search_from_the_navigation_finds_what_the_persona_may_see(
    page: Page, world: World, persona: str, expected: list[str]
) -> None:
    found = quokka_world(world)
    page.set_viewport_size(DESKTOP)
    sign_in_browser(page, world.users[persona])

    _search_from_the_navigation(page, WORD)
    assert _problem_titles(page) == sorted(found.problems[name].title for name in expected)
    expect(page.get_by_role("region", name=re.compile(r"^Community priorities"))).to_contain_text("Quokka Road")
    expect(page.get_by_label("Search for")).to_have_value(WORD)
    assert_accessible(page)
    assert_no_console_errors(page)

    # The first result leads to its page.
    first = found.problems["shared"]
    page.get_by_role("link", name=f"{first.reference}: {first.title}").click()
    expect(page.get_by_role("heading", name=re.compile(first.title))).to_be_visible()


def test_on_a_phone_the_box_is_in_the_collapsed_menu_and_a_short_query_is_explained(page: Page, world: World) -> None:
    quokka_world(world)
    page.set_viewport_size(PHONE)
    sign_in_browser(page, world.users["officer"])
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_label(BOX)).to_be_hidden()
    navigation.get_by_role("button", name="Show or hide navigation").click()
    # Part of the collapsed menu, no button to open it.
    expect(navigation.get_by_role("button", name="Find records")).to_be_hidden()
    _search_from_the_navigation(page, "qu")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Enter at least 3 characters to search for.")
    expect(page.get_by_label("Search for")).to_have_value("qu")
    page.get_by_label("Search for").fill("quokka murals")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator("#search-summary")).to_contain_text("1 result for “quokka murals”")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
