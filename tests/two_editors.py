"""Helpers for tests of two people at once (core.concurrency): what a page's form carries, and a
message as the page's HTML shows it."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

from django.db import models


def seen(page: Any, name: str = "lock_version") -> str:
    """The hidden value the page's form carries (what its user saw)."""
    assert page.status_code == 200, page.status_code
    found = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    assert found, f"no hidden {name} on the page"
    return found.group(1)


def escaped(message: str) -> str:
    """`message` as the page's HTML carries it (quotes escaped as Django does)."""
    return html.escape(message)


def posted(value: Any) -> Any:
    """A form value as a browser posts it: objects by id, dates in ISO form, None as empty."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [posted(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def post_data(initial: dict[str, Any]) -> dict[str, Any]:
    """A form's initial values as its unchanged submission (a False checkbox is left out)."""
    return {name: posted(value) for name, value in initial.items() if value is not False}
