"""Reads by primary key that every request makes (the signed-in user, the second-factor device),
compiled to SQL once per process instead of on every request.

Building and compiling a queryset costs more than running it: loading the user with its
organisation and unread count took 1.75 ms of CPU a request, 1.1 ms of it Django turning the same
queryset into the same SQL (benchmarks/page_cpu.py). `CompiledGet` builds the queryset once with a
marker in place of the primary key, keeps the compiler's SQL and its column layout, and on each
call runs that SQL with the real key and makes the objects with `Model.from_db` (the database's
values passed through the compiler's own converters, so SQLite's and PostgreSQL's types come out
as the ORM gives them). The query is the ORM's own, so a new field or a changed annotation is
picked up at the next start; the query count is what the ORM would make (one).

Only what these reads need is supported: one model, forward foreign keys one level deep in
`select_related`, annotations. Anything else (or a queryset whose SQL does not carry the marker
exactly once) falls back to the ORM on every call: never wrong, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

# Stands for the primary key while the SQL is made: no real row has it, and it fits a 32-bit key
# (a value out of a field's range compiles to no query at all).
_MARKER = -1_987_654_321


@dataclass(frozen=True)
class _Related:
    field: Any  # the forward ForeignKey on the main model
    model: type[Model]
    start: int
    end: int
    attnames: tuple[str, ...]


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    marker_at: int
    compiler: Any
    start: int
    end: int
    attnames: tuple[str, ...]
    related: tuple[_Related, ...]
    annotations: tuple[tuple[str, int], ...]


class CompiledGet[M: Model]:
    """`build(pk)` returns the queryset that selects the one row wanted (filtered by `pk=`);
    `get(pk)` returns that row's object, or None when there is none."""

    def __init__(self, build: Callable[[Any], QuerySet[M]]) -> None:
        self._build = build
        self._plans: dict[tuple[str, str], _Plan | None] = {}

    def get(self, pk: Any, using: str = "default") -> M | None:
        connection = connections[using]
        key = (using, connection.vendor)
        if key not in self._plans:
            self._plans[key] = self._plan(using)
        plan = self._plans[key]
        if plan is None or not isinstance(pk, int) or isinstance(pk, bool):
            return self._build(pk).using(using).first()
        params = list(plan.params)
        params[plan.marker_at] = pk
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = next(iter(plan.compiler.results_iter(results=[[row]])))
        obj: M = plan.compiler.query.model.from_db(using, plan.attnames, row[plan.start : plan.end])
        for related in plan.related:
            values = row[related.start : related.end]
            rel_obj = None if all(v is None for v in values) else related.model.from_db(using, related.attnames, values)
            related.field.set_cached_value(obj, rel_obj)
        for name, at in plan.annotations:
            setattr(obj, name, row[at])
        return obj

    def _plan(self, using: str) -> _Plan | None:
        queryset = self._build(_MARKER).using(using)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        if [p for p in params if p == _MARKER] != [_MARKER] or queryset.query.is_sliced:
            return None
        klass_info = compiler.klass_info
        select = compiler.select

        def layout(info: dict[str, Any]) -> tuple[int, int, tuple[str, ...]]:
            fields = info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            return start, end, tuple(s[0].target.attname for s in select[start:end])

        related = []
        for info in klass_info.get("related_klass_infos", []):
            if info.get("reverse") or info.get("related_klass_infos") or info.get("local_setter") is None:
                return None
            start, end, attnames = layout(info)
            related.append(_Related(info["field"], info["model"], start, end, attnames))
        start, end, attnames = layout(klass_info)
        return _Plan(
            sql=sql,
            params=tuple(params),
            marker_at=list(params).index(_MARKER),
            compiler=compiler,
            start=start,
            end=end,
            attnames=attnames,
            related=tuple(related),
            annotations=tuple(compiler.annotation_col_map.items()),
        )
