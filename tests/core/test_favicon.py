"""The site's icon (static/favicon.svg): every page built on the base template links it, and
whitenoise serves it, as a static file with its own caching, to visitors signed in or not."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

ICON_LINK = re.compile(r'<link rel="icon" href="(?P<href>[^"]+)" type="image/svg\+xml">')


def _icon_href(html: str) -> str:
    found = ICON_LINK.search(html)
    assert found, "the page links no icon"
    return found["href"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_base_page_links_the_icon_and_it_is_served(client: Client, world: World, signed_in: bool) -> None:
    if signed_in:
        sign_in(client, world.users["officer"])
    page = client.get(reverse("home") if signed_in else reverse("login"))
    assert page.status_code == 200
    href = _icon_href(page.content.decode())
    assert href.startswith("/static/")
    assert "favicon" in href
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert icon["Cache-Control"].startswith("max-age=")  # whitenoise's own
    body = b"".join(icon.streaming_content)  # type: ignore[attr-defined]
    assert body.lstrip().startswith(b"<svg")
