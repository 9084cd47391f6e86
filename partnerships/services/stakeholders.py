"""Every write to a partnership's stakeholder map. Each service takes the acting user first, runs in
a transaction and records an audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes
from partnerships.models import EngagementStatus, Partnership, StakeholderEntry, StakeholderKind

if TYPE_CHECKING:
    from accounts.models import User

STAKEHOLDER_ORGANISATION_REQUIRED = "Choose the organisation this stakeholder is."
STAKEHOLDER_NAME_REQUIRED = "Give the name of the community group or role."
STAKEHOLDER_SCORE_OUT_OF_RANGE = "Give a score from 1 (low) to 5 (high)."
STAKEHOLDER_ORGANISATION_ALREADY_MAPPED = "This organisation is already on the map. Edit its entry instead."
STAKEHOLDER_EDITABLE_FIELDS = (
    "kind",
    "organisation",
    "name",
    "influence",
    "interest",
    "engagement_status",
    "seldom_heard_group",
    "pat_controller",
    "notes",
)


def _snapshot(entry: StakeholderEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "organisation": entry.organisation_id,
        "name": entry.name,
        "influence": entry.influence,
        "interest": entry.interest,
        "engagement_status": entry.engagement_status,
        "seldom_heard_group": entry.seldom_heard_group_id,
        "pat_controller": entry.pat_controller,
        "notes": entry.notes,
    }


def _validate(entry: StakeholderEntry) -> None:
    """The rules of a stakeholder entry, each with its own message, all reported at once."""
    errors: dict[str, str] = {}
    entry.name = (entry.name or "").strip()
    entry.notes = (entry.notes or "").strip()
    if entry.kind == StakeholderKind.ORGANISATION and entry.organisation_id is None:
        errors["organisation"] = STAKEHOLDER_ORGANISATION_REQUIRED
    if entry.kind in (StakeholderKind.COMMUNITY_GROUP, StakeholderKind.NAMED_ROLE) and not entry.name:
        errors["name"] = STAKEHOLDER_NAME_REQUIRED
    for field in ("influence", "interest"):
        value = getattr(entry, field)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = STAKEHOLDER_SCORE_OUT_OF_RANGE
    if (
        "organisation" not in errors
        and entry.kind == StakeholderKind.ORGANISATION
        and StakeholderEntry.objects.filter(
            partnership_id=entry.partnership_id,
            kind=StakeholderKind.ORGANISATION,
            organisation=entry.organisation,
        )
        .exclude(pk=entry.pk)
        .exists()
    ):
        errors["organisation"] = STAKEHOLDER_ORGANISATION_ALREADY_MAPPED
    if errors:
        raise ValidationError(errors)
    entry.full_clean()


@transaction.atomic
def stakeholder_add(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    influence: int,
    interest: int,
    organisation: Any = None,
    name: str = "",
    engagement_status: str = EngagementStatus.NOT_ENGAGED,
    seldom_heard_group: Any = None,
    pat_controller: str = "",
    notes: str = "",
) -> StakeholderEntry:
    """Put an organisation, a community group or a named role on a partnership's map."""
    entry = StakeholderEntry(
        partnership=partnership,
        kind=kind,
        organisation=organisation,
        name=name,
        influence=influence,
        interest=interest,
        engagement_status=engagement_status,
        seldom_heard_group=seldom_heard_group,
        pat_controller=pat_controller,
        notes=notes,
    )
    _validate(entry)
    entry.save()
    audit_record(actor=actor, verb="partnerships.stakeholder.added", target=entry, detail=_snapshot(entry))
    return entry


@transaction.atomic
def stakeholder_update(*, actor: User | None, entry: StakeholderEntry, **fields: Any) -> StakeholderEntry:
    unknown = set(fields) - set(STAKEHOLDER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    entry = StakeholderEntry.objects.select_for_update().get(pk=entry.pk)
    before = _snapshot(entry)
    for field, value in fields.items():
        setattr(entry, field, value)
    _validate(entry)
    entry.save()
    diff = changes(before, _snapshot(entry))
    if diff:
        audit_record(actor=actor, verb="partnerships.stakeholder.updated", target=entry, detail=diff)
    return entry


@transaction.atomic
def stakeholder_remove(*, actor: User | None, entry: StakeholderEntry) -> None:
    """Take an entry off the map; the audit event keeps what it said."""
    detail = {"partnership": entry.partnership_id, **_snapshot(entry)}
    audit_record(actor=actor, verb="partnerships.stakeholder.removed", target=entry, detail=detail)
    StakeholderEntry.objects.filter(pk=entry.pk).delete()
