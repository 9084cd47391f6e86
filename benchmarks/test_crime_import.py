"""Benchmark: importing a generated 500,000-row data.police.uk street-level file, against a raw
PostgreSQL COPY of the same file in the same run (DESIGN.md: goal at most 4 times slower).

The raw COPY is the floor: `COPY ... FROM STDIN (FORMAT csv, HEADER)` of the file into a plain
table of twelve text columns, with no index, no checks, no keys and no conversion. The
import does everything a real one does: the header and every row checked, COPY into staging, keys
(Crime ID, or the ASB rule), types converted, the primary key and search indexes built.

The report breaks the import down into its phases: reading and staging (`read_and_stage`), and the
load's work after the last chunk is staged (`load_after_staging`); then the load's own steps, of
which `check`, `insert_crimes` and `hash_asb` run on the second connection while the file is
staged (evaluation.services.crime_import_copy), `insert_asb` and `index_rebuild` (the primary key
and the two search indexes) after it.

The import uses both cores (one connection stages, the other loads); the raw COPY one. That is the
import as it runs in the worker, and the comparison the goal asks for: the same file, made
usable, against merely copied.

Then the problem page's before/after is read while a second file is imported, against idle (the
`problem_page_*` entries of the report; see the last entry of the history).

The test runs outside a test transaction, as the Celery worker does (`transaction=True`): inside
one, the raw COPY alone took 1.26 s instead of 0.7 s, which flattered the ratio. History, measured
on the project's 2-core machine (timings vary by a tenth to a third between runs; see
evaluation.services.crime_import_copy for the reasons of each step):
- 2026-11-25, inside a test transaction: 20.9 s against 2.0 s (10.3x) at first; 6.8 s against
  1.2 s (5.7x) at the end of that day.
- 2026-11-26, outside one: that same code took 5.0 s against 0.7 s (7x). After the natural key
  became the primary key (the Crime ID stored once, no surrogate id), key and LSOA code took the
  "C" collation, COPY read the coordinates (no regular expression per row in the checks) and the
  inserts lost a sort and a held-key test they did not need: medians of three rounds, two runs on
  an otherwise idle machine, 4.01x and 4.11x; then, with five rounds (the default since), 3.89x,
  4.13x and 4.08x (about 2.7 s against 0.67 s); single rounds ranged from 3.8x to 4.6x. So the
  import sits at the 4x goal, not safely under
  it. Per phase: staging 0.69 s (the raw COPY's own cost, plus numbering the rows), checks
  0.17 s, ASB rows 0.53 s (the MD5 rule and its numbering), crimes 0.50-0.57 s, building the
  primary key and two search indexes 0.72-0.87 s (the most variable part: WAL and checkpoints).
  What is left would need the search indexes changed (an index on the LSOA code alone builds
  0.07 s faster but makes the LSOA before/after queries read every month from the table).
- 2026-11-26, a slower day on the same kind of machine (the raw COPY took 1.1-1.4 s, not 0.7 s):
  that code measured 4.29x. Pipelined (a second connection checks and loads each chunk while the
  next is staged): medians of five rounds 2.86x, 2.96x and 2.95x (about 3.6 s against 1.2 s).
  Per phase: staging 1.3-1.9 s (slower than alone: the loader shares the machine), then 1.8-2.4 s
  after it: the ASB rows 0.4 s, the primary key and search indexes 1.2-1.6 s. Re-importing the
  same file (nothing added) took 3.8-4.4 s. After the review's mends (an abort checked between
  chunks, rows copied checked against lines sent), two more runs: 2.55x and 3.08x (single rounds
  varied from 2.3x to 3.6x on a machine whose raw COPY varied from 1.1 s to 1.9 s).
- 2026-12-07, readers during an import (issue 17). After the rounds and the re-import, a second
  file as large, none of it held, is imported in another thread (the import's own two
  connections, as in the worker) while this thread reads the problem page's before/after
  (`before_after_for_problem`: a problem at 52.5 N, 1.0 W, 300 m, 12 months either side, a buffer
  and a comparison ring) over and over until the import ends; against 30 reads with nothing
  importing. The machine was shared and busy (load average 4-8 on 2 cores), so the runs were
  interleaved, the old loader against the new, 5 rounds each:
  - Before (the live table's indexes and key dropped and rebuilt, ACCESS EXCLUSIVE from the first
    chunk to the commit): idle median 7.6 ms, max 15 ms; during the import median 9.7 ms but max
    7.7 s (another run: 14.6 s): a page waited for the whole load, as the 21 s of the issue.
    Import 3.60x a raw COPY (5.08 s against 1.41 s).
  - After (loaded into a new table, indexed, then switched in; only the switch excludes readers):
    idle median 12-16 ms, max 20-26 ms; during the import median 16-17 ms, p95 29-34 ms, max
    54-58 ms over 774-823 reads. Import 4.09x and 3.38x (5.68 s against 1.39 s; 4.44 s against
    1.31 s); single rounds ran from 3.75 s to 5.73 s. The same as before within this machine's
    noise: a first import does the same work into another table; the switch took 0.01 s.
    The second import (1,000,000 rows at the end, the 500,000 held copied into the new table)
    took 13-16 s while the page was read nearly 800 times beside it, against 8 s before, when
    the page's reads were waiting instead.
  - An ANALYZE of the new table before the switch cost 0.2-0.45 s (5.13x and 4.13x in two runs
    with it); it was left to autovacuum, as it was before.
  - The same day, on the machine with nothing else running (after the merge of every change of
    the day): 3.21x and 3.14x (3.98 s and 3.89 s against 1.24 s; single rounds 3.76-4.08 s).
    The problem page's before/after: idle median 13-15 ms, max 19-21 ms; during the second
    import median 17-18 ms, p95 33 ms, max 49-52 ms over about 500 reads.

Run with `make bench` (or `make benchmark`). It reports; it does not pass or fail on timings.
Results are written to var/benchmarks/crime_import.json. BENCH_CRIME_ROWS changes the size."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import random
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from evaluation.models import POLICE_CSV_HEADER, CrimeImportRun, CrimeRecord, ImportState
from evaluation.selectors.before_after import before_after_for_problem
from evaluation.services.crime_import import crime_import_run
from tests.conftest import World
from tests.evaluation.factories_crime import design_for
from tests.problems.factories import ProblemFactory

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
ROWS = int(os.environ.get("BENCH_CRIME_ROWS", "500000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TYPES = [
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Public order",
    "Shoplifting",
    "Vehicle crime",
]


def _generate(path: Path, rows: int, *, later: bool = False) -> None:
    """The benchmark's file: 2024 and 2025; `later`, another file of as many rows, none held from
    the first (other Crime IDs, and 2026 and 2027)."""
    rng = random.Random(500_000 + later)  # noqa: S311  (made-up data)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(POLICE_CSV_HEADER)
        for n in range(rows):
            month = f"20{24 + 2 * later + n % 2}-{n % 12 + 1:02d}"
            lsoa = f"E01{rng.randrange(1000, 9999):06d}"
            asb = n % 10 < 3
            located = n % 50 != 0
            writer.writerow(
                [
                    "" if asb else hashlib.sha256(f"{n}{'-later' if later else ''}".encode()).hexdigest(),
                    month,
                    "Northshire Police",
                    "Northshire Police",
                    f"{-1.5 + rng.random():.6f}" if located else "",
                    f"{52.0 + rng.random():.6f}" if located else "",
                    f"On or near Street {rng.randrange(5000)}" if located else "No location",
                    lsoa,
                    f"Northshire {lsoa[-4:]}",
                    "Anti-social behaviour" if asb else rng.choice(TYPES),
                    "" if asb else "Investigation complete; no suspect identified",
                    "",
                ]
            )


def _raw_copy_seconds(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE raw_copy (crime_id text, month text, reported_by text, falls_within text, "
            "longitude text, latitude text, location text, lsoa_code text, lsoa_name text, crime_type text, "
            "last_outcome text, context text)"
        )
        start = time.perf_counter()
        with path.open("rb") as stream, cursor.copy("COPY raw_copy FROM STDIN (FORMAT csv, HEADER)") as copy:
            while block := stream.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM raw_copy")
        assert cursor.fetchone()[0] == ROWS
        cursor.execute("DROP TABLE raw_copy")
    return seconds


def _import_seconds(path: Path) -> tuple[float, CrimeImportRun]:
    run = CrimeImportRun.objects.create(file_name=path.name, rows_total=ROWS)
    start = time.perf_counter()
    with path.open("rb") as stream:
        run = crime_import_run(run=run, stream=stream)
    return time.perf_counter() - start, run


def _problem_with_a_design(world: World) -> Any:
    """A problem in the middle of the generated data (52.5 N, 1.0 W, 300 m), with a before/after
    design of 12 months either side of January 2025, a 300 m buffer and a 1-2 km comparison ring:
    what the problem page counts."""
    problem = ProblemFactory(
        force=world.force, owner=world.users["officer"], latitude=52.5, longitude=-1.0, radius_m=300
    )
    design_for(
        problem,
        actor=world.users["analyst"],
        response_start=datetime.date(2025, 1, 1),
        months_before=12,
        months_after=12,
        buffer_m=300,
        comparison_inner_m=1000,
        comparison_outer_m=2000,
    )
    return problem


def _page_read_seconds(problem: Any) -> float:
    """One read of the problem page's before/after (its design and the grouped count)."""
    began = time.perf_counter()
    result = before_after_for_problem(problem=problem)
    assert result is not None
    return time.perf_counter() - began


