"""Data categories (the controlled list an information-sharing agreement and a problem's data are
described by) are reference data kept by administrators in the admin site. A category keeps its
code and kind once made: agreements and problems refer to it, and its kind (personal, special
category, criminal offence) decides which conditions an agreement must state, so changing it
would change what agreements already signed meant. It is never deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from core.audit import audited_save
from partnerships.models import DataCategory

if TYPE_CHECKING:
    from accounts.models import User

DATA_CATEGORY_FIELDS = ("code", "name", "kind", "description")
# What may change once the category exists.
DATA_CATEGORY_EDITABLE_FIELDS = ("name", "description")


@transaction.atomic
def data_category_save(*, actor: User | None, category: DataCategory) -> DataCategory:
    """Create a data category, or change its name and description, with an audit event."""
    if category.pk is not None:
        held = DataCategory.objects.get(pk=category.pk)
        category.code, category.kind = held.code, held.kind
    category.name = category.name.strip()
    return audited_save(
        actor=actor, obj=category, fields=DATA_CATEGORY_FIELDS, verb_prefix="partnerships.data_category"
    )
