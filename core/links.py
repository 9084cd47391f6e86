"""Addresses of one object each (`/problems/<pk>/`) for list rows, from one `reverse()` per URL
configuration instead of one per row (issue 23).

`reverse()` walks the URL configuration and checks the arguments against the pattern every time:
on a list of 25 problems that was 25 walks for the same shape of address. For a pattern whose one
argument is an integer `pk` the address is a fixed head, the number, and a fixed tail: the head and
tail are found once (reversing with a marker number) per URL name, URL configuration and script
prefix, and each row's address is put together from them. The result is what `reverse(name,
kwargs={"pk": pk})` gives (tests/core/test_links.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Stands for the primary key while the address is made; long enough not to occur by chance.
_MARKER = 987_654_321_987


@lru_cache(maxsize=256)
def _head_and_tail(url_name: str, urlconf: Any, prefix: str) -> tuple[str, str]:
    address = reverse(url_name, urlconf=urlconf, kwargs={"pk": _MARKER})
    head, found, tail = address.partition(str(_MARKER))
    if not found or str(_MARKER) in tail:
        raise ValueError(f"{url_name!r} does not put its pk in its address once")
    return head, tail


def url_with_pk(url_name: str, pk: int) -> str:
    """`reverse(url_name, kwargs={"pk": pk})` for a pattern whose one argument is an integer pk."""
    if type(pk) is not int or pk < 0:
        # Anything but a plain whole number: reverse() checks it against the pattern.
        return reverse(url_name, kwargs={"pk": pk})
    head, tail = _head_and_tail(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{head}{pk}{tail}"
