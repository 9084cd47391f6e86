"""Pagination of long lists: the one paginator every list page uses.

Counting every row a user may see costs a scan of all of them: 40-50 ms for 100,000 problems, most
of a list page's time (benchmarks/test_list_pages.py), to print a number nobody reads past the
thousands. `CappedPaginator` counts at most COUNT_LIMIT rows (one more, to know there are more);
beyond that a list says "more than 10,000" and offers the next page until the limit. Nobody pages
that far: they filter."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 10_000
PAGE_SIZE = 25


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int = PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        """The rows, or COUNT_LIMIT + 1 when there are more than COUNT_LIMIT."""
        rows: Any = self.object_list
        if hasattr(rows, "query"):
            # SELECT count(*) FROM (SELECT id ... LIMIT n): stops reading at the limit, and reads
            # only the key (no joins, annotations or order: they change no count).
            return int(rows.order_by().values("pk")[: COUNT_LIMIT + 1].count())
        return min(len(self.object_list), COUNT_LIMIT + 1)

    @property
    def capped(self) -> bool:
        """More rows than were counted."""
        return self.count > COUNT_LIMIT

    @property
    def limit_text(self) -> str:
        return f"{COUNT_LIMIT:,}"


def paginate(request: Any, rows: Any, per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for (`?page=`), the first for a bad number, the last past the end."""
    return CappedPaginator(rows, per_page).get_page(request.GET.get("page"))
