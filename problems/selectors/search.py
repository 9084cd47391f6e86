"""The problems the site search finds (search/, issue 20): those the user may see
(problems_visible_to), matched only on what the user may read of each.

The owning organisation's users read everything. A partner reads the description, the problem
statement (and CHEERS answers) and the analysis triangle only where its share discloses their data
categories (problems.selectors.disclosure): a match in withheld text would tell them what it says,
so such text is neither matched nor ranked. The reference, title and assessment are shown to every
viewer of the problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from core.search import best_first, text_search
from problems.models import DisclosurePart, Problem
from problems.models.problems import PROBLEM_SEARCH_PARTS
from problems.selectors.access import problems_visible_to
from problems.selectors.disclosure import disclosed_rows

if TYPE_CHECKING:
    from accounts.models import User

# Each part that can hold personal data, with the field that holds its chosen data category.
CATEGORY_OF_PART = {
    DisclosurePart.DESCRIPTION: "description_category_id",
    DisclosurePart.STATEMENT: "statement_category_id",
    DisclosurePart.TRIANGLE: "triangle_category_id",
}


def _readable_parts(user: User) -> dict[str, Any]:
    """Conditions under which `user` may read each withholdable part (none: every part, always).
    The same rule as disclosure_for, in SQL: the problem's own organisation reads everything, a
    partner what its share discloses."""
    if user.is_police:
        # A police user sees only their own force's problems, all of whose text they may read.
        return {}
    return {
        part: Q(owning_organisation_id=user.organisation_id)
        | Q(disclosed_rows(user=user, part=part, problem_ref="pk", category_ref=category))
        for part, category in CATEGORY_OF_PART.items()
    }


def problem_search_visible_to(*, user: User, query: str) -> QuerySet[Problem]:
    """The problems `user` may see that match `query` in what they may read of them, best match
    first, each with its neighbourhood (one query)."""
    found = text_search(
        problems_visible_to(user), query=query, parts=PROBLEM_SEARCH_PARTS, conditions=_readable_parts(user)
    )
    return found.select_related("neighbourhood").order_by(best_first(), "-opened_on", "-pk")
