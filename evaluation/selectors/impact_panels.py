"""The problem-based panels of the impact report. Each panel is ONE grouped query over the
report's problems (the scope's queryset is a subquery), never a query per problem.

Periods are inclusive dates. "Opened" uses `Problem.opened_on`; "closed" uses `Problem.closed_at`
(local date); overdue reviews are as at today (review dates have no history to replay); objectives
count by their target date; partner contributions are actions marked done in the period, by the
organisation responsible for them."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from problems.models import ActionStatus, Objective, Problem, ResponseAction, Stage, StageInterval
from problems.models.problems import NO_NEIGHBOURHOOD, STAGE_ORDER
from problems.selectors.problems import OPEN_STAGES, overdue_review

if TYPE_CHECKING:
    from evaluation.selectors.impact import ReportScope

STAGE_LABELS = dict(Stage.choices)
DAYS = "<<days>>"  # where each database's expression for a stay's length goes


def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes [start 00:00, day after end 00:00) in the local time zone:
    a range an index on a datetime column can use (unlike `__date`)."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, after


def _opened(scope: ReportScope) -> Q:
    return Q(opened_on__gte=scope.start, opened_on__lte=scope.end)


def _closed(scope: ReportScope) -> Q:
    first, after = period_bounds(scope.start, scope.end)
    return Q(closed_at__gte=first, closed_at__lt=after)


@dataclass(frozen=True)
class CategoryCount:
    category_id: int
    name: str
    opened: int
    closed: int


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class AreaCount:
    """Problems opened and closed in the period in one neighbourhood of the area, or (with no
    `neighbourhood_id`) of the area's forces with no neighbourhood recorded."""

    neighbourhood_id: int | None
    name: str
    opened: int
    closed: int


@dataclass(frozen=True)
class ProblemFlow:
    """Problems opened and closed in the period: by category, and the opened ones by stage now.
    `by_area`: by neighbourhood of the area, then the line of those with no neighbourhood
    recorded (in no area's figures, so not in `opened` and `closed`; shown, never dropped)."""

    opened: int
    closed: int
    by_category: list[CategoryCount]
    by_stage: list[StageCount]
    by_area: list[AreaCount] = field(default_factory=list)

    @property
    def unplaced(self) -> AreaCount | None:
        return next((a for a in self.by_area if a.neighbourhood_id is None), None)


def problem_flow(scope: ReportScope) -> ProblemFlow:
    """One query: (neighbourhood, category, stage) groups of the problems opened or closed in the
    period, those of the area's forces with no neighbourhood recorded included (counted on their
    own line only)."""
    opened_q, closed_q = _opened(scope), _closed(scope)
    rows = (
        scope.problems_with_unplaced()
        .filter(opened_q | closed_q)
        .values("neighbourhood_id", "category_id", "category__name", "stage")
        .annotate(opened=Count("pk", filter=opened_q), closed=Count("pk", filter=closed_q))
        .order_by()
    )
    categories: dict[int, list[Any]] = {}
    stages: dict[str, int] = defaultdict(int)
    areas: dict[int | None, list[int]] = {pk: [0, 0] for pk in (*scope.neighbourhood_ids, None)}
    for row in rows:
        area = areas.setdefault(row["neighbourhood_id"], [0, 0])
        area[0] += row["opened"]
        area[1] += row["closed"]
        if row["neighbourhood_id"] is None:
            continue
        entry = categories.setdefault(row["category_id"], [row["category__name"], 0, 0])
        entry[1] += row["opened"]
        entry[2] += row["closed"]
        stages[row["stage"]] += row["opened"]
    by_category = sorted(
        (CategoryCount(pk, name, opened, closed) for pk, (name, opened, closed) in categories.items()),
        key=lambda c: c.name,
    )
    by_stage = [StageCount(stage, STAGE_LABELS[stage], stages.get(stage, 0)) for stage in STAGE_ORDER]
    names = dict(zip(scope.neighbourhood_ids, scope.area_names, strict=True))
    by_area = sorted(
        (AreaCount(pk, names[pk], *areas[pk]) for pk in scope.neighbourhood_ids), key=lambda a: a.name.casefold()
    )
    by_area.append(AreaCount(None, NO_NEIGHBOURHOOD, *areas[None]))
    return ProblemFlow(
        opened=sum(c.opened for c in by_category),
        closed=sum(c.closed for c in by_category),
        by_category=by_category,
        by_stage=by_stage,
        by_area=by_area,
    )


