"""`python manage.py import_police_csv FILE...`: import data.police.uk street-level files, with a
progress bar on the terminal. Re-importing a file adds nothing (see evaluation.services.crime_import).

Each file is recorded as an import run by the same service as an upload (`crime_import_record`),
so it is listed in "Recent imports" (as from the command line) with the same result as the web
shows: the run's message, and each row not imported with its line, here on standard error. A file
of which no row could be read fails the command (a non-zero exit), as a wrong header does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluation.models import CrimeImportRun, ImportState
from evaluation.services.crime_import import count_lines, crime_import_record, crime_import_run

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import data.police.uk street-level crime CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--no-progress", action="store_true", help="Print only each file's result.")

    def handle(self, *args: Any, files: list[Path], no_progress: bool, **options: Any) -> None:
        failed = 0
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            with path.open("rb") as stream:
                total = max(count_lines(stream) - 1, 0)
            run = crime_import_record(actor=None, file_name=path.name, rows_total=total)
            with path.open("rb") as stream:
                run = crime_import_run(run=run, stream=stream, progress=None if no_progress else self._bar)
            if not no_progress:
                self.stdout.write("")
            for error in run.errors:
                self.stderr.write(f"{path.name}: {error['message']}")
            if run.error_count > len(run.errors):
                self.stderr.write(f"{path.name}: ... and {run.error_count - len(run.errors)} more rows not imported")
            if run.state == ImportState.FAILED:
                failed += 1
                if all(error["message"] != run.message for error in run.errors):
                    self.stderr.write(f"{path.name}: {run.message}")
            else:
                self.stdout.write(self.style.SUCCESS(f"{path.name}: {run.message}"))
        if failed:
            raise CommandError(f"{failed} file{'s' if failed != 1 else ''} could not be imported")

    def _bar(self, run: CrimeImportRun) -> None:
        done = min(run.rows_done, run.rows_total) if run.rows_total else run.rows_done
        filled = int(BAR_WIDTH * done / run.rows_total) if run.rows_total else BAR_WIDTH
        self.stdout.write(
            f"\r{run.file_name}: [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{run.rows_total:,} rows",
            ending="",
        )
        self.stdout.flush()
