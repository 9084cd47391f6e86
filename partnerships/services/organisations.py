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
# The profile a partner lead may keep up to date for their own organisation.
ORGANISATION_PROFILE_FIELDS = ("is_responsible_authority", "areas_covered", "address", "email", "phone", "website")
# Everything the services change (the admin edits all of them; `group` follows `name`).
ORGANISATION_EDITABLE_FIELDS = ("name", "kind", "sector", *ORGANISATION_PROFILE_FIELDS, "active")
_TEXT_FIELDS = ("areas_covered", "address", "email", "phone", "website")


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


def _tidy(fields: dict[str, Any]) -> dict[str, Any]:
    """Strip the text people type (areas covered keep one per line, without blank lines)."""
    tidy = dict(fields)
    for field in _TEXT_FIELDS:
        if isinstance(tidy.get(field), str):
            tidy[field] = tidy[field].strip()
    if isinstance(tidy.get("areas_covered"), str):
        tidy["areas_covered"] = "\n".join(line.strip() for line in tidy["areas_covered"].splitlines() if line.strip())
    return tidy


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    sector: str,
    active: bool = True,
    is_responsible_authority: bool = False,
    areas_covered: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
) -> Organisation:
    """Create an organisation together with the auth Group that carries its permissions."""
    name = name.strip()
    organisation_check_name_free(name)
    profile = _tidy(
        {
            "is_responsible_authority": is_responsible_authority,
            "areas_covered": areas_covered,
            "address": address,
            "email": email,
            "phone": phone,
            "website": website,
        }
    )
    group = Group.objects.create(name=organisation_group_name(name))
    organisation = Organisation(name=name, kind=kind, sector=sector, active=active, group=group, **profile)
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
    fields = _tidy(fields)
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
