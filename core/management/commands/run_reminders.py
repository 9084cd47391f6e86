"""Run every reminder sweep now, as beat would on its schedule (for operators and tests)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.reminders import QueueOutcome, registered_sweeps, sweep_run

NOT_QUEUED = "their reminders stay due and are queued when it is back"


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
            outcome = QueueOutcome()
            # sweep_run commits before it returns, so `outcome` says what the broker really took.
            sweep_run(name, today=today, outcome=outcome)
            line = f"{name}: {outcome.queued} send task(s) queued"
            if outcome.not_queued:
                line += f", {outcome.not_queued} not queued (the broker is unreachable: {NOT_QUEUED})"
            self.stdout.write(line)
