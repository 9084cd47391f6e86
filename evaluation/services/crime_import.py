"""Importing data.police.uk street-level crime files (the `import_police_csv` command and the upload
page both end here).

The file is streamed, never read whole, so memory stays flat whatever its size:

1. The header must be exactly `POLICE_CSV_HEADER`; otherwise nothing loads and the run's message
   says what was expected.
2. Each row is checked (twelve fields, a YYYY-MM month, both coordinates or neither, numbers and
   in range, a crime type, field lengths). A malformed row is recorded with its line number and skipped; the
   rest loads.
3. On PostgreSQL (evaluation.services.crime_import_copy) the file's bytes go to COPY, which
   parses the CSV and the coordinates itself, a chunk at a time into staging tables numbered by
   the file's lines; a file COPY cannot take or number by line (a wrong field count, a coordinate
   that is not a number, bytes that are not UTF-8, a blank line, a quoted field over several
   lines) is staged again row by row through the csv module instead. While one chunk is staged,
   a second connection checks the one before in SQL (`crime_rows.PROBLEM_SQL`, the same rules as
   `row_problem`: the malformed rows are reported and dropped) and moves the rest into
   `CrimeRecord` with `INSERT ... SELECT` of the keys not yet held, in one transaction (crimes by
   Crime ID; rows without one by the ASB rule below, numbered in SQL with a window function so
   that Python holds nothing per row). Elsewhere (the SQLite default) rows go in with
   `bulk_create(ignore_conflicts=True)` in batches.

The natural key (re-importing a file changes nothing): a row's Crime ID; for a row without one
(anti-social behaviour), ``asb-<md5>-<n>``: the hex MD5 of its other eleven fields as in the file
(the coordinates in their shortest form), joined by U+001F, and its occurrence number among
identical rows of the file (1, 2, ...); evaluation.models.crime has the whole rule.
`asb_key` is the rule; the PostgreSQL statement computes the same value (a test holds them equal).

A file that stops being readable part-way (bytes that are not UTF-8, a field the csv module refuses)
keeps the rows before that point and reports the line where reading stopped and how many lines,
from there to the end, were not read.

A Crime ID given on more than one line of the file goes in once, from its first line; each later
line is reported with the line it repeats (not as "already held", which is what is in the crime
table from earlier files).

A run in which no row could be read (every row malformed, or none at all) has failed; a run whose
rows were all held already has not (nothing new, but the file was good).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_record
from evaluation.models import POLICE_CSV_HEADER, CrimeImportRun, CrimeRecord, ImportState
from evaluation.services import crime_import_copy as copying
from evaluation.services.crime_rows import (
    BAD_COORDINATES,
    MAX_ERRORS_KEPT,
    asb_key,
    coordinate,
    row_problem,
    sql_problem_message,
)

if TYPE_CHECKING:
    from accounts.models import User

WRONG_HEADER = (
    "The first line is not the data.police.uk street-level header, so nothing was imported. Expected: {expected}"
)
EMPTY_FILE = "The file is empty, so nothing was imported. Expected the header: {expected}"
UNREADABLE = (
    "Line {line}: the file cannot be read from here on ({reason}); {unread:,} line{s} from here to the end "
    "{were} not read. The rows before it were imported."
)
WRONG_FIELD_COUNT = "Line {line}: expected 12 fields, found {count}."
REPEATED_CRIME_ID = "Line {line}: the Crime ID {crime_id} is repeated from line {first}; this row was not imported."
NO_ROW_READ = "Import failed: none of the {count:,} rows could be read, so nothing was imported."
NO_ROWS = "Import failed: the file has no rows after its header, so nothing was imported."


Progress = Callable[[CrimeImportRun], None]


def expected_header() -> str:
    return ",".join(POLICE_CSV_HEADER)


@dataclass
class _Reading:
    """What the row reader has found so far (it runs as a generator, so it reports through here)."""

    run: CrimeImportRun
    rows_done: int = 0
    rows_valid: int = 0
    # Rows repeating a Crime ID given earlier in the file (reported among the errors).
    repeated: int = 0
    # Where the file stopped being readable (its line, and why), and the lines not read from there.
    stopped: tuple[int, str] | None = None
    unread: int = 0

    def error(self, line: int, message: str) -> None:
        self.run.error_count += 1
        if len(self.run.errors) < MAX_ERRORS_KEPT:
            self.run.errors.append({"line": line, "message": message})

    def repeat(self, line: int, crime_id: str, first: int) -> None:
        self.repeated += 1
        self.error(line, REPEATED_CRIME_ID.format(line=line, crime_id=crime_id, first=first))


def _rows(reader: Any, reading: _Reading, *, check: bool) -> Iterator[tuple[int, list[Any]]]:
    """The rows with twelve fields, with their line numbers; with `check`, only those that pass
    `row_problem`. Without it (PostgreSQL's row-by-row staging, where the other checks run in SQL over
    the whole staging table at once), the rows whose coordinates are numbers, read into floats."""
    width = len(POLICE_CSV_HEADER)
    reading.stopped = None
    while True:
        read_before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as error:
            # Reported once the lines left are counted (`_report_unread`). A csv error may come
            # after several lines of one record: reading stopped at the record's first line.
            reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
            reading.stopped = (read_before + 1, reason)
            return
        reading.rows_done += 1
        if len(row) != width:
            if row and row != [""]:  # a blank line is no row at all
                reading.error(reader.line_num, WRONG_FIELD_COUNT.format(line=reader.line_num, count=len(row)))
            continue
        if check:
            problem = row_problem(row, reader.line_num)
            if problem is not None:
                reading.error(reader.line_num, problem)
                continue
        else:
            try:
                row[4:6] = [coordinate(row[4]), coordinate(row[5])]
            except ValueError:
                # Not stageable; reported as the full check would (it may find the month first).
                reading.error(reader.line_num, row_problem(row, reader.line_num) or BAD_COORDINATES)
                continue
        reading.rows_valid += 1
        yield reader.line_num, row


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a byte that is not UTF-8 stops the
    reading at its own line (the rows before it still load)."""
    first = True
    for raw in stream:
        line = raw.decode("utf-8")
        if first:
            line, first = line.removeprefix("\ufeff"), False
        yield line


