"""Demo problems (filled by the problems issue)."""

from __future__ import annotations

from typing import Any


def seed(*, stdout: Any) -> None:
    return None
