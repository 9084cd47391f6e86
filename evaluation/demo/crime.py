"""Demo crime data: twelve months of synthetic street-level rows for the demo area, made up here (not
copied from anywhere) and written in the exact data.police.uk format, then imported through the
same service as a real file, so the worked example (Eastgate parade) shows a before/after result:
anti-social behaviour and public order offences fall by about half around the parade after the
response began five months ago, while the Riverside comparison area stays roughly level and the
ring around the parade rises a little.

About 1,800 rows; the same rows for the same day, so seeding twice imports nothing new (and a
finished import of the same file is not run again)."""

from __future__ import annotations

import hashlib
import math
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.csv_export import csv_writer
from evaluation.models import POLICE_CRIME_TYPES, POLICE_CSV_HEADER, CrimeImportRun, ImportState
from evaluation.selectors.areas import METRES_PER_DEGREE, add_months, month_start
from evaluation.services.assessment import unit_costs_ensure
from evaluation.services.crime_import import count_lines, crime_import_run
from partnerships.models import Organisation

FORCE = "Northshire Police"
DEMO_ANALYST = "analyst@police.example"
# The worked example's parade (problems/demo/worked_example.py) and its target radius.
PARADE = (52.123456, -1.234567)
MONTHS = 12
# Months since the response began (the response month counts as "after").
RESPONSE_MONTHS_AGO = 5

# (LSOA code, LSOA name, centre, streets): the demo neighbourhoods' LSOAs (partnerships/demo).
AREAS = {
    "E01099101": ("Northshire 001A", PARADE, ["Eastgate Parade", "Eastgate Road", "Market Lane"]),
    "E01099102": ("Northshire 001B", (52.1290, -1.2200), ["Canal Street", "Mill Close"]),
    "E01099103": ("Northshire 001C", (52.1150, -1.2380), ["Orchard Way", "School Lane"]),
    "E01099201": ("Northshire 002A", (52.1500, -1.2000), ["River Walk", "Quay Street"]),
    "E01099202": ("Northshire 002B", (52.1550, -1.1900), ["Bridge Road", "Ferry Lane"]),
    "E01099301": ("Northshire 003A", (52.2000, -1.2500), ["North Road", "Field Way"]),
    "E01099401": ("Northshire 004A", (52.1300, -1.2700), ["High Street", "Castle Street"]),
}
OUTCOMES = ["Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation"]


def _point(rng: random.Random, centre: tuple[float, float], low_m: float, high_m: float) -> tuple[float, float]:
    """A point between low_m and high_m metres from centre (uniform over the ring)."""
    distance = (rng.uniform(low_m**2, high_m**2)) ** 0.5
    angle = rng.uniform(0, 2 * math.pi)
    lat = centre[0] + distance * math.sin(angle) / METRES_PER_DEGREE
    lon = centre[1] + distance * math.cos(angle) / (METRES_PER_DEGREE * math.cos(math.radians(centre[0])))
    return round(lat, 6), round(lon, 6)


def _row(rng: random.Random, month: str, lsoa: str, crime_type: str, ring: tuple[float, float], n: str) -> list[Any]:
    name, centre, streets = AREAS[lsoa]
    # A few rows without coordinates, as in the real files.
    lat, lon = _point(rng, centre, *ring) if rng.random() > 0.02 else (None, None)
    asb = crime_type == "Anti-social behaviour"
    crime_id = "" if asb else hashlib.sha256(f"demo-{month}-{lsoa}-{crime_type}-{n}".encode()).hexdigest()
    return [
        crime_id,
        month,
        FORCE,
        FORCE,
        # Coordinates as numbers, so the CSV writer keeps a negative longitude as it is.
        "" if lon is None else Decimal(f"{lon:.6f}"),
        "" if lat is None else Decimal(f"{lat:.6f}"),
        f"On or near {rng.choice(streets)}" if lat is not None else "No location",
        lsoa,
        name,
        crime_type,
        "" if asb else rng.choice(OUTCOMES),
        "",
    ]


# Per month: (LSOA, ring in metres around its centre, {crime type: (before, after)}).
PLAN: list[tuple[str, tuple[float, float], dict[str, tuple[int, int]]]] = [
    (
        "E01099101",
        (0, 240),
        {"Anti-social behaviour": (22, 10), "Public order": (6, 3), "Criminal damage and arson": (3, 3)},
    ),
    ("E01099101", (260, 490), {"Anti-social behaviour": (7, 8), "Public order": (2, 2), "Shoplifting": (2, 2)}),
    ("E01099102", (0, 400), {"Anti-social behaviour": (8, 8), "Burglary": (3, 3), "Vehicle crime": (3, 3)}),
    ("E01099103", (0, 400), {"Anti-social behaviour": (6, 6), "Violence and sexual offences": (5, 5)}),
    ("E01099201", (0, 400), {"Anti-social behaviour": (18, 17), "Public order": (5, 5), "Burglary": (3, 3)}),
    ("E01099202", (0, 400), {"Anti-social behaviour": (14, 13), "Public order": (4, 4), "Other theft": (3, 3)}),
    ("E01099301", (0, 500), {"Anti-social behaviour": (6, 6), "Burglary": (2, 2)}),
    (
        "E01099401",
        (0, 500),
        {"Anti-social behaviour": (20, 20), "Shoplifting": (10, 10), "Violence and sexual offences": (8, 8)},
    ),
]


def demo_rows(today: Any) -> list[list[Any]]:
    rng = random.Random(f"common-ground-demo-crime-{today:%Y-%m}")  # noqa: S311  (made-up data, not security)
    this_month = month_start(today)
    response = add_months(this_month, -RESPONSE_MONTHS_AGO)
    rows = []
    for offset in range(MONTHS, 0, -1):
        month = add_months(this_month, -offset)
        label = f"{month:%Y-%m}"
        for part, (lsoa, ring, counts) in enumerate(PLAN):
            for crime_type, (before, after) in counts.items():
                expected = before if month < response else after
                # ±1 around the plan so the months are not all alike.
                for n in range(max(0, expected + rng.randint(-1, 1))):
                    rows.append(_row(rng, label, lsoa, crime_type, ring, f"{part}-{n}"))
    return rows


def seed_records(*, stdout: Any) -> None:
    today = timezone.localdate()
    file_name = f"demo-{today:%Y-%m}-northshire-street.csv"
    unit_costs_ensure(crime_types=list(POLICE_CRIME_TYPES))
    if CrimeImportRun.objects.filter(file_name=file_name, state=ImportState.DONE).exists():
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / file_name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv_writer(handle, lineterminator="\n")
            writer.writerow(POLICE_CSV_HEADER)
            writer.writerows(demo_rows(today))
        with path.open("rb") as stream:
            total = max(count_lines(stream) - 1, 0)
        # As if the demo force's analyst had uploaded it, so their home page lists the import.
        run = CrimeImportRun.objects.create(
            file_name=file_name,
            rows_total=total,
            organisation=Organisation.objects.filter(name=FORCE).first(),
            started_by=User.objects.filter(email=DEMO_ANALYST).first(),
        )
        with path.open("rb") as stream:
            run = crime_import_run(run=run, stream=stream)
    stdout.write(f"Demo crime data: {run.message}\n")
