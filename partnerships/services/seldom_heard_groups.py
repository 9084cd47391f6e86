"""The seldom-heard list (DESIGN.md section 2) is reference data kept by administrators in the admin
site. A group is deactivated, never deleted: engagement events and stakeholder maps refer to it,
and coverage over past periods must stay explainable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from core.audit import audited_save
from partnerships.models import SeldomHeardGroup

if TYPE_CHECKING:
    from accounts.models import User

SELDOM_HEARD_GROUP_FIELDS = ("name", "active", "order")


@transaction.atomic
def seldom_heard_group_save(*, actor: User | None, group: SeldomHeardGroup) -> SeldomHeardGroup:
    """Create or update a group on the seldom-heard list, with an audit event."""
    group.name = group.name.strip()
    return audited_save(
        actor=actor, obj=group, fields=SELDOM_HEARD_GROUP_FIELDS, verb_prefix="partnerships.seldom_heard_group"
    )
