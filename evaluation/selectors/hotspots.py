"""Hotspots and repeat locations in imported crime (issue 22): for a force, an area, crime types and
months, the crime counted on a grid (the map) and at each published location (the table of repeat
locations), with each top location's count in the period before and against the force's average
location.

Computed in SQL over the crime table with portable ORM expressions (PostgreSQL and the SQLite
default alike): a row's grid cell is FLOOR(latitude / cell height) and FLOOR(longitude / cell
width), grouped and counted. Cells are squares of the chosen size at REFERENCE_LATITUDE (the middle
of Great Britain); north or south of it they are up to a tenth narrower or wider, which a scan for
where crime gathers does not notice. A "location" is one of police.uk's anonymised snap points
(its latitude, longitude and description), which is what repeat-location analysis can count on
published data. Measured in benchmarks/test_hotspots.py on 1,000,000 rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Floor

from evaluation.models import CrimeRecord
from evaluation.selectors.areas import METRES_PER_DEGREE, add_months

REFERENCE_LATITUDE = 54.0
CELL_SIZES_M: tuple[int, ...] = (100, 250, 500, 1000)
TOP_LOCATIONS = 20
# The most cells drawn: the busiest, enough to cover a force at 250 m.
CELL_LIMIT = 3000

# Police.uk crime types to the problem categories that "open as a problem" chooses
# (problems migration 0002's list); a type not named here is left for the officer to choose.
CATEGORY_FOR_CRIME_TYPE = {
    "Anti-social behaviour": "asb",
    "Drugs": "drugs",
    "Violence and sexual offences": "violence",
    "Burglary": "burglary",
    "Vehicle crime": "vehicle-crime",
    "Criminal damage and arson": "criminal-damage",
}


@dataclass(frozen=True)
class HotspotQuery:
    first_month: date
    last_month: date
    force: str = ""
    crime_types: tuple[str, ...] = ()
    lsoa_codes: tuple[str, ...] = ()
    area_name: str = ""
    cell_m: int = 250

    @property
    def months(self) -> int:
        return (self.last_month.year - self.first_month.year) * 12 + self.last_month.month - self.first_month.month + 1

    @property
    def previous_first(self) -> date:
        return add_months(self.first_month, -self.months)

    @property
    def previous_last(self) -> date:
        return add_months(self.first_month, -1)

    @property
    def category_code(self) -> str:
        """The problem category of the chosen crime types, if they all map to one."""
        codes = {CATEGORY_FOR_CRIME_TYPE.get(crime_type, "") for crime_type in self.crime_types}
        return codes.pop() if len(codes) == 1 else ""

    def cell_degrees(self) -> tuple[float, float]:
        height = self.cell_m / METRES_PER_DEGREE
        return height, height / math.cos(math.radians(REFERENCE_LATITUDE))


@dataclass
class Location:
    latitude: float
    longitude: float
    location: str
    lsoa_code: str
    count: int
    previous: int = 0
    force_average: float = 0.0

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def times_average(self) -> float | None:
        return round(self.count / self.force_average, 1) if self.force_average else None


@dataclass
class Cell:
    south: float
    west: float
    north: float
    east: float
    count: int


@dataclass
class Hotspots:
    query: HotspotQuery
    locations: list[Location] = field(default_factory=list)
    total: int = 0
    # The force's crime (whatever the area) in the period: per location, on average.
    force_total: int = 0
    force_locations: int = 0

    @property
    def force_average(self) -> float:
        return self.force_total / self.force_locations if self.force_locations else 0.0


def _rows(query: HotspotQuery, first: date, last: date, *, in_area: bool = True) -> QuerySet[CrimeRecord]:
    rows = CrimeRecord.objects.filter(
        month__gte=first, month__lte=last, latitude__isnull=False, longitude__isnull=False
    ).order_by()
    if query.force:
        rows = rows.filter(falls_within=query.force)
    if query.crime_types:
        rows = rows.filter(crime_type__in=query.crime_types)
    if in_area and query.lsoa_codes:
        rows = rows.filter(lsoa_code__in=query.lsoa_codes)
    return rows


def hotspot_top_locations(query: HotspotQuery) -> list[Location]:
    """One query: the busiest locations of the period (the map's numbered points)."""
    grouped = (
        _rows(query, query.first_month, query.last_month)
        .values("latitude", "longitude", "location", "lsoa_code")
        .annotate(count=Count("key"))
    )
    top = grouped.order_by("-count", "location", "latitude", "longitude")[:TOP_LOCATIONS]
    # Rows without coordinates were left out by _rows; `or 0.0` only tells the type checker.
    return [
        Location(
            latitude=row["latitude"] or 0.0,
            longitude=row["longitude"] or 0.0,
            location=row["location"],
            lsoa_code=row["lsoa_code"],
            count=row["count"],
        )
        for row in top
    ]


def hotspot_locations(query: HotspotQuery) -> Hotspots:
    """Three queries (four for an area): the top locations of the period, their counts in the
    period before, the force's total and number of locations (for its average), and the area's
    total."""
    found = Hotspots(query=query)
    current = _rows(query, query.first_month, query.last_month)
    found.locations = hotspot_top_locations(query)
    if not found.locations:
        return found
    at_top = Q()
    for place in found.locations:
        at_top |= Q(latitude=place.latitude, longitude=place.longitude, location=place.location)
    before = (
        _rows(query, query.previous_first, query.previous_last)
        .filter(at_top)
        .values("latitude", "longitude", "location", "lsoa_code")
        .annotate(count=Count("key"))
    )
    previous = {(row["latitude"], row["longitude"], row["location"], row["lsoa_code"]): row["count"] for row in before}
    force = (
        _rows(query, query.first_month, query.last_month, in_area=False)
        .values("latitude", "longitude", "location")
        .annotate(count=Count("key"))
        .aggregate(total=Sum("count"), locations=Count("location"))
    )
    found.force_total = force["total"] or 0
    found.force_locations = force["locations"] or 0
    found.total = current.count() if query.lsoa_codes else found.force_total
    for place in found.locations:
        place.previous = previous.get((place.latitude, place.longitude, place.location, place.lsoa_code), 0)
        place.force_average = found.force_average
    return found


def hotspot_cells(query: HotspotQuery) -> list[Cell]:
    """One query: crime per grid cell, busiest first (see the module note)."""
    height, width = query.cell_degrees()
    cells = (
        _rows(query, query.first_month, query.last_month)
        .annotate(row=Floor(F("latitude") / height), column=Floor(F("longitude") / width))
        .values("row", "column")
        .annotate(count=Count("key"))
        .order_by("-count", "row", "column")[:CELL_LIMIT]
    )
    return [
        Cell(
            south=float(cell["row"]) * height,
            west=float(cell["column"]) * width,
            north=(float(cell["row"]) + 1) * height,
            east=(float(cell["column"]) + 1) * width,
            count=cell["count"],
        )
        for cell in cells
    ]


def hotspot_geojson(cells: list[Cell], locations: list[Location]) -> dict[str, Any]:
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[c.west, c.south], [c.east, c.south], [c.east, c.north], [c.west, c.north], [c.west, c.south]]
                ],
            },
            "properties": {"kind": "cell", "count": c.count},
        }
        for c in cells
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
            "properties": {"kind": "location", "rank": rank, "location": place.location, "count": place.count},
        }
        for rank, place in enumerate(locations, start=1)
    ]
    return {"type": "FeatureCollection", "features": features}


def latest_month_held() -> date | None:
    return CrimeRecord.objects.order_by("-month").values_list("month", flat=True).first()


def forces_held() -> list[str]:
    return list(
        CrimeRecord.objects.exclude(falls_within="")
        .order_by("falls_within")
        .values_list("falls_within", flat=True)
        .distinct()
    )


def to_decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))
