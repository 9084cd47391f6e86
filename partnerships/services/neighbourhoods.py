"""Neighbourhoods are reference data kept by administrators (in the admin site) and the demo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from core.audit import audit_record, changes, snapshot
from partnerships.models import Neighbourhood

if TYPE_CHECKING:
    from accounts.models import User

NEIGHBOURHOOD_FIELDS = ("name", "slug", "organisation", "partnership", "lsoa_codes", "active")


@transaction.atomic
def neighbourhood_save(*, actor: User | None, neighbourhood: Neighbourhood) -> Neighbourhood:
    """Create or update `neighbourhood` (a slug is made from the name when empty), with an audit event."""
    creating = neighbourhood.pk is None
    before = {} if creating else snapshot(Neighbourhood.objects.get(pk=neighbourhood.pk), NEIGHBOURHOOD_FIELDS)
    if not neighbourhood.slug:
        neighbourhood.slug = slugify(neighbourhood.name)[:120]
    neighbourhood.full_clean()
    neighbourhood.save()
    audit_record(
        actor=actor,
        verb="partnerships.neighbourhood.created" if creating else "partnerships.neighbourhood.updated",
        target=neighbourhood,
        detail=changes(before, snapshot(neighbourhood, NEIGHBOURHOOD_FIELDS)),
    )
    return neighbourhood
