"""Headless Chromium (Debian's package) driven by Playwright, and axe-core for accessibility."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Debian's chromium is needed for the browser tests: `make test` installs it (apt-get install chromium)"
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread while it is started, which makes
    # Django refuse ORM calls (fixtures, database flushes); they are still synchronous and safe
    # here. Allowed only while the browser runs, and the browser runs only for a browser module.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """Console errors (including Content Security Policy violations) seen while a page ran."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.failed: list[str] = []

    def __call__(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(message.text)


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems)
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.failed.append(f"{response.status} {response.url}"),
    )
    page.console_problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page (WCAG 2.0-2.2 A and AA rules) and return its violations.

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern,
    so the page is checked exactly as served."""
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )
    return list(result)


PHONE_WIDTH = 390


def settle(page: Page) -> None:
    """Wait two frames, so that charts and anything else that follows a resize has done so."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def page_overflow(page: Page) -> int:
    """How many pixels the page is wider than its window (0 or less: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def assert_fits(page: Page) -> None:
    """No sideways scrolling at the window's width, nor on a 390 px phone (DESIGN.md section 6);
    the window is put back as it was."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    assert page_overflow(page) <= 0, f"{page.url} is wider than a {size['width']} px window"
    if size["width"] > PHONE_WIDTH:
        page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        settle(page)
        overflow = page_overflow(page)
        page.set_viewport_size(size)
        settle(page)
        assert overflow <= 0, f"{page.url} is {overflow} px wider than a {PHONE_WIDTH} px phone"


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation, and the page fits the window and a phone."""
    violations = axe_violations(page)
    assert violations == [], f"axe-core found violations on {page.url}: {violations}"
    assert_fits(page)


def assert_no_console_errors(page: Page) -> None:
    problems: PageProblems = page.console_problems  # type: ignore[attr-defined]
    assert problems.messages == [], (
        f"console errors (CSP violations?) on {page.url}: {problems.messages} {problems.failed}"
    )


def open_from_menu(page: Page, menu: str, link: str) -> None:
    """Follow a link in one of the main navigation's menus (config/navigation.py), as a user does:
    open the menu, then choose the link."""
    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_role("button", name=menu).click()
    navigation.get_by_role("link", name=link, exact=True).click()


def sign_out_browser(page: Page) -> None:
    """Sign out from the account menu (the button that carries the user's name)."""
    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_role("button", name="(your account)").click()
    navigation.get_by_role("button", name="Sign out").click()


def sign_in_browser(page: Page, user: Any, password: str | None = None) -> None:
    """Sign in through the real pages: password, then the authenticator code."""
    from tests.accounts.factories import PASSWORD, totp_code

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(user.full_name)