def _report_unread(run: CrimeImportRun, stream: IO[bytes], reading: _Reading) -> None:
    """When the file stopped being readable, count the lines from there to its end (the line that
    could not be read among them) and report them at that line."""
    if reading.stopped is None:
        return
    line, reason = reading.stopped
    if stream.seekable():
        stream.seek(0)
        lines = count_lines(stream)
    else:
        lines = run.rows_total + 1
    reading.unread = max(lines - line + 1, 1)
    plural = reading.unread != 1
    message = UNREADABLE.format(
        line=line, reason=reason, unread=reading.unread, s="s" if plural else "", were="were" if plural else "was"
    )
    run.error_count += 1
    run.errors = [*run.errors[: MAX_ERRORS_KEPT - 1], {"line": line, "message": message}]


def count_lines(stream: IO[bytes]) -> int:
    """Lines in the file (for the progress bar), read in blocks."""
    count = 0
    last = b"\n"
    while block := stream.read(1 << 20):
        count += block.count(b"\n")
        last = block[-1:]
    return count + (0 if last == b"\n" else 1)


def _save_progress(run: CrimeImportRun, reading: _Reading, progress: Progress | None) -> None:
    run.rows_done = reading.rows_done
    CrimeImportRun.objects.filter(pk=run.pk).update(
        rows_done=run.rows_done, error_count=run.error_count, errors=run.errors
    )
    if progress is not None:
        progress(run)


def _note_months(run: CrimeImportRun, months: Iterable[str]) -> None:
    """Record the earliest and latest months (YYYY-MM) of the file's rows that load on the run."""
    ordered = sorted(months)
    if ordered:
        run.first_month = date(int(ordered[0][:4]), int(ordered[0][5:7]), 1)
        run.last_month = date(int(ordered[-1][:4]), int(ordered[-1][5:7]), 1)


