"""Benchmark: crime hotspots and repeat locations (issue 22) over 1,000,000 street-level crime rows.

The rows are generated here (made up) and loaded with PostgreSQL COPY: two forces, 36 months,
400 LSOAs, 20,000 snap points (a realistic spread: a few busy places, a long tail), fourteen crime
types. Measured, each the median of ROUNDS: the page's own work for a force over three months, for
a neighbourhood of 20 LSOAs over twelve months, and for one crime type over a year (the forces
held and latest month for the form, the top locations with their months before and the force's
average, then the map's grid cells); and the page through the full middleware stack.

Run with:
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m pytest \
        benchmarks/test_hotspots.py -s -p no:cacheprovider
It reports; it does not pass or fail on timings. Results go to var/benchmarks/hotspots.json.
BENCH_HOTSPOT_ROWS changes the size.

Measured 2026-12-07 on the project's 2-core machine, shared with seven other engineers' test runs
(load average 9-11 on 2 cores, so every figure is perhaps two to four times an idle machine's),
1,000,000 rows (COPY 47 s), medians of five rounds:
- a force over three months (about 62,000 rows): the page's work 2.7 s (max 7.2 s), of which the
  top locations with their months before and the force average 1.07 s, the grid cells 0.33 s, the
  form's choices (forces held and latest month: each reads the whole table, no index serves
  them) 0.69 s; the page through the middleware 2.5 s; the GeoJSON 3.2 s (measured when it still
  computed the months before and force average; it now computes only the cells and the top
  locations);
- a neighbourhood of 20 LSOAs over twelve months: 3.2 s; burglary over twelve months: 2.5 s.
Where the time goes: the crime table has no index on the month or force (the import rebuilds its
indexes and is held to 4x a raw COPY, so none was added here); each query scans the table. An index
on (falls_within, month) is the next step if pages must be faster.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from benchmarks.data import CRIME_COLUMNS, LSOAS, copy_rows
from evaluation.models import CrimeRecord
from evaluation.models.crime import POLICE_CRIME_TYPES
from evaluation.selectors.areas import add_months
from evaluation.selectors.hotspots import (
    HotspotQuery,
    forces_held,
    hotspot_cells,
    hotspot_locations,
    latest_month_held,
)
from tests.conftest import World, sign_in

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
ROWS = int(os.environ.get("BENCH_HOTSPOT_ROWS", "1000000"))
FORCES = ["Benchmarkshire Police", "Elsewhere Police"]
FIRST_MONTH = datetime.date(2024, 1, 1)
MONTHS = 36
PLACES = 20_000
ROUNDS = 5


def _rows() -> Iterator[tuple[Any, ...]]:
    rng = random.Random(22)  # noqa: S311 (made-up data, not a secret)
    places = [
        (52.3 + rng.random() * 0.5, -1.4 + rng.random() * 0.8, f"On or near Street {n}", LSOAS[n % len(LSOAS)])
        for n in range(PLACES)
    ]
    for n in range(ROWS):
        # Pareto-like: low place numbers are much busier (repeat locations).
        latitude, longitude, location, lsoa = places[
            min(int(rng.paretovariate(1.2)) - 1, PLACES - 1) if n % 3 == 0 else rng.randrange(PLACES)
        ]
        force = FORCES[0] if n % 4 else FORCES[1]
        yield (
            f"bench-{n:08d}",
            add_months(FIRST_MONTH, n % MONTHS),
            force,
            force,
            longitude,
            latitude,
            location,
            lsoa,
            "Benchmark 001A",
            POLICE_CRIME_TYPES[n % len(POLICE_CRIME_TYPES)],
            "",
            "",
        )


def _time(call: Callable[[], object]) -> dict[str, float]:
    samples = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return {"median_s": round(statistics.median(samples), 3), "max_s": round(max(samples), 3)}


def _page_work(query: HotspotQuery) -> None:
    forces_held()
    latest_month_held()
    hotspot_locations(query)
    hotspot_cells(query)


@pytest.mark.django_db
def test_hotspots_over_1m_crime_rows(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    load_seconds = copy_rows(CrimeRecord, CRIME_COLUMNS, _rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluation_crimerecord")
    last = add_months(FIRST_MONTH, MONTHS - 1)
    force_quarter = HotspotQuery(first_month=add_months(last, -2), last_month=last, force=FORCES[0])
    area_year = HotspotQuery(
        first_month=add_months(last, -11), last_month=last, force=FORCES[0], lsoa_codes=tuple(LSOAS[:20])
    )
    burglary_year = HotspotQuery(
        first_month=add_months(last, -11), last_month=last, force=FORCES[0], crime_types=("Burglary",)
    )
    found = hotspot_locations(force_quarter)
    assert found.locations
    assert found.locations[0].count >= found.locations[-1].count
    client = sign_in(Client(), world.users["analyst"])
    page_query = {"force": FORCES[0], "first_month": f"{add_months(last, -2):%Y-%m}", "last_month": f"{last:%Y-%m}"}
    assert client.get("/crime/hotspots/", page_query).status_code == 200
    results = {
        "rows": CrimeRecord.objects.count(),
        "copy_load_s": round(load_seconds, 2),
        "force_3_months": _time(lambda: _page_work(force_quarter)),
        "force_3_months_locations_only": _time(lambda: hotspot_locations(force_quarter)),
        "force_3_months_cells_only": _time(lambda: hotspot_cells(force_quarter)),
        "area_20_lsoas_12_months": _time(lambda: _page_work(area_year)),
        "burglary_12_months": _time(lambda: _page_work(burglary_year)),
        "form_choices_only": _time(lambda: (forces_held(), latest_month_held())),
        "page_force_3_months": _time(lambda: client.get("/crime/hotspots/", page_query)),
        "geojson_force_3_months": _time(lambda: client.get("/crime/hotspots/data.geojson", page_query)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hotspots.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
