"""Demo data of the problems app: about twenty problems across every stage, and one worked example
from scanning to closure. Runs in seed_records, after the demo users and partners exist."""

from __future__ import annotations

from typing import Any


def seed(*, stdout: Any) -> None:
    return None


def seed_records(*, stdout: Any) -> None:
    from problems.demo.leads import seed as seed_leads
    from problems.demo.problems import seed as seed_problems
    from problems.demo.retention import seed as seed_retention
    from problems.demo.sharing import seed as seed_shares

    seed_problems(stdout=stdout)
    seed_shares(stdout=stdout)
    seed_leads(stdout=stdout)
    seed_retention(stdout=stdout)
