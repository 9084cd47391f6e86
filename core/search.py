"""Full-text search for the apps' searchable selectors (the site search, search/, issue 20).

Each searchable model names its text in weighted parts (`SearchPart`: reference and title A, summary
B, other text C and D) and carries one `SearchIndex` on their combined vector, so PostgreSQL finds
matches through a GIN index instead of reading every row. A selector calls `text_search` on the rows
the user may see; a part the user may not read (a partner's share that withholds a data category,
problems.selectors.disclosure) is named in `conditions` and is then neither matched nor ranked for
rows where the condition is false.

On SQLite (the embedded default of `make run`) there is no full-text search: every word of the query
must occur (icontains) in some part the user may read, ranked by the weight of the best part matched."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any, cast

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorExact
from django.db import connections
from django.db.models import Case, F, FloatField, Index, Model, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy

# Stemmed English: "drinking" finds "drinkers". Must be a literal: an index on to_tsvector needs
# its configuration fixed in the expression, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
MIN_QUERY_LENGTH = 3
MAX_QUERY_LENGTH = 200
# The SQLite fallback matches each word separately; a longer query is cut to its first words.
MAX_FALLBACK_TERMS = 8
# ts_rank's default weights, for the fallback's ranking of the part that matched.
WEIGHT_RANK = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass(frozen=True)
class SearchPart:
    """Text fields searched together, at one weight ("A" highest to "D")."""

    name: str
    fields: tuple[str, ...]
    weight: str


def part_vector(part: SearchPart) -> SearchVector:
    return SearchVector(*part.fields, config=SEARCH_CONFIG, weight=part.weight)


def search_vector(parts: Sequence[SearchPart]) -> Any:
    """The weighted vector of all the parts: what a model's SearchIndex indexes, and what
    `text_search` matches against (the same expression, so the index is used)."""
    combined: Any = part_vector(parts[0])
    for part in parts[1:]:
        combined = combined + part_vector(part)
    return combined


class SearchIndex(Index):
    """A GIN index on a search vector, created on PostgreSQL only: SQLite has no to_tsvector, and
    its schema editor rebuilds a table's indexes from the model's Meta whenever it alters a column,
    so the index must be a no-op there, not just skipped by its first migration."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().create_sql(model, schema_editor, using=" USING gin", **kwargs)

    def remove_sql(self, model: Any, schema_editor: Any, **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


def search_index(parts: Sequence[SearchPart], *, name: str) -> SearchIndex:
    return SearchIndex(search_vector(parts), name=name)


def is_postgresql(queryset: QuerySet[Any]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _readable(part: SearchPart, conditions: Mapping[str, Any]) -> Q:
    condition = conditions.get(part.name)
    return Q(condition) if condition is not None else Q()


def _postgresql_search[M: Model](
    queryset: QuerySet[M], *, query: str, parts: Sequence[SearchPart], conditions: Mapping[str, Any]
) -> QuerySet[M]:
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    # The indexed vector narrows the rows; a part the user may not read on some rows is checked
    # again, per part, on those rows only.
    found = queryset.filter(SearchVectorExact(search_vector(parts), search_query))
    if not conditions:
        return cast("QuerySet[M]", found.annotate(search_rank=SearchRank(search_vector(parts), search_query)))
    readable_matches = [
        Q(SearchVectorExact(part_vector(part), search_query)) & _readable(part, conditions) for part in parts
    ]
    # Ranked by the readable parts only: an order set by withheld text would hint at what it says.
    rank: Any = Value(0.0)
    for part in parts:
        part_rank: Any = SearchRank(part_vector(part), search_query)
        if part.name in conditions:
            part_rank = Case(
                When(_readable(part, conditions), then=part_rank), default=Value(0.0), output_field=FloatField()
            )
        rank = rank + part_rank
    return cast("QuerySet[M]", found.filter(reduce(or_, readable_matches)).annotate(search_rank=rank))


def _fallback_search[M: Model](
    queryset: QuerySet[M], *, query: str, parts: Sequence[SearchPart], conditions: Mapping[str, Any]
) -> QuerySet[M]:
    terms = query.split()[:MAX_FALLBACK_TERMS]

    def part_matches(part: SearchPart, term: str) -> Q:
        return reduce(or_, (Q(**{f"{field}__icontains": term}) for field in part.fields)) & _readable(part, conditions)

    every_term = reduce(and_, (reduce(or_, (part_matches(part, term) for part in parts)) for term in terms))
    best_part = Case(
        *(
            When(reduce(or_, (part_matches(part, term) for term in terms)), then=Value(WEIGHT_RANK[part.weight]))
            for part in sorted(parts, key=lambda part: part.weight)
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return cast("QuerySet[M]", queryset.filter(every_term).annotate(search_rank=best_part))


def best_first() -> OrderBy:
    """The order of a search's rows: best match first (the selectors add their own tie-breaks)."""
    return F("search_rank").desc()


def text_search[M: Model](
    queryset: QuerySet[M],
    *,
    query: str,
    parts: Sequence[SearchPart],
    conditions: Mapping[str, Any] | None = None,
) -> QuerySet[M]:
    """The rows of `queryset` whose parts match `query`, each annotated with `search_rank`
    (higher is better; not ordered here). `conditions` maps a part's name to a condition (a Q or
    an Exists) under which that part may be read: elsewhere it is neither matched nor ranked."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query.split():
        return queryset.none()
    conditions = conditions or {}
    if is_postgresql(queryset):
        return _postgresql_search(queryset, query=query, parts=parts, conditions=conditions)
    return _fallback_search(queryset, query=query, parts=parts, conditions=conditions)
