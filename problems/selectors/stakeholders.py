"""A problem's stakeholder map (issue 21): its entries on the power/interest grid, the gaps
(a place manager with no engaged organisation, high-influence stakeholders not engaged,
seldom-heard groups missing) and, for the force, partners on the map that an agreement in force
covers but with whom the problem is not shared yet. The grid and two of the gaps are the
partnership map's pure functions (partnerships.selectors.stakeholders). Entries name people and
organisations, so they are disclosed to a partner only as its share allows (part: controllers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from partnerships.models import Agreement, DataCategory, Organisation, PatController
from partnerships.selectors.agreements import agreement_covering
from partnerships.selectors.stakeholders import (
    StakeholderGaps,
    StakeholderGrid,
    seldom_heard_groups_active,
    stakeholder_gaps,
    stakeholder_grid,
)
from problems.models import (
    DEFAULT_CATEGORY_CODES,
    Controller,
    DisclosurePart,
    Problem,
    ProblemShare,
    ProblemStakeholder,
)
from problems.selectors.access import share_in_force
from problems.selectors.disclosure import disclosure_for

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class SharingSuggestion:
    organisation: Organisation
    agreement: Agreement


@dataclass(frozen=True)
class ProblemStakeholderMap:
    entries: list[ProblemStakeholder]
    withheld: int
    withheld_note: str
    grid: StakeholderGrid
    gaps: StakeholderGaps
    # Place managers (controllers) that no engaged organisation on the map stands for.
    managers_without_engaged_organisation: list[Controller]
    suggestions: list[SharingSuggestion]
    subject: dict[str, str]

    @property
    def any_gap(self) -> bool:
        return self.gaps.any or bool(self.managers_without_engaged_organisation)


def _managers_without_engaged_organisation(
    controllers: list[Controller], entries: list[ProblemStakeholder]
) -> list[Controller]:
    engaged = {e.pk for e in entries if e.organisation_id is not None and e.is_engaged}
    return [c for c in controllers if c.kind == PatController.MANAGER and c.stakeholder_id not in engaged]


def _suggestions(problem: Problem, entries: list[ProblemStakeholder]) -> list[SharingSuggestion]:
    """Partners on the map not yet shared with, whose agreement with the force in force today
    covers the problem's usual category: the share form would accept them."""
    shared = set(
        ProblemShare.objects.filter(share_in_force(), problem=problem).values_list("organisation_id", flat=True)
    )
    usual = DataCategory.objects.filter(code=DEFAULT_CATEGORY_CODES[DisclosurePart.DESCRIPTION])
    found: list[SharingSuggestion] = []
    seen: set[int] = set()
    for entry in entries:
        organisation = entry.organisation
        if organisation is None or organisation.is_police or not organisation.active:
            continue
        if organisation.pk in shared or organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        agreement = agreement_covering(
            owner=problem.owning_organisation, partner=organisation, categories=usual, on_date=timezone.localdate()
        )
        if agreement is not None:
            found.append(SharingSuggestion(organisation=organisation, agreement=agreement))
    return found


def problem_stakeholder_map(*, user: User, problem: Problem, suggest: bool = False) -> ProblemStakeholderMap:
    """The map as `user` may read it. Entries with their organisations, contacts and groups; the
    controllers; the disclosure; the active seldom-heard groups; with `suggest` (the force's
    editors), the shares in force and the covering agreement per partner on the map."""
    entries_all = list(
        problem.stakeholders.select_related(
            "organisation", "contact", "seldom_heard_group", "data_category"
        ).prefetch_related("controllers")
    )
    disclosure = disclosure_for(user=user, problem=problem)
    disclosed = disclosure.split(DisclosurePart.CONTROLLER, entries_all)
    entries: list[Any] = list(disclosed.entries)
    controllers = list(problem.controllers.all())
    if not disclosure.everything:
        controllers = [c for c in controllers if c.stakeholder_id in {e.pk for e in entries}]
    return ProblemStakeholderMap(
        entries=entries,
        withheld=disclosed.withheld,
        withheld_note=disclosed.note,
        grid=stakeholder_grid(entries),
        gaps=stakeholder_gaps(entries, seldom_heard_groups_active()),
        managers_without_engaged_organisation=_managers_without_engaged_organisation(controllers, entries),
        suggestions=_suggestions(problem, entries) if suggest else [],
        subject={"name": f"{problem.reference}: {problem.title}"},
    )
