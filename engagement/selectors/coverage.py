"""Seldom-heard coverage: for each neighbourhood the user may see and a period, which groups on the
seldom-heard list were reached, and by what (engagement events, survey responses: every source in
engagement.coverage's registry), and which were not.

Queries: the neighbourhoods, the active groups, then one per registered source, whatever the
number of neighbourhoods, groups, events or responses."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from engagement.coverage import reach_sources
from engagement.selectors.access import neighbourhoods_visible_to
from partnerships.models import Neighbourhood, SeldomHeardGroup

if TYPE_CHECKING:
    from accounts.models import User

# The default period: the last twelve months, today included.
DEFAULT_PERIOD_DAYS = 365


@dataclass(frozen=True)
class CoverageCell:
    group: SeldomHeardGroup
    # The names of the sources that reached the group ("engagement", "survey"), sorted.
    sources: tuple[str, ...]

    @property
    def reached(self) -> bool:
        return bool(self.sources)


@dataclass(frozen=True)
class CoverageRow:
    neighbourhood: Neighbourhood
    cells: list[CoverageCell]

    @property
    def gaps(self) -> list[SeldomHeardGroup]:
        return [cell.group for cell in self.cells if not cell.reached]

    @property
    def reached_count(self) -> int:
        return sum(1 for cell in self.cells if cell.reached)


@dataclass(frozen=True)
class CoverageGrid:
    start: datetime.date
    end: datetime.date
    groups: list[SeldomHeardGroup]
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def rows_with_gaps(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.gaps]


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def coverage_grid(
    *,
    user: User,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> CoverageGrid:
    """The grid for the active neighbourhoods the user may see (or one of them), `start` to `end`
    inclusive (default: the last twelve months)."""
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    neighbourhoods_qs = neighbourhoods_visible_to(user).filter(active=True).order_by("name")
    if neighbourhood is not None:
        neighbourhoods_qs = neighbourhoods_qs.filter(pk=neighbourhood.pk)
    neighbourhoods = list(neighbourhoods_qs)
    if not neighbourhoods:
        return CoverageGrid(start=start, end=end, groups=[])
    groups = list(SeldomHeardGroup.objects.filter(active=True))
    ids = [n.pk for n in neighbourhoods]
    reached: dict[tuple[int, int], set[str]] = defaultdict(set)
    for name, source in reach_sources().items():
        for neighbourhood_id, group_id in source(ids, start, end):
            reached[(neighbourhood_id, group_id)].add(name)
    rows = [
        CoverageRow(
            neighbourhood=n,
            cells=[CoverageCell(group=g, sources=tuple(sorted(reached.get((n.pk, g.pk), ())))) for g in groups],
        )
        for n in neighbourhoods
    ]
    return CoverageGrid(start=start, end=end, groups=groups, rows=rows)


def coverage_gaps_for(*, user: User) -> list[CoverageRow]:
    """The supervisor's home page: neighbourhoods with groups not reached in the last twelve months."""
    return coverage_grid(user=user).rows_with_gaps