@dataclass(frozen=True)
class StageDuration:
    stage: str
    label: str
    median_days: float | None
    stays: int


def _stays_sql(scope: ReportScope) -> tuple[str, list[Any]]:
    """Each stay in a stage that ended in the period: the stage, and when it was entered and left,
    read from the stored stays (problems.models.StageInterval, written with each move), an index
    range on when they ended, joined to the report's problems (a join, not `IN (subquery)`: the
    plan of the raw SQL, benchmarks/test_impact_report.py). A stay that began before the period
    is measured in full. Stays in "closed" (ended by a reopening) are not stages of work and are
    left out."""
    problems = scope.problems().order_by().values(report_problem=F("pk"))
    problems_sql, problems_params = problems.query.sql_with_params()
    first, after = period_bounds(scope.start, scope.end)
    # Only the table name from model metadata and Django's own compiled subquery are interpolated;
    # every value is a bound parameter.
    sql = f"""
        SELECT i.stage AS stage, {DAYS} AS days
        FROM {StageInterval._meta.db_table} i JOIN ({problems_sql}) p ON p.report_problem = i.problem_id
        WHERE i.left_at >= %s AND i.left_at < %s AND i.stage <> %s
    """  # noqa: S608
    params = [
        *problems_params,
        connection.ops.adapt_datetimefield_value(first),
        connection.ops.adapt_datetimefield_value(after),
        Stage.CLOSED.value,
    ]
    return sql, params


