"""The map tile setting (issue 22): with MAP_TILE_URL set, its host, and only it, is added to the
Content Security Policy's img-src; without it the policy names no other host and the maps draw on
a plain background. Leaflet is served from the project's static files, not a CDN."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from config.settings.base import map_tile_source
from tests.processes import run_python

PRINT_POLICY = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.SECURE_CSP['img-src'], settings.SECURE_CSP['connect-src'], settings.MAP_TILE_URL]))"
)


def _policy(**env: str) -> list[object]:
    result = run_python(
        "-c",
        PRINT_POLICY,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        drop=frozenset({"MAP_TILE_URL"}),
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tiles.force.example/wmts/{z}/{x}/{y}.png", "https://tiles.force.example"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tile.example.org:8443/{z}/{x}/{y}.png?key=abc", "https://tile.example.org:8443"),
        ("javascript:alert(1)", ""),
        ("tiles/{z}/{x}/{y}.png", ""),
        ("", ""),
    ],
)
def test_the_policy_source_is_the_tile_urls_scheme_and_host_only(url: str, source: str) -> None:
    assert map_tile_source(url) == source


def test_a_tile_url_adds_its_host_to_img_src_only() -> None:
    img_src, connect_src, url = _policy(MAP_TILE_URL="https://tiles.force.example/{z}/{x}/{y}.png")
    assert img_src == ["'self'", "data:", "https://tiles.force.example"]
    assert connect_src == ["'self'"]
    assert url == "https://tiles.force.example/{z}/{x}/{y}.png"


def test_without_a_tile_url_no_other_host_is_allowed() -> None:
    img_src, connect_src, url = _policy()
    assert img_src == ["'self'", "data:"]
    assert connect_src == ["'self'"]
    assert url == ""


def test_leaflet_and_the_cluster_plugin_are_served_locally() -> None:
    for path in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet-markercluster/leaflet.markercluster-global.js",
        "vendor/leaflet-markercluster/MarkerCluster.Default.css",
        "js/maps.js",
    ):
        assert finders.find(path), path


@pytest.mark.django_db
def test_a_map_page_carries_the_tile_setting_in_data_attributes(client: Client, settings: object) -> None:
    from tests.accounts.factories import UserFactory
    from tests.conftest import sign_in
    from tests.partnerships.factories import PoliceForceFactory

    settings.MAP_TILE_URL = "https://tiles.force.example/{z}/{x}/{y}.png"  # type: ignore[attr-defined]
    settings.MAP_TILE_ATTRIBUTION = "&copy; Force <b>mapping</b>"  # type: ignore[attr-defined]
    user = UserFactory(organisation=PoliceForceFactory())
    page = sign_in(client, user).get("/problems/map/").content.decode()
    assert 'data-tile-url="https://tiles.force.example/{z}/{x}/{y}.png"' in page
    assert 'data-tile-attribution="&amp;copy; Force &lt;b&gt;mapping&lt;/b&gt;"' in page
    assert "/static/vendor/leaflet/leaflet.js" in page
