"""Crime data for tests: files in the exact data.police.uk street-level format, rows built
directly, and problems with a before/after design."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from evaluation.models import POLICE_CSV_HEADER, CrimeRecord, EvaluationDesign
from evaluation.selectors.areas import METRES_PER_DEGREE

FORCE = "Northshire Police"


def crime_row(
    *,
    crime_id: str = "",
    month: str = "2026-03",
    longitude: str = "-1.234567",
    latitude: str = "52.123456",
    location: str = "On or near Eastgate Parade",
    lsoa_code: str = "E01099101",
    lsoa_name: str = "Northshire 001A",
    crime_type: str = "Anti-social behaviour",
    outcome: str = "",
    context: str = "",
) -> list[str]:
    return [
        crime_id,
        month,
        FORCE,
        FORCE,
        longitude,
        latitude,
        location,
        lsoa_code,
        lsoa_name,
        crime_type,
        outcome,
        context,
    ]


def police_csv(rows: list[list[str]], header: tuple[str, ...] | list[str] = POLICE_CSV_HEADER) -> bytes:
    """A file as data.police.uk writes it: a header, comma-separated, quoted where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def crime_id(n: int) -> str:
    return f"{n:064x}"


def record(*, month: date, latitude: float | None, longitude: float | None, **fields: Any) -> CrimeRecord:
    """One row straight into the table (for selector tests that do not test the import)."""
    fields.setdefault("crime_type", "Burglary")
    fields.setdefault("lsoa_code", "")
    key = fields.pop("key", None) or f"test-{CrimeRecord.objects.count() + 1}-{id(fields)}"
    return CrimeRecord.objects.create(key=key, month=month, latitude=latitude, longitude=longitude, **fields)


def design_for(problem: Any, *, actor: Any, **fields: Any) -> EvaluationDesign:
    fields.setdefault("response_start", date(2026, 1, 1))
    fields.setdefault("months_before", 3)
    fields.setdefault("months_after", 3)
    for name in ("officer_hours", "officer_hourly_cost", "partner_hours", "partner_hourly_cost", "money_spent"):
        if name in fields:
            fields[name] = Decimal(str(fields[name]))
    return EvaluationDesign.objects.create(problem=problem, updated_by=actor, **fields)


# --- the fixed data set ----------------------------------------------------------------------
# A small fixed data set with hand-computed results (see each test for the arithmetic).
#
# Centre 52.0 N, 1.0 W. Response began January 2026; three months before (Oct-Dec 2025) and three
# after (Jan-Mar 2026). Burglary and robbery are counted.
#
# - target (within 200 m; LSOA E01000005): before 10 (Oct 4, Nov 3, Dec 3), after 5 (Jan 2, Feb 2, Mar 1);
#   burglary 6 before / 3 after, robbery 4 / 2. One of October's is 190 m east, just inside.
# - buffer (200-400 m; LSOA E01000005): before 4 (Oct 2, Nov 1, Dec 1), after 6 (2, 2, 2), all
#   burglary. One of October's is 210 m east, just outside the target.
# - comparison LSOA E01000009 (far away): before 20 (Oct 7, Nov 7, Dec 6), after 18 (6, 6, 6), burglary.
# - 600 m north (LSOA E01000006): 3 in November, 2 in February, burglary (the ring design's comparison).
# - never counted: a target burglary in September 2025 and in April 2026 (outside the window), two
#   target drug offences in November (type not chosen).

LAT, LON = 52.0, -1.0
COS = 0.6156614753256583  # cos(52°)


def north(metres: float) -> float:
    return LAT + metres / METRES_PER_DEGREE


def east(metres: float) -> float:
    return LON + metres / (METRES_PER_DEGREE * COS)


def _put(n: int, month: date, *, lat: float, lon: float, lsoa: str, crime_type: str = "Burglary") -> None:
    for _ in range(n):
        record(month=month, latitude=lat, longitude=lon, lsoa_code=lsoa, crime_type=crime_type)


OCT, NOV, DEC = date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def build_fixed_data() -> None:
    target = {"lat": LAT, "lon": LON, "lsoa": "E01000005"}
    # Target burglary 6 before (Oct 2 + 1 at 190 m, Nov 2, Dec 1), 3 after (Jan 1, Feb 1, Mar 1).
    _put(2, OCT, **target)
    _put(1, OCT, lat=LAT, lon=east(190), lsoa="E01000005")
    _put(2, NOV, **target)
    _put(1, DEC, **target)
    _put(1, JAN, **target)
    _put(1, FEB, **target)
    _put(1, MAR, **target)
    # Target robbery 4 before (Oct 1, Nov 1, Dec 2), 2 after (Jan 1, Feb 1).
    for month, n in ((OCT, 1), (NOV, 1), (DEC, 2), (JAN, 1), (FEB, 1)):
        _put(n, month, crime_type="Robbery", **target)
    # Buffer.
    _put(1, OCT, lat=LAT, lon=east(210), lsoa="E01000005")
    _put(1, OCT, lat=north(300), lon=LON, lsoa="E01000005")
    for month, n in ((NOV, 1), (DEC, 1), (JAN, 2), (FEB, 2), (MAR, 2)):
        _put(n, month, lat=north(300), lon=LON, lsoa="E01000005")
    # Comparison LSOA, 100 km away.
    for month, n in ((OCT, 7), (NOV, 7), (DEC, 6), (JAN, 6), (FEB, 6), (MAR, 6)):
        _put(n, month, lat=53.0, lon=-2.0, lsoa="E01000009")
    # 600 m north.
    _put(3, NOV, lat=north(600), lon=LON, lsoa="E01000006")
    _put(2, FEB, lat=north(600), lon=LON, lsoa="E01000006")
    # Never counted.
    _put(1, date(2025, 9, 1), **target)
    _put(1, date(2026, 4, 1), **target)
    _put(2, NOV, crime_type="Drugs", **target)


# --- the published example -------------------------------------------------------------
# Target 69 -> 19, displacement buffer 30 -> 24, comparison 60 -> 58 (burglaries), for a problem at
# (LAT, LON) with a 200 m radius and a 200 m buffer, and the comparison LSOA 100 km away:
# RES = (69 x 58) / (19 x 60) = 3.51; WDQ = (24/58 - 30/60) / (19/58 - 69/60) = 0.10.

EXAMPLE_COMPARISON_LSOA = "E01000009"


def crimes_at(count: int, month: date, *, latitude: float, longitude: float, lsoa: str, tag: str) -> None:
    """`count` burglaries at one point in one month, in one query (keys unique per tag and month)."""
    CrimeRecord.objects.bulk_create(
        CrimeRecord(
            key=f"{tag}-{month:%Y%m}-{latitude}-{longitude}-{n}",
            month=month,
            latitude=latitude,
            longitude=longitude,
            lsoa_code=lsoa,
            crime_type="Burglary",
        )
        for n in range(count)
    )


def published_example_crimes(*, before: date, after: date, tag: str = "example") -> None:
    """The example's crimes: every "before" crime in month `before`, every "after" one in `after`."""
    for month, target, buffer, comparison in ((before, 69, 30, 60), (after, 19, 24, 58)):
        crimes_at(target, month, latitude=LAT, longitude=LON, lsoa="E01000005", tag=f"{tag}-target")
        crimes_at(buffer, month, latitude=north(300), longitude=LON, lsoa="E01000005", tag=f"{tag}-buffer")
        crimes_at(comparison, month, latitude=53.0, longitude=-2.0, lsoa=EXAMPLE_COMPARISON_LSOA, tag=f"{tag}-comp")
