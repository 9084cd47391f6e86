"""Access matrix entries for the problem map and its GeoJSON. Joined into tests/access_matrix.py.

Like the problem list, everyone signed in may open them; each sees only the problems they may see
(tests/problems/test_maps.py checks what each persona is given)."""

from __future__ import annotations

from tests.access_matrix import Entry, signed_in_page

ENTRIES: list[Entry] = [
    Entry("problem-map", signed_in_page()),
    Entry("problem-map-data", signed_in_page()),
]
