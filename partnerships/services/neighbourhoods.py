"""Neighbourhoods are reference data kept by administrators (in the admin site) and the demo.

Merging: a neighbourhood made "to review" by the problems migration (a typed name that matched
none of the force's list, such as "Cardiff city centre") is usually the same area as one on the
list. `neighbourhood_merge` moves every record that points at it (problems, engagement events,
priorities, safety plans, surveys, survey responses: any foreign key to a neighbourhood, found
from the models, so this app need not know the apps above it) to the other neighbourhood, then
deactivates it. It is kept, not deleted: audit events and old reports name it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.audit import audit_record, audit_record_each, audited_save
from partnerships.models import Neighbourhood

if TYPE_CHECKING:
    from accounts.models import User

NEIGHBOURHOOD_FIELDS = ("name", "slug", "organisation", "partnership", "lsoa_codes", "active", "needs_review")

# Messages raised by neighbourhood_merge (tests assert them).
MERGE_INTO_ITSELF = "Choose another neighbourhood: {name} cannot be merged into itself."
MERGE_OTHER_FORCE = "{name} cannot be merged into {target}: they belong to different forces."
MERGE_TARGET_INACTIVE = "{target} is not active: choose an active neighbourhood to merge into."


@transaction.atomic
def neighbourhood_save(*, actor: User | None, neighbourhood: Neighbourhood) -> Neighbourhood:
    """Create or update `neighbourhood` (a slug is made from the name when empty), with an audit event."""
    if not neighbourhood.slug:
        neighbourhood.slug = slugify(neighbourhood.name)[:120]
    return audited_save(
        actor=actor, obj=neighbourhood, fields=NEIGHBOURHOOD_FIELDS, verb_prefix="partnerships.neighbourhood"
    )


def _foreign_keys_to_neighbourhood() -> list[tuple[type[Any], str]]:
    """(model, field name) of every foreign key to Neighbourhood, hidden ones (related_name="+")
    and many-to-many tables included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is Neighbourhood:
                found.append((model, field.name))
    return found


@transaction.atomic
def neighbourhood_merge(*, actor: User | None, source: Neighbourhood, target: Neighbourhood) -> dict[str, int]:
    """Merge `source` into `target` (same force, target active): every record pointing at
    `source` points at `target` instead, `source`'s LSOA codes join `target`'s, and `source` is
    deactivated and no longer to review. Returns how many records of each model moved.

    Audit: one event on `source` (the merge, with what moved) and one on each moved record (its
    neighbourhood before and after), so a problem's own history shows why its area changed."""
    # Both rows locked, in id order (two administrators merging A into B and B into A at once
    # wait for each other instead of deadlocking or each moving the other's records away).
    locked = {
        n.pk: n for n in Neighbourhood.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.pk == target.pk:
        raise ValidationError(MERGE_INTO_ITSELF.format(name=source.name))
    if source.organisation_id != target.organisation_id:
        raise ValidationError(MERGE_OTHER_FORCE.format(name=source.name, target=target.name))
    if not target.active:
        raise ValidationError(MERGE_TARGET_INACTIVE.format(target=target.name))
    moved: dict[str, int] = {}
    for model, field_name in _foreign_keys_to_neighbourhood():
        rows = list(model._base_manager.filter(**{field_name: source}).only("pk"))
        if not rows:
            continue
        model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**{field_name: target})
        moved[model._meta.label_lower] = len(rows)
        if not model._meta.auto_created:
            audit_record_each(
                actor=actor,
                verb="partnerships.neighbourhood.record_moved",
                targets=rows,
                detail={field_name: {"before": source.pk, "after": target.pk}},
            )
    codes_added = [code for code in source.lsoa_code_list if code not in target.lsoa_code_list]
    if codes_added:
        target.lsoa_codes = "\n".join([*target.lsoa_code_list, *codes_added])
        target.save(update_fields=["lsoa_codes"])
    source.active = False
    source.needs_review = False
    source.save(update_fields=["active", "needs_review"])
    audit_record(
        actor=actor,
        verb="partnerships.neighbourhood.merged",
        target=source,
        detail={
            "name": source.name,
            "into": {"id": target.pk, "name": target.name},
            "moved": moved,
            "lsoa_codes_added": codes_added,
        },
    )
    return moved
