"""Generated data for the benchmarks, loaded with PostgreSQL COPY (made up, never copied from
anywhere): `copy_rows`, problem sets (`problem_rows`), a partnership area's SARA history
(`load_problem_history`: stage moves, stays, actions, objectives, before/after designs) and
street-level crime rows (`crime_rows`). Every generator yields rows one at a time, streamed to
COPY, so memory stays bounded whatever the size."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from evaluation.models import CrimeRecord, EvaluationDesign
from problems.models import ActionStatus, Objective, Problem, ResponseAction, StageTransition
from problems.models.problems import STAGE_ORDER
from problems.services.stage_intervals import stage_intervals_rebuild
from tests.conftest import World

LSOAS = [f"E01{n:06d}" for n in range(400)]
CRIME_TYPES = [
    "Anti-social behaviour",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Public order",
    "Vehicle crime",
]
CRIME_COLUMNS = [
    "key",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome",
    "context",
]


def copy_rows(model: type[Model], columns: list[str], rows: Iterator[tuple[Any, ...]]) -> float:
    """COPY `rows` into the model's table; the seconds it took."""
    began = time.perf_counter()
    table = model._meta.db_table
    # Columns the rows leave out (added since: a lock version, a reason left blank) take their
    # field's default, as the ORM would write them.
    defaults = [
        (f.column, f.get_default())
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.primary_key
    ]
    extra = tuple(value for _, value in defaults)
    columns = [*columns, *(column for column, _ in defaults)]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row((*row, *extra))
    return time.perf_counter() - began


def problem_columns() -> list[str]:
    return [f.column for f in Problem._meta.concrete_fields if f.column != "id"]


_TEXT = {f.column for f in Problem._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")}
# Columns the rows leave out take their field's default (a lock version, a flag), else blank or NULL.
_DEFAULTS = {
    f.column: f.get_default() for f in Problem._meta.concrete_fields if f.has_default() and not callable(f.default)
}


def _unset(column: str) -> Any:
    if column in _DEFAULTS:
        return _DEFAULTS[column]
    return "" if column in _TEXT else None


def problem_rows(
    world: World,
    areas: list[int],
    categories: list[int],
    count: int,
    *,
    force_id: int | None = None,
    owners: list[int] | None = None,
    lsoas: list[str] | None = None,
    first: int = 0,
) -> Iterator[tuple[Any, ...]]:
    """`count` problems of the world's force (or `force_id`'s), owned by its officer (or by each of
    `owners` in turn), spread over `areas` (the ids of the force's neighbourhoods), `lsoas`,
    categories, stages and two years of opening dates; numbered from `first` (references are unique
    across calls that number apart)."""
    rng = random.Random(100_000 + first)  # noqa: S311  (made-up data)
    owner_ids = owners or [world.users["officer"].pk]
    lsoa_codes = lsoas or LSOAS
    now = timezone.now()
    today = timezone.localdate()
    fixed: dict[str, Any] = {
        "owning_organisation_id": force_id or world.force.pk,
        "source": "community_report",
        "risk_level": "medium",
        "restricted": False,
        "updated_at": now,
    }
    columns = problem_columns()
    for n in range(first, first + count):
        opened = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(730))
        stage = STAGE_ORDER[n % len(STAGE_ORDER)]
        closed = stage == "closed"
        owner = owner_ids[n % len(owner_ids)]
        values = {
            **fixed,
            "owner_id": owner,
            "created_by_id": owner,
            "reference": f"BEN-{n:07d}",
            "title": f"Benchmark problem {n}",
            "description": "Generated for the benchmarks.",
            "category_id": categories[n % len(categories)],
            "neighbourhood_id": areas[n % len(areas)],
            "lsoa_code": lsoa_codes[n % len(lsoa_codes)],
            "stage": stage,
            "opened_on": opened,
            "next_review_date": None if closed else today + datetime.timedelta(days=rng.randrange(-30, 60)),
            "closed_at": timezone.make_aware(datetime.datetime.combine(opened, datetime.time(12)))
            + datetime.timedelta(days=90)
            if closed
            else None,
            "created_at": timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9))),
        }
        yield tuple(values[column] if column in values else _unset(column) for column in columns)


