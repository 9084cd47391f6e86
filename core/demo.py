"""Demo data of the shared kernel: the reminders due today for the demo records (reviews, actions,
agreements, the weekly digest), made by the registered sweeps and queued for the worker, so the
demo users find them in their email folder (var/mail/) and under the bell. Idempotent: a reminder
exists once per (kind, object, due date, recipient)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.reminders import registered_sweeps, sweep_run


def seed(*, stdout: Any) -> None:
    """Nothing of its own: the reminders are about other apps' records (seed_records)."""


def seed_records(*, stdout: Any) -> None:
    today = timezone.localdate()
    for name in sorted(registered_sweeps()):
        sweep_run(name, today=today)
    stdout.write("Reminders due today made and queued.")
