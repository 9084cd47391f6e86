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

import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

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


# Stand for the integer parameters of a CompiledQuery while its SQL is made (one each, in the
# order of their names); like _MARKER, no real row has them and they fit a 32-bit key.
_QUERY_MARKERS = tuple(-1_987_654_301 - n for n in range(16))
_MISSING: Any = object()


@dataclass(frozen=True)
class _QueryPlan:
    sql: str
    params: tuple[Any, ...]
    at: tuple[tuple[str, tuple[int, ...]], ...]  # each parameter's positions among params
    compiler: Any
    from_db: Callable[..., Any]
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    track_peers: bool
    prefetch: tuple[Any, ...]


def _comparable(params: list[Any]) -> list[Any]:
    # Adapted values (psycopg's Jsonb, Int4) do not compare equal to themselves: by type and repr.
    return [(type(value), repr(value)) for value in params]


class CompiledQuery[M: Model]:
    """A list query of one shape, compiled to SQL once per process and shape.

    `build(shape, **params)` returns the queryset; `params` are integers (ids), and nothing else
    the queryset depends on may vary for one `shape` (a role, say): no clock, no setting read per
    call. `fetch(shape, **params)` runs the SQL made with markers in place of the integers, with the
    real ones put in their place, and makes the objects as Django's model iterable does (the
    `select_related` tree, annotations), then Django's `prefetch_related` of the queryset's lookups
    (those run their own queries as before, so the query count is the ORM's).

    The plan is refused (and the ORM used on every call: never wrong, only slower) unless every
    marker appears as a parameter of its own and nowhere else (not inlined in the SQL, not inside
    another value), building the queryset twice gives the same SQL and parameters (nothing read
    from the clock), it is a plain model query, and its Prefetch querysets carry no marker.
    """

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._plans: dict[tuple[Any, ...], _QueryPlan | None] = {}

    def fetch(self, shape: Hashable, using: str = "default", **params: Any) -> list[M]:
        connection = connections[using]
        names = tuple(sorted(params))
        key = (shape, names, using, connection.vendor)
        plan = self._plans.get(key, _MISSING)
        if plan is _MISSING:
            plan = self._plans[key] = self._plan(shape, names, using)
        if plan is None or any(type(value) is not int for value in params.values()):
            return list(self._build(shape, **params).using(using))
        values = list(plan.params)
        for name, positions in plan.at:
            for at in positions:
                values[at] = params[name]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, values)
            rows = cursor.fetchall()
        found: list[M] = []
        peers: list[Any] = []
        for row in plan.compiler.results_iter(results=[rows]):
            obj = plan.from_db(using, plan.init_list, row[plan.start : plan.end])
            if plan.track_peers:
                peers.append(weakref.ref(obj))
                obj._state.peers = peers
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, at in plan.annotations:
                setattr(obj, name, row[at])
            found.append(obj)
        if found and plan.prefetch:
            prefetch_related_objects(found, *plan.prefetch)
        return found

    def _compile(self, shape: Hashable, names: tuple[str, ...], using: str) -> tuple[QuerySet[M], Any, str, list[Any]]:
        queryset = self._build(shape, **dict(zip(names, _QUERY_MARKERS, strict=False))).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        return queryset, compiler, sql, list(params)

    def _plan(self, shape: Hashable, names: tuple[str, ...], using: str) -> _QueryPlan | None:
        if len(names) > len(_QUERY_MARKERS):
            return None
        try:
            queryset, compiler, sql, params = self._compile(shape, names, using)
            _, _, again_sql, again_params = self._compile(shape, names, using)
        except EmptyResultSet:
            return None
        if (sql, _comparable(params)) != (again_sql, _comparable(again_params)):
            return None
        if queryset._iterable_class is not ModelIterable:
            return None
        if queryset._known_related_objects or queryset.query.combinator:  # type: ignore[attr-defined]
            return None
        markers = dict(zip(names, _QUERY_MARKERS, strict=False))
        at = []
        for name, marker in markers.items():
            positions = tuple(i for i, value in enumerate(params) if type(value) is int and value == marker)
            if not positions or str(marker) in sql:
                return None
            at.append((name, positions))
        taken = {i for _, positions in at for i in positions}
        texts = [str(value) for i, value in enumerate(params) if i not in taken]
        if any(str(marker) in text for marker in markers.values() for text in texts):
            return None
        prefetch = tuple(queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
        for lookup in prefetch:
            inner = getattr(lookup, "queryset", None)
            if inner is not None:
                inner_sql, inner_params = inner.query.get_compiler(using=using).as_sql()
                if any(str(marker) in f"{inner_sql} {inner_params!r}" for marker in markers.values()):
                    return None
        fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        model = klass_info["model"]
        return _QueryPlan(
            sql=sql,
            params=tuple(params),
            at=tuple(at),
            compiler=compiler,
            from_db=partial(model.from_db, fetch_mode=fetch_mode),
            init_list=tuple(s[0].target.attname for s in select[start:end]),
            start=start,
            end=end,
            populators=tuple(get_related_populators(klass_info, select, using, fetch_mode)),
            annotations=tuple(compiler.annotation_col_map.items()),
            track_peers=bool(fetch_mode.track_peers),
            prefetch=prefetch,
        )
