"""Data coverage: which months of crime data are held for a before/after design's areas, and so
which months of its periods would silently count as zero crime.

The rule for "a month is held" (documented here, applied everywhere a before/after figure is shown):
a month is held for a design when at least one crime row, of any crime type, is held for that month
in the design's areas, that is among the rows the counts are read from: within the bounding box
around the problem's location that reaches out to its furthest circle or ring (target, buffer,
comparison ring), or in its listed LSOAs (target and comparison).

Why by area, and not by force or by import run: police.uk rows carry a force name ("Reported by",
"Falls within") that no organisation in the app is matched to, and an import run records only its
file's first and last month, not whose area it covered. The rows themselves are what the counts
are made of: a month with not one row of any type anywhere in (or around) the areas is a month
whose file was never imported, or whose force's data is not published yet. An area so quiet that it
truly had no crime of any type in a month is flagged too: the analyst then records on the design
that those months are zero, with the reason, which is the check the warning asks for.

One query for one design (on the indexes the counts use); one query for any number of designs
(the impact report), a UNION of one branch per design. On PostgreSQL the branch of a design
drawn by LSOA codes only asks, month by month, whether one row is held (a probe of the LSOA-and-
month index that stops at the first row: a LIMIT 1 in a LATERAL subquery) rather than reading every
row of the window to find its distinct months: for twenty designs over 1,000,000 rows, 480 probes
instead of 47,000 rows fetched from the table (benchmarks/test_impact_report.py). A design with a
bounding box keeps the read of its distinct months: the latitude-and-longitude index has no month,
so a probe of a month with no data would read the whole box again, once per missing month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

from evaluation.models import CrimeRecord
from evaluation.selectors.areas import AreaGeometry, add_months

# SQLite allows at most 500 terms in one compound SELECT; PostgreSQL has no such limit, but one
# statement of thousands of branches helps nobody. Designs beyond this go in a further query.
BRANCHES_PER_QUERY = 400


@dataclass(frozen=True)
class CoverageWindow:
    """One design's areas and the months [first, end) of its periods."""

    key: int
    geometry: AreaGeometry
    first: date
    end: date


def _months_query(window: CoverageWindow) -> QuerySet[Any]:
    return (
        CrimeRecord.objects.filter(window.geometry.prefilter(), month__gte=window.first, month__lt=window.end)
        .annotate(window=Value(window.key, output_field=IntegerField()))
        .values_list("window", "month")
        .order_by()
    )


def months_held(windows: list[CoverageWindow]) -> dict[int, set[date]]:
    """The months held (see the module docstring) within each window, by its key: one query per
    `BRANCHES_PER_QUERY` windows."""
    held: dict[int, set[date]] = {window.key: set() for window in windows}
    if connection.vendor == "postgresql":
        for start in range(0, len(windows), BRANCHES_PER_QUERY):
            for key, month in _probe(windows[start : start + BRANCHES_PER_QUERY]):
                held[key].add(month)
        return held
    for start in range(0, len(windows), BRANCHES_PER_QUERY):
        chunk = [_months_query(window) for window in windows[start : start + BRANCHES_PER_QUERY]]
        query = chunk[0].distinct() if len(chunk) == 1 else chunk[0].union(*chunk[1:])  # UNION removes repeats
        for key, month in query:
            held[key].add(month)
    return held


def _months_of(window: CoverageWindow) -> list[date]:
    months, month = [], window.first
    while month < window.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def _probe(windows: list[CoverageWindow]) -> list[tuple[int, date]]:
    """PostgreSQL: (key, month) for each month of each window that holds a row in its areas: one
    index probe per month for a window drawn by LSOA codes only (see the module docstring), the
    ORM's query of `_months_query` with its month set to the outer month (its parameters bound;
    only the window's key and months are added, as parameters); the distinct months of the rows
    of any other window."""
    branches: list[str] = []
    params: list[Any] = []
    for window in windows:
        geometry = window.geometry
        try:
            if geometry.has_centre and geometry.outer_m:  # a bounding box: its distinct months
                box_sql, box_params = _months_query(window).distinct().query.sql_with_params()
                branches.append(f"SELECT * FROM ({box_sql}) AS b")  # noqa: S608  (Django's compiled query)
                params += box_params
                continue
            probe = CrimeRecord.objects.filter(geometry.prefilter(), month=RawSQL("m.month", ())).values("pk")
            probe_sql, probe_params = probe[:1].query.sql_with_params()
        except EmptyResultSet:  # no area at all: no month held
            continue
        # Only Django's compiled query is interpolated; every value is a bound parameter.
        branches.append(
            f"SELECT %s::integer, m.month FROM unnest(%s::date[]) AS m(month), LATERAL ({probe_sql}) AS r"  # noqa: S608
        )
        params += [window.key, _months_of(window), *probe_params]
    if not branches:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        return [(key, month) for key, month in cursor.fetchall()]


def missing_months(*, window_months: list[date], held: set[date]) -> list[date]:
    """The months of a window with no data held, in order."""
    return [month for month in window_months if month not in held]
