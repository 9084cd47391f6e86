"""Counting several querysets at once: a dashboard that shows the size of many lists asks the
database once, instead of once per list, so its query count stays fixed as lists are added."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts_in_one_query(querysets: Mapping[str, QuerySet[Any]], *, using: str = "default") -> dict[str, int]:
    """The number of rows of each queryset, by the same keys, in one query:
    `SELECT (SELECT COUNT(*) FROM (<queryset 1>)), (SELECT COUNT(*) FROM (<queryset 2>)), ...`.

    Each queryset is compiled by the ORM (its filters and parameters included) and only wrapped
    here, so the SQL is portable: PostgreSQL and SQLite both accept a SELECT with no FROM."""
    counts = dict.fromkeys(querysets, 0)
    parts: list[str] = []
    params: list[Any] = []
    keys: list[str] = []
    for key, queryset in querysets.items():
        try:
            # Only the primary key is selected and the ordering dropped: the count needs neither.
            sql, sql_params = queryset.order_by().values("pk").query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            continue  # `.none()` or a filter on an empty list: nothing to ask the database.
        # The SQL is the ORM's own, with every value bound as a parameter: nothing is interpolated.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(keys)})")  # noqa: S608
        params.extend(sql_params)
        keys.append(key)
    if not parts:
        return counts
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    counts.update(zip(keys, (int(value) for value in row), strict=True))
    return counts