def clone_rows(model: type[Model], template_pk: int, key: str, keys_sql: str) -> int:
    """Copy the row `template_pk` of `model` once for each id that `keys_sql` selects, that id in
    column `key`, every other column as the template has it (a real row, made by the service, copied:
    the benchmark's shares and permissions are exactly what production writes); the rows added."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if f.column != model._meta.pk.column]
    chosen = ", ".join("k.id" if column == key else f"t.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} t, ({keys_sql}) k "  # noqa: S608
            f"WHERE t.{model._meta.pk.column} = %s",
            [template_pk],
        )
        return int(cursor.rowcount)


def load_problem_history(
    *, ids: Sequence[int], officer_id: int, force_id: int, partner_id: int, designs: int, lsoas: list[str]
) -> dict[str, float]:
    """The SARA history of the problems `ids`, loaded with COPY; the seconds of each table: two stage
    moves each (and the stays the stage services would have written), a done action (two in three
    the partner's), an objective for one in two, and `designs` before/after designs by LSOA (target
    and comparison areas taken from `lsoas`, half the list apart)."""
    timings: dict[str, float] = {}

    def transitions() -> Iterator[tuple[Any, ...]]:
        base = timezone.make_aware(datetime.datetime(2024, 1, 1, 12))
        for pk in ids:
            for step in range(2):
                at = base + datetime.timedelta(days=(pk * 7 + step * 11) % 700 + step)
                yield (pk, "advance", STAGE_ORDER[step], STAGE_ORDER[step + 1], "", officer_id, at)

    timings["transitions"] = copy_rows(
        StageTransition, ["problem_id", "kind", "from_stage", "to_stage", "note", "by_id", "at"], transitions()
    )
    # The stays the stage services write with each move, derived from the generated moves (the
    # statement of the data migration that introduced them).
    began = time.perf_counter()
    stage_intervals_rebuild()
    timings["stage_intervals"] = time.perf_counter() - began
    now = timezone.now()

    def actions() -> Iterator[tuple[Any, ...]]:
        for pk in ids:
            org = partner_id if pk % 3 else force_id
            done = timezone.make_aware(datetime.datetime(2025, 1, 1, 12)) + datetime.timedelta(days=pk % 365)
            yield (
                pk,
                "Generated action",
                "situational",
                org,
                "",
                None,
                done.date(),
                ActionStatus.DONE,
                "",
                done,
                now,
                now,
            )

    timings["actions"] = copy_rows(
        ResponseAction,
        [
            "problem_id",
            "description",
            "intervention_kind",
            "responsible_organisation_id",
            "responsible_person",
            "responsible_user_id",
            "due_date",
            "status",
            "cancel_reason",
            "completed_at",
            "created_at",
            "updated_at",
        ],
        actions(),
    )

    def objectives() -> Iterator[tuple[Any, ...]]:
        for pk in ids[::2]:
            met = (None, True, False)[pk % 3]
            target = datetime.date(2025, 1, 1) + datetime.timedelta(days=pk % 365)
            yield (pk, "Generated objective", "Calls", "", "Fewer", target, "", met)

    timings["objectives"] = copy_rows(
        Objective,
        ["problem_id", "description", "measure", "baseline", "target", "target_date", "result", "met"],
        objectives(),
    )

    def design_rows() -> Iterator[tuple[Any, ...]]:
        half = len(lsoas) // 2
        for n, pk in enumerate(ids[: designs * 10 : 10]):
            start = datetime.date(2025, 1 + n % 12, 1)
            target, comparison = lsoas[n % len(lsoas)], lsoas[(n + half) % len(lsoas)]
            yield (pk, "[]", start, 6, 6, target, comparison, None, None, None, None, "", 10, 30, 5, 20, 100, "")

    columns = [
        "problem_id",
        "crime_types",
        "response_start",
        "months_before",
        "months_after",
        "target_lsoa_codes",
        "comparison_lsoa_codes",
        "comparison_inner_m",
        "comparison_outer_m",
        "buffer_m",
        "maryland_level",
        "maryland_reason",
        "officer_hours",
        "officer_hourly_cost",
        "partner_hours",
        "partner_hourly_cost",
        "money_spent",
        "costs_notes",
    ]
    timings["designs"] = copy_rows(
        EvaluationDesign,
        [*columns, "updated_by_id", "updated_at"],
        ((*row, officer_id, now) for row in design_rows()),
    )
    return timings


def crime_rows(
    count: int,
    *,
    lsoas: list[str] | None = None,
    force: str = "Benchmark Police",
    key_prefix: str = "bench",
    origin: tuple[float, float] = (52.0, -1.0),
    seed: int = 1_000_000,
) -> Iterator[tuple[Any, ...]]:
    """`count` street-level rows (CRIME_COLUMNS) of `force`, over `lsoas`, 24 months of 2024 and
    2025 and six crime types, at points within a tenth of a degree south-west of `origin`."""
    rng = random.Random(seed)  # noqa: S311  (made-up data)
    codes = lsoas or LSOAS
    lat0, lon0 = origin
    for n in range(count):
        month = datetime.date(2024 + (n // 12) % 2, n % 12 + 1, 1)
        lat, lon = lat0 + rng.random() / 10, lon0 - rng.random() / 10
        yield (
            f"{key_prefix}-{n}",
            month,
            force,
            force,
            lon,
            lat,
            "On or near a street",
            codes[rng.randrange(len(codes))],
            "Benchmark 001A",
            CRIME_TYPES[n % len(CRIME_TYPES)],
            "",
            "",
        )


def load_crime_rows(rows: Iterator[tuple[Any, ...]]) -> float:
    """COPY crime rows (CRIME_COLUMNS) into the crime table; the seconds."""
    return copy_rows(CrimeRecord, CRIME_COLUMNS, rows)
