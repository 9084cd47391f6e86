from __future__ import annotations

# The personas, for signed-in measurements; and the flush of the append-only tables that a
# transactional benchmark ends with (tests/conftest.py).
from tests.conftest import _flush_empties_append_only_tables_quickly, world  # noqa: F401
