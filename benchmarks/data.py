"""Generated data for the benchmarks, loaded with PostgreSQL COPY (made up, never copied from
anywhere): `copy_rows` and 100,000-row problem sets (`problem_rows`)."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from problems.models import Problem
from problems.models.problems import STAGE_ORDER
from tests.conftest import World

LSOAS = [f"E01{n:06d}" for n in range(400)]


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


def problem_rows(world: World, areas: list[int], categories: list[int], count: int) -> Iterator[tuple[Any, ...]]:
    """`count` problems of the world's force, owned by its officer, spread over `areas` (the ids of
    the force's neighbourhoods), categories, stages and two years of opening dates."""
    rng = random.Random(100_000)  # noqa: S311  (made-up data)
    officer = world.users["officer"]
    now = timezone.now()
    today = timezone.localdate()
    fixed: dict[str, Any] = {
        "owning_organisation_id": world.force.pk,
        "owner_id": officer.pk,
        "created_by_id": officer.pk,
        "source": "community_report",
        "risk_level": "medium",
        "restricted": False,
        "updated_at": now,
    }
    columns = problem_columns()
    for n in range(count):
        opened = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(730))
        stage = STAGE_ORDER[n % len(STAGE_ORDER)]
        closed = stage == "closed"
        values = {
            **fixed,
            "reference": f"BEN-{n:07d}",
            "title": f"Benchmark problem {n}",
            "description": "Generated for the benchmarks.",
            "category_id": categories[n % len(categories)],
            "neighbourhood_id": areas[n % len(areas)],
            "lsoa_code": LSOAS[n % len(LSOAS)],
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
