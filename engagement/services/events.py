"""Logging engagement events and changing them. Each service takes the acting user first, runs in a
transaction and records an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes, snapshot
from engagement.models import Channel, EngagementEvent, EventKind
from engagement.selectors.access import can_change_in, can_record_engagement
from engagement.services.common import text
from partnerships.models import Neighbourhood, Organisation, SeldomHeardGroup
from problems.models import Problem
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User

EVENT_CANNOT_RECORD = "Only officers and supervisors of the force covering the neighbourhood can log its engagement."
EVENT_KIND_INVALID = "Choose the kind of engagement."
EVENT_CHANNEL_INVALID = "Choose how the engagement took place."
EVENT_DATE_IN_FUTURE = "The date cannot be in the future: log engagement once it has happened."
EVENT_GROUP_INACTIVE = "{group} is no longer on the seldom-heard list."
EVENT_PROBLEM_NOT_VISIBLE = "You can only link problems you can see."
EVENT_LOCATION_HALF = "Enter both the latitude and the longitude, or neither."

EVENT_FIELDS = (
    "neighbourhood",
    "kind",
    "held_on",
    "start_time",
    "place",
    "latitude",
    "longitude",
    "channel",
    "attendees",
    "organisations_present",
    "groups_represented",
    "issues_raised",
    "problems",
)
MANY_FIELDS = ("organisations_present", "groups_represented", "problems")


def _check(actor: User, event: EngagementEvent, many: dict[str, list[Any]]) -> None:
    errors: dict[str, str] = {}
    if event.kind not in EventKind.values:
        errors["kind"] = EVENT_KIND_INVALID
    if event.channel not in Channel.values:
        errors["channel"] = EVENT_CHANNEL_INVALID
    if (event.latitude is None) != (event.longitude is None):
        errors["longitude" if event.longitude is None else "latitude"] = EVENT_LOCATION_HALF
    if event.held_on > timezone.localdate():
        errors["held_on"] = EVENT_DATE_IN_FUTURE
    for group in many.get("groups_represented", []):
        if not group.active:
            errors["groups_represented"] = EVENT_GROUP_INACTIVE.format(group=group.name)
    problem_ids = {problem.pk for problem in many.get("problems", [])}
    if problem_ids and problems_visible_to(actor).filter(pk__in=problem_ids).count() != len(problem_ids):
        errors["problems"] = EVENT_PROBLEM_NOT_VISIBLE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    actor: User,
    neighbourhood: Neighbourhood,
    kind: str,
    held_on: datetime.date | None = None,
    start_time: datetime.time | None = None,
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    channel: str = Channel.IN_PERSON,
    attendees: int | None = None,
    organisations_present: Iterable[Organisation] = (),
    groups_represented: Iterable[SeldomHeardGroup] = (),
    issues_raised: str = "",
    problems: Iterable[Problem] = (),
) -> EngagementEvent:
    """Log an engagement event in a neighbourhood of the actor's force (today, in person, unless
    told otherwise: the common case needs only the kind)."""
    if not (can_record_engagement(actor) and can_change_in(actor, neighbourhood) and neighbourhood.active):
        raise PermissionDenied(EVENT_CANNOT_RECORD)
    event = EngagementEvent(
        neighbourhood=neighbourhood,
        kind=kind,
        held_on=held_on or timezone.localdate(),
        start_time=start_time,
        place=text(place),
        latitude=latitude,
        longitude=longitude,
        channel=channel,
        attendees=attendees,
        issues_raised=text(issues_raised),
        created_by=actor,
    )
    many: dict[str, list[Any]] = {
        "organisations_present": list(organisations_present),
        "groups_represented": list(groups_represented),
        "problems": list(problems),
    }
    _check(actor, event, many)
    event.save()
    for name, values in many.items():
        getattr(event, name).set(values)
    audit_record(actor=actor, verb="engagement.event.created", target=event, detail=snapshot(event, EVENT_FIELDS))
    return event


@transaction.atomic
def event_update(*, actor: User, event: EngagementEvent, **fields: Any) -> EngagementEvent:
    """Change an event. Its neighbourhood may move only to another of the force's neighbourhoods."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    event = EngagementEvent.objects.select_for_update().select_related("neighbourhood").get(pk=event.pk)
    if not can_change_in(actor, event.neighbourhood):
        raise PermissionDenied(EVENT_CANNOT_RECORD)
    target = fields.get("neighbourhood", event.neighbourhood)
    if not (can_change_in(actor, target) and (target.active or target.pk == event.neighbourhood_id)):
        raise PermissionDenied(EVENT_CANNOT_RECORD)
    before = snapshot(event, EVENT_FIELDS)
    many = {name: list(fields.pop(name)) for name in MANY_FIELDS if name in fields}
    for name in ("place", "issues_raised"):
        if name in fields:
            fields[name] = text(fields[name])
    if fields.get("held_on", event.held_on) is None:
        fields.pop("held_on")
    for name, value in fields.items():
        setattr(event, name, value)
    _check(actor, event, many)
    event.save()
    for name, values in many.items():
        getattr(event, name).set(values)
    diff = changes(before, snapshot(event, EVENT_FIELDS))
    if diff:
        audit_record(actor=actor, verb="engagement.event.updated", target=event, detail=diff)
    return event