def _load_postgresql(
    run: CrimeImportRun,
    stream: IO[bytes],
    rows: Iterator[tuple[int, list[str]]],
    save: Callable[[], None],
    reading: _Reading,
) -> int:
    """Stage the file (COPY of its bytes, or row by row when that cannot number its lines) and
    load it, checking the staged rows in SQL (evaluation.services.crime_import_copy); report the
    malformed rows with those the reader found."""

    def reread() -> Iterator[tuple[int, list[str]]]:
        if not stream.seekable():
            return rows  # not started: COPY was never tried
        stream.seek(0)
        reader = csv.reader(_lines(stream))
        next(reader)  # the header, already checked
        reading.rows_done = 0
        return _rows(reader, reading, check=False)

    def after_chunk(staged: int | None) -> None:
        if staged is not None:
            reading.rows_done = staged
        save()

    loaded, staged = copying.load(
        run_id=run.pk,
        rows_expected=run.rows_total,
        stream=stream if stream.seekable() else None,
        rows=reread,
        after_chunk=after_chunk,
    )
    if staged is not None:
        reading.rows_valid = staged
    reading.rows_valid -= loaded.problem_count
    reading.repeated += loaded.repeat_count
    _note_months(run, loaded.months)
    if loaded.problem_count or loaded.repeat_count:
        merged = run.errors + [
            {"line": line, "message": sql_problem_message(line, problem, month)}
            for line, problem, month in loaded.problems
        ]
        merged += [
            {"line": line, "message": REPEATED_CRIME_ID.format(line=line, crime_id=crime_id, first=first)}
            for line, crime_id, first in loaded.repeats
        ]
        run.errors = sorted(merged, key=lambda error: error["line"])[:MAX_ERRORS_KEPT]
        run.error_count += loaded.problem_count + loaded.repeat_count
    # Not stored: for the benchmark's breakdown of where the time goes.
    run.phase_seconds = loaded.timings  # type: ignore[attr-defined]
    return loaded.inserted


def _record(run: CrimeImportRun, line: int, row: list[str], key: str) -> CrimeRecord:
    return CrimeRecord(
        key=key,
        month=date(int(row[1][:4]), int(row[1][5:7]), 1),
        reported_by=row[2],
        falls_within=row[3],
        longitude=coordinate(row[4]),
        latitude=coordinate(row[5]),
        location=row[6],
        lsoa_code=row[7],
        lsoa_name=row[8],
        crime_type=row[9],
        last_outcome=row[10],
        context=row[11],
        import_run=run,
    )


def _load_portable(
    run: CrimeImportRun,
    rows: Iterator[tuple[int, list[str]]],
    save: Callable[[], None],
    reading: _Reading | None = None,
) -> int:
    """bulk_create in batches. Holds one counter entry per distinct row without a Crime ID (for
    the occurrence numbers) and the first line of each Crime ID (to report a repeat), which the
    PostgreSQL path does in SQL instead."""
    reading = reading or _Reading(run=run)
    seen: Counter[str] = Counter()
    first_lines: dict[str, int] = {}
    batch: list[CrimeRecord] = []
    months: set[str] = set()
    for line, row in rows:
        if row[0]:
            first = first_lines.setdefault(row[0], line)
            if first != line:
                reading.repeat(line, row[0], first)
                continue
        months.add(row[1])
        if row[0]:
            key = row[0]
        else:
            digest = asb_key(row[1:], 0)
            seen[digest] += 1
            key = asb_key(row[1:], seen[digest])
        batch.append(_record(run, line, row, key))
        if len(batch) >= copying.CHUNK_ROWS // 5:
            CrimeRecord.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
            save()
    CrimeRecord.objects.bulk_create(batch, ignore_conflicts=True)
    _note_months(run, months)
    return CrimeRecord.objects.filter(import_run=run).count()


