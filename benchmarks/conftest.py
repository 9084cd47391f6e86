from __future__ import annotations

from tests.conftest import world  # noqa: F401  (the personas, for signed-in measurements)
