"""Every page fits the window: no sideways scrolling at 1280 px or on a 390 px phone (issue 20,
DESIGN.md section 6). Each HTML page of the access matrix (tests/access_matrix.py) is opened in a
real browser as a persona who may see it, with the matrix's own test world behind it; downloads
(CSV, PDF, SVG, attachments) are not pages and are left out by their content type."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.access_matrix import MATRIX, Entry
from tests.browser.conftest import settle
from tests.conftest import World, sign_in

# About a second a page: run by `make layout`, not by `make test` (whose journeys check each page
# they visit at both widths through tests/browser/conftest.py assert_accessible).
pytestmark = [pytest.mark.browser, pytest.mark.layout, pytest.mark.django_db(transaction=True)]

# The persona who sees most of each page: supervisors see every police page in full.
PREFERENCE = ("supervisor", "officer", "analyst", "partner_lead", "partner_member", "dpo", "administrator")
WIDTHS = (1280, 390)
DOWNLOADS = frozenset({"text/csv", "application/pdf", "image/svg+xml", "application/json", "application/geo+json"})
# What sticks out, when something does: the outermost elements past the right edge (a scrolling
# table's own content is inside its scroll box and does not count).
CULPRITS = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !(el.parentElement && el.parentElement.closest(".table-responsive, .xx")))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || "").trim().slice(0, 40)}"`);
}"""


def _pages() -> list[tuple[Entry, str]]:
    cases = []
    for entry in MATRIX:
        if entry.method != "get" or entry.name.startswith("admin:"):
            continue
        persona = next((p for p in PREFERENCE if entry.expect.get(p) == 200), None)
        if persona is not None:
            cases.append((entry, persona))
    return cases


PAGES = _pages()


@pytest.mark.parametrize(("entry", "persona"), PAGES, ids=[f"{e.name}-{p}" for e, p in PAGES])
def test_the_page_fits_a_desktop_window_and_a_phone(
    browser: Browser, live_server: Any, world: World, entry: Entry, persona: str
) -> None:
    url = reverse(entry.name, kwargs=entry.kwargs(world))
    client = sign_in(Client(), world.users[persona])
    context = browser.new_context(base_url=live_server.url)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    try:
        # A download aborts the navigation; its content type is checked below.
        with (
            page.expect_response(lambda response: response.url.endswith(url)) as answer,
            contextlib.suppress(PlaywrightError),
        ):
            page.goto(url)
        content_type = answer.value.headers.get("content-type", "")
        if not content_type.startswith("text/html"):
            # Not a page but a file (CSV, PDF, SVG, JSON): nothing to lay out; any other type is news.
            assert content_type.split(";")[0] in DOWNLOADS, f"{url} answered {content_type}"
            return
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            settle(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} is {overflow} px wider than a {width} px window: {page.evaluate(CULPRITS)}"
    finally:
        context.close()
