"""Access matrix entries for the problems app: sharing. Joined into tests/access_matrix.py."""

from __future__ import annotations

from tests.access_matrix import Entry

ENTRIES: list[Entry] = []
