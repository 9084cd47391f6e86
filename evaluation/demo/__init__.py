"""Demo data of the evaluation app: survey rounds and a partnership health check (surveys), and
twelve months of synthetic street-level crime (crime). Each part is a module with `seed_records`."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

RECORD_PARTS = ("surveys", "crime", "assessment")


def seed(*, stdout: Any) -> None:
    """Nothing to create before people exist."""


def seed_records(*, stdout: Any) -> None:
    for part in RECORD_PARTS:
        if find_spec(f"evaluation.demo.{part}") is not None:
            import_module(f"evaluation.demo.{part}").seed_records(stdout=stdout)
