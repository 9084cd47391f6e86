"""What a problem's viewer may read of it, by data category (DESIGN.md section 4: "a partner sees
only entries whose categories its share discloses, and a count of what is withheld").

The one place the rule lives. The owning force's users see everything. A partner user sees an
entry only when the categories of their organisation's share of the problem (active, its agreement
in force today) include the entry's category: the one its author chose, or its part's default
(problems.models.disclosure.DEFAULT_CATEGORY_CODES). Withheld entries are counted, never shown: every page,
print view, export and list that shows a part of a problem asks here.

`disclosure_for` answers for one problem (one query for a partner, none for the force, and none the
second time it is asked for the same problem and user in a request); `disclosed_rows` is the same
rule as SQL, for lists that span problems (a partner's actions, joint decisions to confirm)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from partnerships.models import DataCategory
from problems.models import DEFAULT_CATEGORY_CODES, DisclosurePart, Problem
from problems.models.sharing import ProblemShare
from problems.selectors.access import share_in_force
from problems.selectors.sara import WITHHELD_TEXT

if TYPE_CHECKING:
    from accounts.models import User

# Shown where entries were withheld (tests assert them).
WITHHELD_NOTE = "{count} {entries} withheld: not covered by the agreement"


def withheld_note(count: int) -> str:
    return WITHHELD_NOTE.format(count=count, entries="entry" if count == 1 else "entries")


@dataclass(frozen=True)
class Disclosed[T]:
    """The entries of one part a viewer may read, and how many others there are."""

    entries: list[T]
    withheld: int

    @property
    def note(self) -> str:
        return withheld_note(self.withheld) if self.withheld else ""


@dataclass(frozen=True)
class Disclosure:
    """What a share discloses: every category (the owning force), or those of the share."""

    everything: bool
    category_ids: frozenset[int] = field(default_factory=frozenset)
    category_codes: frozenset[str] = field(default_factory=frozenset)

    def allows(self, part: str, category_id: int | None) -> bool:
        if self.everything:
            return True
        if category_id is not None:
            return category_id in self.category_ids
        return DEFAULT_CATEGORY_CODES[part] in self.category_codes

    def entry(self, part: str, entry: Any) -> bool:
        """May the viewer read `entry` (a row with `data_category_id`) of `part`?"""
        return self.allows(part, entry.data_category_id)

    def split[T](self, part: str, entries: Iterable[T]) -> Disclosed[T]:
        rows = list(entries)
        shown = [row for row in rows if self.entry(part, row)]
        return Disclosed(entries=shown, withheld=len(rows) - len(shown))


NOTHING = Disclosure(everything=False)
EVERYTHING = Disclosure(everything=True)


def disclosure_for(*, user: User, problem: Problem) -> Disclosure:
    """What `user` (who may see `problem`: the caller has checked) may read of it. Remembered on
    the problem object, so the page's panels ask the database once between them."""
    cache: dict[int, Disclosure] = problem.__dict__.setdefault("_disclosure_by_user", {})
    if user.pk in cache:
        return cache[user.pk]
    if not user.is_authenticated:
        found = NOTHING
    elif user.organisation_id == problem.owning_organisation_id:
        found = EVERYTHING
    elif user.is_partner:
        shares = ProblemShare.objects.filter(
            share_in_force(), problem_id=problem.pk, organisation_id=user.organisation_id
        )
        rows = list(DataCategory.objects.filter(problem_shares__in=shares).values_list("pk", "code"))
        found = Disclosure(
            everything=False,
            category_ids=frozenset(pk for pk, _ in rows),
            category_codes=frozenset(code for _, code in rows),
        )
    else:
        found = NOTHING
    cache[user.pk] = found
    return found


@dataclass(frozen=True)
class ProblemDisclosure:
    """The problem's own parts and its many-row parts, as one viewer may read them (the problem
    page and the printable summary). Reads the problem's prefetched controllers and actions."""

    disclosure: Disclosure
    description: bool
    # The demand notes and the perceived problem (the demand sources are kinds, always shown).
    demand: bool
    statement: bool
    triangle: bool
    controllers: Disclosed[Any]
    actions: Disclosed[Any]

    @property
    def withheld_note(self) -> str:
        return WITHHELD_TEXT


def problem_disclosure(*, user: User, problem: Problem) -> ProblemDisclosure:
    disclosure = disclosure_for(user=user, problem=problem)
    return ProblemDisclosure(
        disclosure=disclosure,
        description=disclosure.allows(DisclosurePart.DESCRIPTION, problem.description_category_id),
        demand=disclosure.allows(DisclosurePart.DEMAND, problem.demand_category_id),
        statement=disclosure.allows(DisclosurePart.STATEMENT, problem.statement_category_id),
        triangle=disclosure.allows(DisclosurePart.TRIANGLE, problem.triangle_category_id),
        controllers=disclosure.split(DisclosurePart.CONTROLLER, problem.controllers.all()),
        actions=disclosure.split(DisclosurePart.ACTION, problem.actions.all()),
    )


def disclosed_rows(
    *, user: User, part: str, problem_ref: str = "problem_id", category_ref: str = "data_category_id"
) -> Exists:
    """The same rule in SQL, for a partner's lists that span problems: the row (its problem at
    `problem_ref`, its category at `category_ref`) is in a category that the active share of its
    problem with the user's organisation discloses. (Whether the share's agreement is in force is
    for the list's own visibility filter, which every such list has.)"""
    default = DataCategory.objects.filter(code=DEFAULT_CATEGORY_CODES[part]).values("pk")[:1]
    chosen = Coalesce(OuterRef(category_ref), Subquery(default), output_field=IntegerField())
    return Exists(
        ProblemShare.data_categories.through.objects.filter(
            problemshare__problem_id=OuterRef(problem_ref),
            problemshare__organisation_id=user.organisation_id,
            problemshare__ended_at__isnull=True,
            datacategory_id=chosen,
        )
    )
