"""Benchmark: importing a generated 500,000-row data.police.uk street-level file, against a raw
PostgreSQL COPY of the same file in the same run (DESIGN.md: goal at most 4 times slower).

The raw COPY is the floor: `COPY ... FROM STDIN (FORMAT csv, HEADER)` of the file into a plain
table of twelve text columns, with no index, no checks, no keys and no conversion. The
import does everything a real one does: the header and every row checked, COPY into staging, keys
(Crime ID, or the ASB rule), types converted, the unique and search indexes maintained.

The report breaks the import down into its phases (reading and staging, the SQL checks, the
inserts of crimes and of ASB rows, the rebuild of the two search indexes). Measured on the
project's 2-core machine on 2026-11-25 (shared with other work, so timings vary by about a third):
before, 20.9 s against a 2.0 s raw COPY (10.3x; staging row by row through the csv module 4.9 s,
checks 2.1 s, inserts maintaining every index 13.8 s); after (see evaluation.services.
crime_import_copy), 10.1 s against 1.2 s (8.2x, 49,000 rows a second): staging 1.3 s (COPY parses
the bytes itself, as fast as the raw COPY), checks 1.5 s, inserts 5.8 s (the sort by key, the
type conversions, the ASB hashes and numbering, the heap and its primary and unique key indexes),
index rebuild 1.6 s; re-import 11.2 s before, 5.9 s after. The raw COPY pays none of the keys,
checks, conversions or indexes, which is why the 4x goal is not reached.

Later the same day (an otherwise idle machine, before and after alternated in the same session):
8.5 s against a 1.24 s raw COPY (6.8x) before; 6.8 s against 1.20 s (5.7x) after the checks
stopped using a regular expression per row for the month and two for the coordinates (1.5 s to
1.0 s) and a first import stopped maintaining the primary and unique keys row by row (crimes
2.9 s to 1.7 s, ASB rows 1.8 s to 1.2 s, rebuild 1.0 s to 1.7 s). What is left, measured alone
in psql on 500,000 rows: staging 1.2 s (it is a COPY, the floor itself), writing the final rows
(WAL-logged, about 345 bytes each) 2.0 s, the sorts, conversions and ASB hashes 0.7 s, building
the four indexes 1.7 s, checks 1.0 s: about 6.6 s, so 4x (about 5 s) would need the final
table narrower (the Crime ID is stored twice, as key and as crime_id) or fewer indexes.

Run with `make bench` (or `make benchmark`). It reports; it does not pass or fail on timings.
Results are written to var/benchmarks/crime_import.json. BENCH_CRIME_ROWS changes the size."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import time
from pathlib import Path

import pytest
from django.db import connection

from evaluation.models import POLICE_CSV_HEADER, CrimeImportRun, CrimeRecord, ImportState
from evaluation.services.crime_import import crime_import_run

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
ROWS = int(os.environ.get("BENCH_CRIME_ROWS", "500000"))
TYPES = [
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Public order",
    "Shoplifting",
    "Vehicle crime",
]


def _generate(path: Path, rows: int) -> None:
    rng = random.Random(500_000)  # noqa: S311  (made-up data)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(POLICE_CSV_HEADER)
        for n in range(rows):
            month = f"20{24 + n % 2}-{n % 12 + 1:02d}"
            lsoa = f"E01{rng.randrange(1000, 9999):06d}"
            asb = n % 10 < 3
            located = n % 50 != 0
            writer.writerow(
                [
                    "" if asb else hashlib.sha256(str(n).encode()).hexdigest(),
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


@pytest.mark.django_db(transaction=True)
def test_import_of_500000_rows_against_a_raw_copy(tmp_path: Path) -> None:
    path = tmp_path / "bench-street.csv"
    _generate(path, ROWS)
    raw = _raw_copy_seconds(path)

    run = CrimeImportRun.objects.create(file_name=path.name, rows_total=ROWS)
    start = time.perf_counter()
    with path.open("rb") as stream:
        run = crime_import_run(run=run, stream=stream)
    imported = time.perf_counter() - start

    again = CrimeImportRun.objects.create(file_name=path.name, rows_total=ROWS)
    start = time.perf_counter()
    with path.open("rb") as stream:
        again = crime_import_run(run=again, stream=stream)
    reimported = time.perf_counter() - start

    assert run.state == ImportState.DONE
    assert run.rows_loaded == ROWS
    assert again.rows_loaded == 0
    assert CrimeRecord.objects.count() == ROWS
    report = {
        "rows": ROWS,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "raw_copy_seconds": round(raw, 2),
        "import_seconds": round(imported, 2),
        "import_rows_per_second": round(ROWS / imported),
        "ratio_to_raw_copy": round(imported / raw, 2),
        "goal_ratio": 4,
        "import_phases_seconds": {k: round(v, 2) for k, v in getattr(run, "phase_seconds", {}).items()},
        "reimport_seconds": round(reimported, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crime_import.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
