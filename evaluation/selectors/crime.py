"""Reads of imported crime: the import runs an analyst may see, the crime types held, and the crime
change of many problems at once (for the impact report: one grouped query, not one per problem).

`crime_change_for_problems` applies the same areas and windows as `before_after_for_problem` (see
evaluation.selectors.before_after and .areas), written as one SQL statement on PostgreSQL: each
problem's design row is joined to the crime rows in its window and areas, one branch per kind of
area so that each uses its index (see `CHANGE_SQL`), and the result is grouped by problem, area,
before/after and crime type. Other databases (the SQLite default) run
the per-problem selector for each problem instead."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from core.access import get_visible_or_404
from evaluation.models import CrimeImportRun, CrimeRecord, EvaluationDesign
from evaluation.selectors.areas import BUFFER, COMPARISON, METRES_PER_DEGREE, TARGET
from evaluation.selectors.before_after import (
    before_after_for_problem,
    relative_effect_size,
    weighted_displacement_quotient,
)

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem

RUN_LIST_LIMIT = 20


def crime_import_runs_visible_to(*, user: User) -> QuerySet[CrimeImportRun]:
    """The import runs an analyst may see: those of their organisation, and those run from the
    command line (no organisation: they load the crime every police user reads)."""
    return CrimeImportRun.objects.filter(Q(organisation_id=user.organisation_id) | Q(organisation__isnull=True))


def crime_import_require_analyst(user: User) -> None:
    """Crime imports are the police analysts': anyone outside the police gets 404, other police
    users 403."""
    if not user.is_police:
        raise Http404
    if user.role != Role.ANALYST:
        raise PermissionDenied


def crime_import_run_get_for_user(*, user: User, pk: object) -> CrimeImportRun:
    """An import run the user (a police analyst) may see; 404 for everyone else."""
    if not (user.is_police and user.role == Role.ANALYST):
        raise Http404
    return get_visible_or_404(crime_import_runs_visible_to(user=user), pk=pk)


def crime_import_runs_for(*, user: User) -> QuerySet[CrimeImportRun]:
    """The recent import runs the user may see (the upload page's "Recent imports")."""
    return crime_import_runs_visible_to(user=user).select_related("started_by")[:RUN_LIST_LIMIT]


def crime_types_held() -> list[str]:
    return list(CrimeRecord.objects.order_by().values_list("crime_type", flat=True).distinct())


@dataclass
class CrimeChange:
    """One problem's counts (before, after) per area, with the target's and comparison's per type."""

    problem_id: int
    has_comparison: bool
    has_buffer: bool
    # The design counted (with its problem's location): cost-benefit reuses it with these counts.
    design: EvaluationDesign | None = field(default=None, repr=False, compare=False)
    counts: dict[str, list[int]] = field(default_factory=lambda: {TARGET: [0, 0], BUFFER: [0, 0], COMPARISON: [0, 0]})
    by_type: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {TARGET: defaultdict(lambda: [0, 0]), COMPARISON: defaultdict(lambda: [0, 0])}
    )

    @property
    def target_before(self) -> int:
        return self.counts[TARGET][0]

    @property
    def target_after(self) -> int:
        return self.counts[TARGET][1]

    @property
    def comparison_before(self) -> int | None:
        return self.counts[COMPARISON][0] if self.has_comparison else None

    @property
    def comparison_after(self) -> int | None:
        return self.counts[COMPARISON][1] if self.has_comparison else None

    @property
    def buffer_before(self) -> int | None:
        return self.counts[BUFFER][0] if self.has_buffer else None

    @property
    def buffer_after(self) -> int | None:
        return self.counts[BUFFER][1] if self.has_buffer else None

    @property
    def relative_effect(self) -> float | None:
        if not self.has_comparison:
            return None
        return relative_effect_size(self.target_before, self.target_after, *self.counts[COMPARISON])

    @property
    def wdq(self) -> float | None:
        """The weighted displacement quotient (evaluation.selectors.before_after), None without a
        buffer and a comparison area, or where the target did not fall against the comparison."""
        if not (self.has_buffer and self.has_comparison):
            return None
        return weighted_displacement_quotient(
            target=(self.target_before, self.target_after),
            buffer=(self.counts[BUFFER][0], self.counts[BUFFER][1]),
            comparison=(self.counts[COMPARISON][0], self.counts[COMPARISON][1]),
        )


