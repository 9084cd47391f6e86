"""Neighbourhoods are reference data kept by administrators (in the admin site) and the demo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from core.audit import audited_save
from partnerships.models import Neighbourhood

if TYPE_CHECKING:
    from accounts.models import User

NEIGHBOURHOOD_FIELDS = ("name", "slug", "organisation", "partnership", "lsoa_codes", "active")


@transaction.atomic
def neighbourhood_save(*, actor: User | None, neighbourhood: Neighbourhood) -> Neighbourhood:
    """Create or update `neighbourhood` (a slug is made from the name when empty), with an audit event."""
    if not neighbourhood.slug:
        neighbourhood.slug = slugify(neighbourhood.name)[:120]
    return audited_save(
        actor=actor, obj=neighbourhood, fields=NEIGHBOURHOOD_FIELDS, verb_prefix="partnerships.neighbourhood"
    )