def _latency(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "samples": len(ordered),
        "median_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def _page_during_import(path: Path, problem: Any) -> tuple[dict[str, Any], dict[str, Any], float]:
    """The page's before/after read over and over while `path` is imported in another thread
    (with its own connections, as a worker), against the same reads with nothing importing."""
    idle = [_page_read_seconds(problem) for _ in range(30)]
    outcome: list[Any] = []

    def run_import() -> None:
        try:
            outcome.append(_import_seconds(path))
        except BaseException as error:  # re-raised below, in the test's thread
            outcome.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=run_import, name="bench-crime-import")
    during = []
    worker.start()
    while worker.is_alive():
        during.append(_page_read_seconds(problem))
    worker.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    seconds, run = outcome[0]
    assert run.state == ImportState.DONE
    return _latency(idle), _latency(during), seconds


@pytest.mark.django_db(transaction=True)
def test_import_of_500000_rows_against_a_raw_copy(tmp_path: Path, world: World) -> None:
    path = tmp_path / "bench-street.csv"
    _generate(path, ROWS)
    # Raw COPY and first import alternate, ROUNDS times (5 by default; the crime table emptied
    # before each import), and the medians are compared: one pair alone varied by a tenth.
    raws, imports, runs = [], [], []
    for _ in range(ROUNDS):
        raws.append(_raw_copy_seconds(path))
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {CrimeRecord._meta.db_table}")  # empty, as before a first import
        seconds, run = _import_seconds(path)
        imports.append(seconds)
        runs.append(run)
    reimported, again = _import_seconds(path)
    # The problem page while another file as large (nothing of it held) is imported: the load goes
    # into a new table (it is at least half the rows held) and is switched in at the end.
    later = tmp_path / "bench-street-later.csv"
    _generate(later, ROWS, later=True)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {CrimeRecord._meta.db_table}")
    page_idle, page_during, during_seconds = _page_during_import(later, _problem_with_a_design(world))

    assert all(run.state == ImportState.DONE and run.rows_loaded == ROWS for run in runs)
    assert again.rows_loaded == 0
    assert CrimeRecord.objects.count() == 2 * ROWS
    raw, imported = statistics.median(raws), statistics.median(imports)
    middle = runs[imports.index(imported)]
    report = {
        "rows": ROWS,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "rounds": ROUNDS,
        "raw_copy_seconds": round(raw, 2),
        "import_seconds": round(imported, 2),
        "import_rows_per_second": round(ROWS / imported),
        "ratio_to_raw_copy": round(imported / raw, 2),
        "goal_ratio": 4,
        "raw_copy_samples": [round(x, 2) for x in raws],
        "import_samples": [round(x, 2) for x in imports],
        "import_phases_seconds": {k: round(v, 2) for k, v in getattr(middle, "phase_seconds", {}).items()},
        "reimport_seconds": round(reimported, 2),
        # The problem page's before/after read, alone and during the import of a second file.
        "problem_page_idle": page_idle,
        "problem_page_during_import": page_during,
        "import_while_reading_seconds": round(during_seconds, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crime_import.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