M2 = METRES_PER_DEGREE
# The rows of one window and set of types (shared by the three branches below).
_IN_WINDOW = (
    "r.month >= s.start_b AND r.month < s.end_a "
    "AND (jsonb_array_length(s.types) = 0 OR jsonb_exists(s.types, r.crime_type))"
)
# Constants only; the problems subquery is compiled by Django, with its parameters passed apart.
#
# One branch per way of drawing an area, so that each reads only its own rows through its own index
# (a single statement with an OR of all three read half the table per design through the month
# range alone: 84 s for 20 designs over 1,000,000 rows):
# - `by_lsoa_target`: LSOA-defined targets, `crime_lsoa_month_idx` (codes = ANY and the months);
# - `by_lsoa_comparison`: LSOA-defined comparison areas, the same index;
# - `by_distance`: the circle, buffer and ring, the bounding box on `crime_lat_long_idx`.
# Every row lands in one branch only, with the precedence of the single CASE this replaced (target,
# then buffer, then comparison): a comparison LSOA row inside the circle or buffer counts there, and
# a ring row in an LSOA-defined target counts as target. `coalesce(..., false)` keeps rows with no
# coordinates (or no target codes) from turning a NOT into NULL.
CHANGE_SQL = f"""
WITH designs AS (
    SELECT d.problem_id,
           p.latitude::float8 AS lat, p.longitude::float8 AS lon, p.radius_m AS r,
           coalesce(d.buffer_m, 0) AS buf, coalesce(d.comparison_inner_m, 0) AS cin, d.comparison_outer_m AS cout,
           coalesce(
               regexp_split_to_array(nullif(upper(trim(d.target_lsoa_codes)), ''), '\\s+'),
               regexp_split_to_array(nullif(upper(trim(p.lsoa_code)), ''), '\\s+')
           ) AS tcodes,
           regexp_split_to_array(nullif(upper(trim(d.comparison_lsoa_codes)), ''), '\\s+') AS ccodes,
           d.crime_types AS types,
           date_trunc('month', d.response_start)::date AS start_a,
           (date_trunc('month', d.response_start) - make_interval(months => d.months_before))::date AS start_b,
           (date_trunc('month', d.response_start) + make_interval(months => d.months_after))::date AS end_a,
           cos(radians(p.latitude::float8)) AS k
    FROM evaluation_evaluationdesign d JOIN problems_problem p ON p.id = d.problem_id
    WHERE d.problem_id IN ({{problems}})
), shaped AS (
    SELECT *,
           (lat IS NOT NULL AND lon IS NOT NULL AND coalesce(r, 0) > 0) AS by_radius,
           (lat IS NOT NULL AND lon IS NOT NULL AND ccodes IS NULL AND coalesce(cout, 0) > cin) AS by_ring,
           greatest(
               CASE WHEN coalesce(r, 0) > 0 THEN r + buf ELSE 0 END,
               CASE WHEN ccodes IS NULL THEN coalesce(cout, 0) ELSE 0 END
           ) / {M2} AS reach
    FROM designs
), by_lsoa_target AS (
    SELECT s.problem_id, 'target' AS area, r.month >= s.start_a AS after, r.crime_type
    FROM shaped s JOIN evaluation_crimerecord r ON r.lsoa_code = ANY(s.tcodes) AND {_IN_WINDOW}
    WHERE NOT s.by_radius AND s.tcodes IS NOT NULL
), by_lsoa_comparison AS (
    SELECT s.problem_id, 'comparison' AS area, r.month >= s.start_a AS after, r.crime_type
    FROM shaped s JOIN evaluation_crimerecord r ON r.lsoa_code = ANY(s.ccodes) AND {_IN_WINDOW}
    WHERE s.ccodes IS NOT NULL
      AND NOT coalesce(
          s.by_radius
          AND ((r.longitude - s.lon) * s.k) ^ 2 + (r.latitude - s.lat) ^ 2 <= ((s.r + s.buf) / {M2}) ^ 2,
          false)
      AND NOT (NOT s.by_radius AND coalesce(r.lsoa_code = ANY(s.tcodes), false))
), by_distance AS (
    SELECT c.problem_id,
           CASE
             WHEN c.by_radius AND c.d2 <= (c.r / {M2}) ^ 2 THEN 'target'
             WHEN c.by_radius AND c.buf > 0 AND c.d2 <= ((c.r + c.buf) / {M2}) ^ 2 THEN 'buffer'
             WHEN c.by_ring AND c.d2 > (c.cin / {M2}) ^ 2 AND c.d2 <= (c.cout / {M2}) ^ 2
                  AND NOT (NOT c.by_radius AND coalesce(c.lsoa_code = ANY(c.tcodes), false)) THEN 'comparison'
           END AS area,
           c.after, c.crime_type
    FROM (
        SELECT s.problem_id, s.by_radius, s.by_ring, s.r, s.buf, s.cin, s.cout, s.tcodes,
               r.lsoa_code, r.month >= s.start_a AS after, r.crime_type,
               ((r.longitude - s.lon) * s.k) ^ 2 + (r.latitude - s.lat) ^ 2 AS d2
        FROM shaped s JOIN evaluation_crimerecord r
          ON r.latitude BETWEEN s.lat - s.reach AND s.lat + s.reach
         AND r.longitude BETWEEN s.lon - s.reach / greatest(s.k, 0.01) AND s.lon + s.reach / greatest(s.k, 0.01)
         AND {_IN_WINDOW}
        WHERE s.reach > 0 AND (s.by_radius OR s.by_ring)
    ) c
)
SELECT problem_id, area, after, crime_type, count(*)
FROM (
    SELECT * FROM by_lsoa_target
    UNION ALL SELECT * FROM by_lsoa_comparison
    UNION ALL SELECT * FROM by_distance
) x
WHERE area IS NOT NULL
GROUP BY 1, 2, 3, 4
"""  # noqa: S608


