"""Demo data of the partnerships app, in dependency order: organisations, contacts, agreements,
partnerships (with stakeholder maps and data sources, which refer to agreements)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

PARTS = ("organisations", "contacts", "agreements", "partnerships")


def seed(*, stdout: Any) -> None:
    for part in PARTS:
        module = import_module(f"partnerships.demo.{part}")
        module.seed(stdout=stdout)
