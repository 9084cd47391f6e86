"""Who may run which impact report (DESIGN.md section 4, "impact reports"), and the problems a
report covers.

A report is for a period and either one neighbourhood or one partnership:

- A neighbourhood report covers the problems recorded in that neighbourhood (`Problem.neighbourhood`,
  a foreign key to the force's list since issue 17; typed names were matched by problems
  migration 0009).
- A partnership report covers the problems of the partnership's neighbourhoods. It is not "every
  problem shared with a member organisation": a member council works with several forces and
  areas, and a partnership board reports on its own area.
- A problem with no neighbourhood recorded is in no area's figures, but never silently: every
  report of its force counts it on a line of its own ("No neighbourhood recorded",
  `ReportScope.unplaced_problems`).

Within that area a report counts only the problems the user may see (problems.selectors.access):

- supervisors and analysts: any neighbourhood their force covers, and any partnership working in
  one of those neighbourhoods (restricted problems count for supervisors, who may see them, and
  for an analyst only where they are named on them);
- officers, "own area": the neighbourhoods in which they own at least one problem, neighbourhood
  reports only; a police officer with no problems has no report (404);
- partner leads: partnership reports only, for the partnerships their organisation is a current
  member of, limited to the problems shared with their organisation (restricted problems are
  never shared, so never counted);
- partner members, unrelated partners, administrators and the public: no report (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from partnerships.models import Neighbourhood, Partnership, PartnershipMembership
from problems.models import Problem
from problems.selectors.access import problems_shared_with, problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User

FORCE_WIDE_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST})


@dataclass(frozen=True)
class ReportScope:
    """What one report covers: the user it is for, the period (inclusive) and the area."""

    user: User
    start: datetime.date
    end: datetime.date
    neighbourhood: Neighbourhood | None = None
    partnership: Partnership | None = None
    area_names: tuple[str, ...] = field(default=())
    neighbourhood_ids: tuple[int, ...] = field(default=())
    # The forces whose neighbourhoods the area is made of (their problems with no neighbourhood
    # recorded are shown on a line of their own).
    organisation_ids: tuple[int, ...] = field(default=())

    @property
    def area_label(self) -> str:
        if self.neighbourhood is not None:
            return self.neighbourhood.name
        assert self.partnership is not None
        return self.partnership.name

    @property
    def is_partnership(self) -> bool:
        return self.partnership is not None

    @property
    def parameters(self) -> dict[str, object]:
        """The scope as the report form's values (for links and for a background run)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "area": area_value(self.neighbourhood or self.partnership),
        }

    @cached_property
    def _visible(self) -> QuerySet[Problem]:
        # Built once per report: every panel filters it (a clone each time, never evaluated here),
        # and building the visibility rule anew for each cost a seventh of the report's CPU.
        return problems_shared_with(self.user) if self.user.is_partner else problems_visible_to(self.user)

    def problems(self) -> QuerySet[Problem]:
        """The problems the report counts: visible to the user (partner leads: shared with their
        organisation) and recorded in the area. A lazy queryset, used as a subquery by panels."""
        return self._visible.filter(neighbourhood_id__in=self.neighbourhood_ids)

    def unplaced_problems(self) -> QuerySet[Problem]:
        """The problems the user may see, of the area's forces, with no neighbourhood recorded: in
        no area's figures, so the report shows them on a line of their own."""
        return self._visible.filter(neighbourhood__isnull=True, owning_organisation_id__in=self.organisation_ids)

    def problems_with_unplaced(self) -> QuerySet[Problem]:
        """`problems()` and `unplaced_problems()` together (one grouped query counts both)."""
        return self._visible.filter(
            Q(neighbourhood_id__in=self.neighbourhood_ids)
            | Q(neighbourhood__isnull=True, owning_organisation_id__in=self.organisation_ids)
        )


def area_value(area: Neighbourhood | Partnership | None) -> str:
    if isinstance(area, Neighbourhood):
        return f"neighbourhood-{area.pk}"
    if isinstance(area, Partnership):
        return f"partnership-{area.pk}"
    return ""