def stage_durations(scope: ReportScope) -> list[StageDuration]:
    """The median days problems spent in each stage, over the stays that ended in the period.

    One query. On PostgreSQL the median is computed in the database (percentile_cont, the
    interpolated median). SQLite (the embedded default) has no percentile aggregate, so there the
    same query returns the stays' lengths ordered by stage and Python takes the median of each
    stage (statistics.median: the same interpolated median); the rows are one number each."""
    found: dict[str, tuple[float | None, int]] = {}
    try:
        sql, params = _stays_sql(scope)
    except EmptyResultSet:
        # The scope's problems compile to "no rows" (a partner lead whose partnership shares none
        # of the area's problems): no stays, and no query (found by the disclosure canary test).
        return [StageDuration(stage, STAGE_LABELS[stage], None, 0) for stage in OPEN_STAGES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            days = "EXTRACT(EPOCH FROM (left_at - entered_at)) / 86400.0"
            cursor.execute(
                "SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), COUNT(*) "  # noqa: S608
                f"FROM ({sql.replace(DAYS, days)}) s GROUP BY stage",
                params,
            )
            found = {stage: (float(median), count) for stage, median, count in cursor.fetchall()}
        else:
            days = "julianday(left_at) - julianday(entered_at)"
            cursor.execute(f"SELECT stage, days FROM ({sql.replace(DAYS, days)}) s ORDER BY stage", params)  # noqa: S608
            lengths: dict[str, list[float]] = defaultdict(list)
            for stage, length in cursor.fetchall():
                lengths[stage].append(float(length))
            found = {stage: (statistics.median(values), len(values)) for stage, values in lengths.items()}
    return [StageDuration(stage, STAGE_LABELS[stage], *found.get(stage, (None, 0))) for stage in OPEN_STAGES]


@dataclass(frozen=True)
class ReviewStatus:
    open_now: int
    overdue: int


def review_status(scope: ReportScope, *, today: datetime.date | None = None) -> ReviewStatus:
    """One query: the area's problems open today, and those whose review is overdue today."""
    today = today or timezone.localdate()
    counts = scope.problems().aggregate(
        open_now=Count("pk", filter=Q(stage__in=OPEN_STAGES)), overdue=Count("pk", filter=overdue_review(today))
    )
    return ReviewStatus(open_now=counts["open_now"], overdue=counts["overdue"])


@dataclass(frozen=True)
class ObjectiveResults:
    met: int
    not_met: int
    not_assessed: int

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.not_assessed


def objective_results(scope: ReportScope) -> ObjectiveResults:
    """One query: objectives with a target date in the period, by result."""
    counts = Objective.objects.filter(
        problem__in=scope.problems().values("pk"), target_date__gte=scope.start, target_date__lte=scope.end
    ).aggregate(
        n_met=Count("pk", filter=Q(met=True)),
        n_not_met=Count("pk", filter=Q(met=False)),
        n_not_assessed=Count("pk", filter=Q(met__isnull=True)),
    )
    return ObjectiveResults(met=counts["n_met"], not_met=counts["n_not_met"], not_assessed=counts["n_not_assessed"])


@dataclass(frozen=True)
class Contribution:
    organisation_id: int
    organisation: str
    actions_done: int
    problems: int


def partner_contributions(scope: ReportScope) -> list[Contribution]:
    """One query: actions done in the period, by the organisation responsible, most first."""
    first, after = period_bounds(scope.start, scope.end)
    rows = (
        ResponseAction.objects.filter(
            problem__in=scope.problems().values("pk"),
            status=ActionStatus.DONE,
            completed_at__gte=first,
            completed_at__lt=after,
        )
        .values("responsible_organisation_id", "responsible_organisation__name")
        .annotate(done=Count("pk"), problems=Count("problem_id", distinct=True))
        .order_by("-done", "responsible_organisation__name")
    )
    return [
        Contribution(
            row["responsible_organisation_id"], row["responsible_organisation__name"], row["done"], row["problems"]
        )
        for row in rows
    ]


# --- the records under a figure ----------------------------------------------------------------

FIGURES = ("opened", "closed", "overdue", "open", "objectives", "actions", "stays", "evaluated", "unplaced")


def problems_behind_figure(
    scope: ReportScope,
    *,
    figure: str,
    category_id: int | None = None,
    stage: str = "",
    organisation_id: int | None = None,
    met: str = "",
) -> Any:
    """The problems a figure of the report counts, so every number can be traced to its records.
    One query for a page of them (with category and owner)."""
    problems = scope.problems()
    first, after = period_bounds(scope.start, scope.end)
    if figure == "opened":
        problems = problems.filter(_opened(scope))
        if stage:
            problems = problems.filter(stage=stage)
    elif figure == "closed":
        problems = problems.filter(_closed(scope))
    elif figure == "overdue":
        problems = problems.filter(overdue_review(timezone.localdate()))
    elif figure == "open":
        problems = problems.filter(stage__in=OPEN_STAGES)
    elif figure == "objectives":
        objectives = Objective.objects.filter(target_date__gte=scope.start, target_date__lte=scope.end)
        objectives = (
            objectives.filter(met={"yes": True, "no": False}[met])
            if met in ("yes", "no")
            else (objectives.filter(met__isnull=True) if met == "unknown" else objectives)
        )
        problems = problems.filter(pk__in=objectives.values("problem_id"))
    elif figure == "actions":
        actions = ResponseAction.objects.filter(
            status=ActionStatus.DONE, completed_at__gte=first, completed_at__lt=after
        )
        if organisation_id is not None:
            actions = actions.filter(responsible_organisation_id=organisation_id)
        problems = problems.filter(pk__in=actions.values("problem_id"))
    elif figure == "stays":
        left = StageInterval.objects.filter(left_at__gte=first, left_at__lt=after).exclude(stage=Stage.CLOSED)
        if stage:
            left = left.filter(stage=stage)
        problems = problems.filter(pk__in=left.values("problem_id"))
    elif figure == "evaluated":
        from evaluation.selectors.impact_sources import evaluated_problems

        problems = evaluated_problems(scope)
    elif figure == "unplaced":
        # Outside the area's figures: the problems of the "No neighbourhood recorded" line.
        problems = scope.unplaced_problems().filter(_opened(scope) | _closed(scope))
    else:
        return Problem.objects.none()
    if category_id is not None:
        problems = problems.filter(category_id=category_id)
    return problems.select_related("category", "owner").order_by("-opened_on", "-pk")
