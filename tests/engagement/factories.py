"""Engagement records for tests: each belongs to a neighbourhood of the world's force, worked by a
partnership the world's partner (the council) is a current member of. Built directly as rows so that
every part can be tested on its own; tests of the services call the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from engagement.models import (
    ChosenBy,
    CommunityPriority,
    EngagementEvent,
    EventKind,
    PriorityAction,
    PriorityStatus,
    SafetyPlan,
)
from partnerships.models import Neighbourhood, Organisation, SeldomHeardGroup
from tests.partnerships.factories import NeighbourhoodFactory
from tests.partnerships.factories_partnerships import make_partnership


def neighbourhood_for(world: Any, *, name: str = "Eastgate", slug: str | None = None) -> Neighbourhood:
    """A neighbourhood of the world's force, worked by a partnership with the council as a member."""
    # Names are unique within a force (another force may have an Eastgate too). One made bare for
    # a problem (tests.problems.factories) is given its partnership here.
    existing = Neighbourhood.objects.filter(organisation=world.force, name=name).first()
    if existing is not None and existing.partnership_id is not None:
        return existing
    partnership = make_partnership(members=[world.partner], created_by=world.users["supervisor"])
    if existing is not None:
        existing.partnership = partnership
        existing.save(update_fields=["partnership"])
        return existing
    return NeighbourhoodFactory(
        name=name, slug=slug or name.lower().replace(" ", "-"), organisation=world.force, partnership=partnership
    )


def groups(*names: str) -> list[SeldomHeardGroup]:
    return list(SeldomHeardGroup.objects.filter(name__in=names))


def make_event(
    neighbourhood: Neighbourhood,
    *,
    by: User | None = None,
    held_on: datetime.date | None = None,
    groups_represented: list[SeldomHeardGroup] | tuple[SeldomHeardGroup, ...] = (),
    organisations: list[Organisation] | tuple[Organisation, ...] = (),
    **fields: Any,
) -> EngagementEvent:
    by = by or User.objects.filter(organisation=neighbourhood.organisation).first()
    assert by is not None
    event = EngagementEvent.objects.create(
        neighbourhood=neighbourhood,
        kind=fields.pop("kind", EventKind.PUBLIC_MEETING),
        held_on=held_on or timezone.localdate(),
        created_by=by,
        **fields,
    )
    event.groups_represented.set(groups_represented)
    event.organisations_present.set(organisations)
    return event


def make_priority(
    neighbourhood: Neighbourhood,
    *,
    by: User | None = None,
    issue: str = "Street drinking around the Eastgate parade of shops.",
    status: str = PriorityStatus.PROPOSED,
    **fields: Any,
) -> CommunityPriority:
    by = by or User.objects.filter(organisation=neighbourhood.organisation).first()
    assert by is not None
    issue_date = fields.pop("issue_date", timezone.localdate() - datetime.timedelta(days=30))
    adopted = status in (PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS, PriorityStatus.RESOLVED)
    return CommunityPriority.objects.create(
        neighbourhood=neighbourhood,
        issue=issue,
        issue_date=issue_date,
        chosen_by=fields.pop("chosen_by", ChosenBy.MEETING_AGREEMENT),
        status=status,
        adopted_on=issue_date if adopted else None,
        not_adopted_reason="Not for the police." if status == PriorityStatus.NOT_ADOPTED else "",
        created_by=by,
        **fields,
    )


def add_action(priority: CommunityPriority, text: str, taken_on: datetime.date) -> PriorityAction:
    return PriorityAction.objects.create(
        priority=priority, description=text, taken_on=taken_on, created_by=priority.created_by
    )


def make_plan(neighbourhood: Neighbourhood, *, by: User | None = None, **fields: Any) -> SafetyPlan:
    by = by or User.objects.filter(organisation=neighbourhood.organisation).first()
    assert by is not None
    return SafetyPlan.objects.create(
        neighbourhood=neighbourhood,
        title=fields.pop("title", "Safer evenings at the parade"),
        aims=fields.pop("aims", "People feel safe at the parade in the evening."),
        created_by=by,
        **fields,
    )
