"""The plan PostgreSQL chooses for the grouped crime change query (evaluation.selectors.crime) on a
table large enough, and analysed, for the planner's choice to mean something: every read of the
crime table goes through an index (the LSOA-and-month one for LSOA areas, the latitude-and-
longitude one for circles and rings), never a sequential scan. The single OR-ed statement this
replaced read half of a 1,000,000-row table per design through the month range alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from evaluation.selectors.crime import change_sql, crime_change_for_problems
from problems.models import Problem
from tests.conftest import World
from tests.evaluation.factories_crime import LAT, LON, design_for
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db

ROWS = 60_000
LSOAS = 601  # prime to the 12 months, so each LSOA has rows in every month
CRIME_TABLE = "evaluation_crimerecord"

# Rows spread over 601 LSOAs, 24 months (2025 and 2026) and a box of about 0.5 by 0.5 degrees
# round the problems; written by SQL, as a file import would, then analysed.
FILL_SQL = f"""
INSERT INTO {CRIME_TABLE} (key, month, reported_by, falls_within, longitude, latitude, location,
                           lsoa_code, lsoa_name, crime_type, last_outcome, context)
SELECT 'plan-' || n, make_date(2025 + (n / 12 % 2)::int, (n % 12 + 1)::int, 1), '', '',
       {LON} - 0.25 + (n * 7919 % 10007) / 20014.0, {LAT} - 0.25 + (n * 104729 % 10009) / 20018.0, '',
       'E01' || lpad((n % {LSOAS})::text, 6, '0'), '', (ARRAY['Burglary', 'Robbery', 'Drugs'])[n % 3 + 1], '', ''
FROM generate_series(1::bigint, {ROWS}) AS n
"""  # noqa: S608  (constants only)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _crime_table_reads(world: World) -> list[dict[str, Any]]:
    actor = world.users["analyst"]
    centre: dict[str, Any] = {"latitude": Decimal(str(LAT)), "longitude": Decimal(str(LON)), "radius_m": 600}
    by_lsoa = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=None,
        longitude=None,
        radius_m=None,
        lsoa_code="E01000005",
    )
    design_for(by_lsoa, actor=actor, comparison_lsoa_codes="E01000009\nE01000010")
    circle = ProblemFactory(force=world.force, owner=world.users["officer"], **centre)
    design_for(circle, actor=actor, buffer_m=300, comparison_inner_m=1200, comparison_outer_m=2500)
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL)
        cursor.execute(f"ANALYZE {CRIME_TABLE}")
        sql, params = change_sql(problems_qs=Problem.objects.all())
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return [node for node in _nodes(plan[0]["Plan"]) if node.get("Relation Name") == CRIME_TABLE]


def test_crime_change_reads_the_crime_table_through_its_indexes_only(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The plan is PostgreSQL's.")

    reads = _crime_table_reads(world)

    assert reads, "the plan reads the crime table"
    assert [node["Node Type"] for node in reads if node["Node Type"] == "Seq Scan"] == []
    indexes = {node.get("Index Name") for node in _nodes({"Plans": reads})}
    assert {"crime_lsoa_month_idx", "crime_lat_long_idx"} <= indexes


def test_crime_change_counts_stay_those_of_each_problem_on_the_large_table(world: World) -> None:
    """The branches per area kind count what the per-problem selector counts (the ring includes
    rows of the target's neighbours; rows of a comparison LSOA inside the circle count as target)."""
    if connection.vendor != "postgresql":
        pytest.skip("The grouped query is PostgreSQL's.")
    from evaluation.selectors.before_after import before_after_for_problem

    _crime_table_reads(world)
    changes = crime_change_for_problems(problems_qs=Problem.objects.all())

    assert len(changes) == 2
    for problem in Problem.objects.all():
        single = before_after_for_problem(problem=problem)
        assert single is not None
        change = changes[problem.pk]
        assert single.target.before > 0
        assert (change.target_before, change.target_after) == (single.target.before, single.target.after)
        assert single.comparison is not None
        assert (change.comparison_before, change.comparison_after) == (
            single.comparison.before,
            single.comparison.after,
        )
        if single.buffer is not None:
            assert change.counts["buffer"] == [single.buffer.before, single.buffer.after]
