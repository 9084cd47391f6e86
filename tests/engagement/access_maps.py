"""Access matrix entries for the engagement map and its GeoJSON. Joined into tests/access_matrix.py.
Like the engagement log, everyone signed in may open them; each sees only the engagement of the
neighbourhoods they may see (tests/engagement/test_maps.py)."""

from __future__ import annotations

from tests.access_matrix import Entry, signed_in_page

ENTRIES: list[Entry] = [
    Entry("engagement-map", signed_in_page()),
    Entry("engagement-map-data", signed_in_page()),
]