@transaction.atomic
def crime_import_record(
    *, actor: User | None, file_name: str, rows_total: int, stored_path: str = "", queued: bool = False
) -> CrimeImportRun:
    """Record the run of one file before it is imported: by an analyst on the upload page (`actor`,
    whose organisation's analysts see it; `queued` for the worker), or from the command line
    (`actor` None: no organisation, seen by every police analyst, as the crime it loads is)."""
    run = CrimeImportRun.objects.create(
        organisation=actor.organisation if actor is not None else None,
        started_by=actor,
        file_name=file_name[:255],
        stored_path=stored_path,
        rows_total=rows_total,
    )
    verb = "evaluation.crime_import.queued" if queued else "evaluation.crime_import.started"
    audit_record(actor=actor, verb=verb, target=run, detail={"file": run.file_name})
    return run


def crime_import_run(*, run: CrimeImportRun, stream: IO[bytes], progress: Progress | None = None) -> CrimeImportRun:
    """Import the file in `stream` (binary, positioned at its start) under `run`. `progress`, if
    given, is called with the run after each chunk (the command's progress bar)."""
    run.state = ImportState.RUNNING
    run.errors, run.error_count = [], 0
    run.save(update_fields=["state", "errors", "error_count", "rows_total"])
    reader = csv.reader(_lines(stream))
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error):
        header = ["(unreadable)"]
    if header is None or [field.strip() for field in header] != list(POLICE_CSV_HEADER):
        template = EMPTY_FILE if header is None else WRONG_HEADER
        return crime_import_finish(
            run, state=ImportState.FAILED, message=template.format(expected=expected_header()), line=1
        )
    reading = _Reading(run=run)
    save = lambda: _save_progress(run, reading, progress)  # noqa: E731  (a closure over the reading)
    if connection.vendor == "postgresql":
        inserted = _load_postgresql(run, stream, _rows(reader, reading, check=False), save, reading)
    else:
        inserted = _load_portable(run, _rows(reader, reading, check=True), save, reading)
    _report_unread(run, stream, reading)
    run.rows_done = reading.rows_done
    run.rows_loaded = inserted
    run.rows_skipped = reading.rows_valid - reading.repeated - inserted
    if progress is not None:
        progress(run)
    if reading.rows_valid <= 0:
        # Not one good row: a failure, not "0 new rows imported" (which is what a file already
        # held in full says).
        rows = reading.rows_done + reading.unread
        message = NO_ROW_READ.format(count=rows) if rows else NO_ROWS
        return crime_import_finish(run, state=ImportState.FAILED, message=_summary(run, reading, failed=message))
    return crime_import_finish(run, state=ImportState.DONE, message=_summary(run, reading))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _summary(run: CrimeImportRun, reading: _Reading, *, failed: str = "") -> str:
    """The run's result in a sentence, the same on the command line and the web."""
    if failed:
        parts = [failed.removesuffix(".")]
    else:
        parts = [f"{run.rows_loaded:,} new rows imported", f"{run.rows_skipped:,} already held"]
    if reading.repeated:
        parts.append(
            _plural(reading.repeated, "row repeating", "rows repeating")
            + " a Crime ID given earlier in the file not imported"
        )
    malformed = run.error_count - reading.repeated - (1 if reading.stopped else 0)
    if malformed:
        parts.append(_plural(malformed, "malformed row", "malformed rows") + " not imported")
    if reading.stopped:
        parts.append(
            _plural(reading.unread, "line", "lines")
            + f" not read (the file cannot be read from line {reading.stopped[0]:,})"
        )
    return "; ".join(parts) + "."


@transaction.atomic
def crime_import_finish(run: CrimeImportRun, *, state: str, message: str, line: int | None = None) -> CrimeImportRun:
    run.state = state
    run.message = message
    if line is not None:
        run.error_count += 1
        run.errors.append({"line": line, "message": message})
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=run.started_by,
        verb="evaluation.crime_import.finished" if state == ImportState.DONE else "evaluation.crime_import.failed",
        target=run,
        detail={
            "file": run.file_name,
            "rows_loaded": run.rows_loaded,
            "rows_skipped": run.rows_skipped,
            "errors": run.error_count,
        },
    )
    return run
