"""The static files storage (core.staticfiles) remembers each URL it works out, and gives exactly
what whitenoise's manifest storage gives: hashed names, unhashed under DEBUG, a missing name refused
every time, and a new manifest after collectstatic's post-processing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from core.staticfiles import RememberingStaticFilesStorage

PATHS = {"css/app.css": "css/app.0123456789ab.css", "js/app.js": "js/app.ba9876543210.js"}


def _storages(root: Path) -> tuple[RememberingStaticFilesStorage, CompressedManifestStaticFilesStorage]:
    (root / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": PATHS, "hash": "h"}))
    options = {"location": str(root), "base_url": "/static/"}
    return RememberingStaticFilesStorage(**options), CompressedManifestStaticFilesStorage(**options)


def test_urls_are_the_manifest_storages_first_time_and_after(tmp_path: Path, settings: Any) -> None:
    settings.DEBUG = False
    ours, theirs = _storages(tmp_path)
    for _ in range(2):
        for name in [*PATHS, "css/app.css?v=1#top"]:
            assert ours.url(name) == theirs.url(name)
    assert ours.url("css/app.css") == "/static/css/app.0123456789ab.css"


def test_debug_gives_unhashed_names_even_after_hashed_ones(tmp_path: Path, settings: Any) -> None:
    settings.DEBUG = False
    ours, _ = _storages(tmp_path)
    assert ours.url("js/app.js") == "/static/js/app.ba9876543210.js"
    settings.DEBUG = True
    assert ours.url("js/app.js") == "/static/js/app.js"
    assert ours.url("js/app.js", force=True) == "/static/js/app.ba9876543210.js"


def test_a_name_missing_from_the_manifest_is_refused_every_time(tmp_path: Path, settings: Any) -> None:
    settings.DEBUG = False
    ours, _ = _storages(tmp_path)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/nowhere.css")


def test_a_new_manifest_is_followed(tmp_path: Path, settings: Any) -> None:
    settings.DEBUG = False
    ours, _ = _storages(tmp_path)
    assert ours.url("css/app.css") == "/static/css/app.0123456789ab.css"
    ours.hashed_files = {"css/app.css": "css/app.fedcba987654.css"}
    assert ours.url("css/app.css") == "/static/css/app.fedcba987654.css"
