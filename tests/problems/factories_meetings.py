"""Tasking meetings for tests, through the real services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from partnerships.models import Partnership
from problems.models import TaskingMeeting
from problems.services.meetings import meeting_create
from tests.partnerships.factories_partnerships import make_partnership


def world_partnership(world: Any) -> Partnership:
    """The force and the council (world.partner) in one partnership; the unrelated partner not."""
    found = Partnership.objects.filter(name="Northshire Community Safety Partnership").first()
    return found or make_partnership(
        members=[world.force, world.partner], name="Northshire Community Safety Partnership"
    )


def meeting(world: Any, *, by: str = "officer", **fields: Any) -> TaskingMeeting:
    partnership = fields.pop("partnership", None) or world_partnership(world)
    fields.setdefault("held_on", timezone.localdate())
    fields.setdefault("organisations", [world.force, world.partner])
    return meeting_create(actor=world.users[by], partnership=partnership, **fields)
