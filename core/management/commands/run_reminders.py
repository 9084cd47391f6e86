"""Run every reminder sweep now, as beat would on its schedule (for operators and tests)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.reminders import registered_sweeps, sweep_run


class Command(BaseCommand):
    help = "Run the reminder sweeps now: make the reminders that are due and queue them for sending."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sweep", action="append", help="Run only this sweep (may be repeated).")
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        sweeps = registered_sweeps()
        names = options["sweep"] or sorted(sweeps)
        unknown = sorted(set(names) - set(sweeps))
        if unknown:
            raise CommandError(f"Unknown sweep: {', '.join(unknown)}. Known: {', '.join(sorted(sweeps))}.")
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        for name in names:
            tasks = sweep_run(name, today=today)
            self.stdout.write(f"{name}: {tasks} send task(s) queued")
