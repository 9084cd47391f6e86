"""The site search: each kind of record the search finds, from its own app's searchable selector
(which applies that app's visibility rules), capped per kind with the number of further matches.

One query per kind, whatever the number of matches: the rows shown and, by a window count over the
same query, how many matched in all. A kind the user can never see (case records for an
administrator) is an empty queryset, which Django answers without a query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Window

from engagement.selectors.search import event_search_visible_to, priority_search_visible_to
from partnerships.selectors.search import (
    agreement_search_visible_to,
    contact_search_visible_to,
    organisation_search_visible_to,
)
from problems.selectors.search import problem_search_visible_to

if TYPE_CHECKING:
    from accounts.models import User

# Results shown per kind; the page says how many more matched.
PER_KIND = 10


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    search: Callable[..., QuerySet[Any]]


KINDS: tuple[Kind, ...] = (
    Kind("problems", "Problems", problem_search_visible_to),
    Kind("organisations", "Organisations", organisation_search_visible_to),
    Kind("contacts", "Contacts", contact_search_visible_to),
    Kind("agreements", "Information-sharing agreements", agreement_search_visible_to),
    Kind("events", "Engagement events", event_search_visible_to),
    Kind("priorities", "Community priorities", priority_search_visible_to),
)


@dataclass(frozen=True)
class KindResults:
    key: str
    label: str
    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def template(self) -> str:
        return f"search/_{self.key}.html"


@dataclass(frozen=True)
class SearchResults:
    query: str
    kinds: list[KindResults]

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)

    @property
    def found(self) -> list[KindResults]:
        return [kind for kind in self.kinds if kind.total]


def site_search(*, user: User, query: str, per_kind: int = PER_KIND) -> SearchResults:
    """What `user` may see that matches `query`, by kind: the best `per_kind` of each and how many
    matched in all."""
    kinds = []
    for kind in KINDS:
        rows = list(kind.search(user=user, query=query).annotate(search_total=Window(Count("pk")))[:per_kind])
        kinds.append(KindResults(kind.key, kind.label, rows, rows[0].search_total if rows else 0))
    return SearchResults(query=query, kinds=kinds)
