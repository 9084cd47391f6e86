"""Every write to organisations. Each service takes the acting user first and records an audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes
from partnerships.models import Organisation

if TYPE_CHECKING:
    from accounts.models import User

ORGANISATION_NAME_TAKEN = "An organisation with this name already exists."
ORGANISATION_EDITABLE_FIELDS = ("name", "kind", "sector", "active")


def organisation_group_name(name: str) -> str:
    return f"Organisation: {name}"


def organisation_check_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    """Names are unique whatever their case (raises ValidationError)."""
    taken = Organisation.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": ORGANISATION_NAME_TAKEN})


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    return {field: getattr(organisation, field) for field in ORGANISATION_EDITABLE_FIELDS}


@transaction.atomic
def organisation_create(*, actor: User | None, name: str, kind: str, sector: str, active: bool = True) -> Organisation:
    """Create an organisation together with the auth Group that carries its permissions."""
    name = name.strip()
    organisation_check_name_free(name)
    group = Group.objects.create(name=organisation_group_name(name))
    organisation = Organisation(name=name, kind=kind, sector=sector, active=active, group=group)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor, verb="partnerships.organisation.created", target=organisation, detail=_snapshot(organisation)
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User | None, organisation: Organisation, **fields: Any) -> Organisation:
    """Change an organisation's profile; its Group is renamed with it."""
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(organisation)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        organisation_check_name_free(fields["name"], exclude_pk=organisation.pk)
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean(exclude=["group"])
    organisation.save()
    group_name = organisation_group_name(organisation.name)
    if organisation.group.name != group_name:
        Group.objects.filter(pk=organisation.group_id).update(name=group_name)
        organisation.group.name = group_name
    diff = changes(before, _snapshot(organisation))
    if diff:
        audit_record(actor=actor, verb="partnerships.organisation.updated", target=organisation, detail=diff)
    return organisation
