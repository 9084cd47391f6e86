from __future__ import annotations

# The personas, for signed-in measurements; and the flush of the append-only tables that a
# transactional benchmark ends with (tests/conftest.py).
from tests.conftest import _test_database_flush, world  # noqa: F401
