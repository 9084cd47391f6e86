"""Access matrix entries for this concept. Joined into tests/access_matrix.py."""

from __future__ import annotations

from tests.access_matrix import Entry

ENTRIES: list[Entry] = []
