"""Steps the problem journeys share: open a form from the problem page, save it, move the problem
on; each page visited is checked with axe-core and for console (CSP) errors."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_console_errors


def checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def open_form(page: Page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    checked(page)


def save(page: Page, title: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)


def move_on(page: Page, reference: str, stage: str, title: str) -> None:
    page.get_by_role("button", name=f"Move to {stage}").click()
    expect(page.get_by_text(f"{reference} moved to {stage}.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)