def _current_partnerships_of(organisation_id: int, today: datetime.date) -> QuerySet[Partnership]:
    memberships = PartnershipMembership.objects.filter(
        partnership_id=OuterRef("pk"), organisation_id=organisation_id, joined_on__lte=today
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return Partnership.objects.filter(Exists(memberships), active=True)


# The roles that run impact reports (officers for their own area, supervisors and analysts for
# their force's, partner leads for their partnerships): the menu offers the report to them.
IMPACT_REPORT_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.PARTNER_LEAD})


def impact_neighbourhoods_for(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods the user may run a neighbourhood report for."""
    if not user.is_authenticated or not user.is_police:
        return Neighbourhood.objects.none()
    force_areas = Neighbourhood.objects.filter(organisation_id=user.organisation_id, active=True)
    if user.role in FORCE_WIDE_ROLES:
        return force_areas
    if user.role == Role.OFFICER:
        # "Own area": where the officer owns a problem (there is no posting to a beat in the
        # records, and owning a problem there is what makes an area theirs).
        owned = Problem.objects.filter(owner_id=user.pk, owning_organisation_id=user.organisation_id)
        return force_areas.filter(pk__in=owned.values("neighbourhood_id"))
    return Neighbourhood.objects.none()


def impact_partnerships_for(user: User) -> QuerySet[Partnership]:
    """The partnerships the user may run a partnership report for."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_police and user.role in FORCE_WIDE_ROLES:
        in_force_area = Neighbourhood.objects.filter(
            partnership_id=OuterRef("pk"), organisation_id=user.organisation_id
        )
        return Partnership.objects.filter(Exists(in_force_area), active=True)
    if user.is_partner and user.role == Role.PARTNER_LEAD:
        return _current_partnerships_of(user.organisation_id, timezone.localdate())
    return Partnership.objects.none()


def impact_report_available_to(user: User) -> bool:
    """Whether the user has any report at all (else the report pages are 404 to them)."""
    return impact_neighbourhoods_for(user).exists() or impact_partnerships_for(user).exists()


def impact_areas_for(user: User) -> list[tuple[str, str, str]]:
    """The areas offered in the report form: (value, label, group), in two queries."""
    areas = [(area_value(n), n.name, "Neighbourhoods") for n in impact_neighbourhoods_for(user).order_by("name")]
    if user.is_partner or user.role in FORCE_WIDE_ROLES:
        areas += [(area_value(p), p.name, "Partnerships") for p in impact_partnerships_for(user).order_by("name")]
    return areas


def impact_scope_for(*, user: User, area: str, start: datetime.date, end: datetime.date) -> ReportScope:
    """The report scope for `area` ("neighbourhood-<id>" or "partnership-<id>") if the user may
    run it, else 404 (outsiders learn nothing of what exists)."""
    kind, _, raw_pk = area.partition("-")
    if not raw_pk.isdigit():
        raise Http404
    pk = int(raw_pk)
    if kind == "neighbourhood":
        neighbourhood = impact_neighbourhoods_for(user).filter(pk=pk).first()
        if neighbourhood is None:
            raise Http404
        return ReportScope(
            user=user,
            start=start,
            end=end,
            neighbourhood=neighbourhood,
            area_names=(neighbourhood.name,),
            neighbourhood_ids=(neighbourhood.pk,),
            organisation_ids=(neighbourhood.organisation_id,),
        )
    if kind == "partnership":
        partnership = impact_partnerships_for(user).filter(pk=pk).first()
        if partnership is None:
            raise Http404
        rows = list(Neighbourhood.objects.filter(partnership=partnership).values_list("pk", "name", "organisation_id"))
        return ReportScope(
            user=user,
            start=start,
            end=end,
            partnership=partnership,
            area_names=tuple(name for _, name, _ in rows),
            neighbourhood_ids=tuple(pk for pk, _, _ in rows),
            organisation_ids=tuple(sorted({organisation_id for _, _, organisation_id in rows})),
        )
    raise Http404
