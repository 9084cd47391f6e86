"""Access matrix entries for the site search. Joined into tests/access_matrix.py.

Every signed-in, verified user may search; what each finds is what they may see (tests/search)."""

from __future__ import annotations

from tests.access_matrix import Entry, signed_in_page

ENTRIES: list[Entry] = [
    # With a query, so that the search itself runs for every persona (the page opened without one
    # only offers the box: tests/search/test_search_views.py).
    Entry("search", signed_in_page(), data={"q": "Northshire"}),
]