def crime_change_for_problems(*, problems_qs: QuerySet[Problem]) -> dict[int, CrimeChange]:
    """For each problem of `problems_qs` that has an evaluation design: its counts before and after
    in the target, buffer and comparison areas (and per crime type). Two queries on PostgreSQL
    (the designs, then one grouped query for the counts), whatever the number of problems."""
    return designs_and_crime_change(problems_qs=problems_qs)[1]


def designs_and_crime_change(
    *, problems_qs: QuerySet[Problem]
) -> tuple[dict[int, EvaluationDesign], dict[int, CrimeChange]]:
    """The designs (with their problems' locations) and the crime change, by problem id (each
    change also carries its design, which is how cost-benefit reuses both)."""
    # The problem's location draws its areas; its reference and title name it in the impact
    # report's table of problems (read here, in the same query, never one query per problem).
    location = (
        "problem__latitude",
        "problem__longitude",
        "problem__radius_m",
        "problem__lsoa_code",
        "problem__reference",
        "problem__title",
    )
    own = [field.name for field in EvaluationDesign._meta.concrete_fields if field.name != "problem"]
    designs = {
        design.problem_id: design
        for design in EvaluationDesign.objects.filter(problem__in=problems_qs.values("pk"))
        .select_related("problem")
        .only(*own, "problem", *location)
    }
    if connection.vendor != "postgresql":
        return designs, _crime_change_portable(list(designs.values()))
    shapes: dict[int, CrimeChange] = {}
    for design in designs.values():
        problem = design.problem
        centre = problem.latitude is not None and problem.longitude is not None
        shapes[design.problem_id] = CrimeChange(
            problem_id=design.problem_id,
            has_comparison=bool(design.comparison_lsoa_list)
            or (centre and (design.comparison_outer_m or 0) > (design.comparison_inner_m or 0)),
            has_buffer=centre and bool(problem.radius_m) and bool(design.buffer_m),
            design=design,
        )
    if not shapes:
        return designs, {}
    with connection.cursor() as cursor:
        cursor.execute(*change_sql(problems_qs=problems_qs))
        for problem_id, area, after, crime_type, n in cursor.fetchall():
            _add(shapes[problem_id], area, after, crime_type, n)
    return designs, shapes


def change_sql(*, problems_qs: QuerySet[Problem]) -> tuple[str, tuple[Any, ...]]:
    """`CHANGE_SQL` for the problems of `problems_qs`, with its parameters (PostgreSQL only)."""
    inner_sql, params = problems_qs.values("pk").query.sql_with_params()
    return CHANGE_SQL.replace("{problems}", inner_sql), tuple(params)


def _add(change: CrimeChange, area: str, after: bool, crime_type: str, n: int) -> None:
    change.counts[area][1 if after else 0] += n
    if area in change.by_type:
        change.by_type[area][crime_type][1 if after else 0] += n


def _crime_change_portable(designs: list[EvaluationDesign]) -> dict[int, CrimeChange]:
    result: dict[int, CrimeChange] = {}
    for design in designs:
        before_after = before_after_for_problem(problem=design.problem, design=design)
        if before_after is None:
            continue
        change = CrimeChange(
            problem_id=design.problem_id,
            has_comparison=before_after.comparison is not None,
            has_buffer=before_after.buffer is not None,
            design=design,
        )
        for area in before_after.areas:
            for crime_type, (before, after) in area.by_type.items():
                _add(change, area.area, False, crime_type, before)
                _add(change, area.area, True, crime_type, after)
        result[design.problem_id] = change
    return result
