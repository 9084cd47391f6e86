"""Demo data of the partnerships app.

`seed` creates the organisations, before the accounts demo creates the people in them; `seed_records`
then adds what refers to people, in dependency order: contacts (and a handover), agreements (signed
by leads), partnerships (with stakeholder maps and data sources, which refer to agreements)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

RECORD_PARTS = ("contacts", "agreements", "partnerships", "neighbourhoods")


def seed(*, stdout: Any) -> None:
    import_module("partnerships.demo.organisations").seed(stdout=stdout)


def seed_records(*, stdout: Any) -> None:
    for part in RECORD_PARTS:
        import_module(f"partnerships.demo.{part}").seed(stdout=stdout)
