"""Every write to partnerships and their dated memberships. Each service takes the acting user
first, runs in a transaction and records an audit event."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.audit import audit_record, changes
from core.dates import long_date
from partnerships.models import Organisation, Partnership, PartnershipMembership

if TYPE_CHECKING:
    from accounts.models import User

PARTNERSHIP_NAME_TAKEN = "A partnership with this name already exists."
MEMBERSHIP_OVERLAPS = (
    "This organisation is already a member of the partnership on or after that date. "
    "End its current membership first, or choose a date after it ended."
)
MEMBERSHIP_LEFT_BEFORE_JOINED = "The date it left cannot be before the date it joined ({joined_on})."
MEMBERSHIP_ALREADY_ENDED = "This membership has already ended."
PARTNERSHIP_EDITABLE_FIELDS = ("name", "area", "model_of_working", "terms_of_reference", "meeting_cadence", "active")


def _snapshot(partnership: Partnership) -> dict[str, Any]:
    return {field: getattr(partnership, field) for field in PARTNERSHIP_EDITABLE_FIELDS}


def _check_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    taken = Partnership.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": PARTNERSHIP_NAME_TAKEN})


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    name: str,
    model_of_working: str,
    area: str = "",
    terms_of_reference: str = "",
    meeting_cadence: str = "",
    active: bool = True,
) -> Partnership:
    """Create a partnership; the actor is recorded as its creator."""
    name = name.strip()
    _check_name_free(name)
    partnership = Partnership(
        name=name,
        area=area.strip(),
        model_of_working=model_of_working,
        terms_of_reference=terms_of_reference.strip(),
        meeting_cadence=meeting_cadence,
        active=active,
        created_by=actor,
    )
    partnership.full_clean(validate_unique=False)
    partnership.save()
    audit_record(
        actor=actor, verb="partnerships.partnership.created", target=partnership, detail=_snapshot(partnership)
    )
    return partnership


@transaction.atomic
def partnership_update(*, actor: User | None, partnership: Partnership, **fields: Any) -> Partnership:
    """Change a partnership's details (not its members: see partnership_member_add/end)."""
    unknown = set(fields) - set(PARTNERSHIP_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    before = _snapshot(partnership)
    for field in ("name", "area", "terms_of_reference"):
        if field in fields:
            fields[field] = fields[field].strip()
    if "name" in fields:
        _check_name_free(fields["name"], exclude_pk=partnership.pk)
    for field, value in fields.items():
        setattr(partnership, field, value)
    partnership.full_clean(validate_unique=False)
    partnership.save()
    diff = changes(before, _snapshot(partnership))
    if diff:
        audit_record(actor=actor, verb="partnerships.partnership.updated", target=partnership, detail=diff)
    return partnership


@transaction.atomic
def partnership_member_add(
    *, actor: User | None, partnership: Partnership, organisation: Organisation, joined_on: datetime.date
) -> PartnershipMembership:
    """Add an organisation as a member from `joined_on`, open-ended. An organisation has at most one
    membership of a partnership on any date, so the new one may not overlap an earlier or later one."""
    # Lock the partnership so that two people adding the same member at once cannot both pass the check.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    # The new membership runs from joined_on with no end: it overlaps any membership not ended before it.
    overlapping = PartnershipMembership.objects.filter(partnership=partnership, organisation=organisation).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=joined_on)
    )
    if overlapping.exists():
        raise ValidationError({"organisation": MEMBERSHIP_OVERLAPS})
    membership = PartnershipMembership.objects.create(
        partnership=partnership, organisation=organisation, joined_on=joined_on
    )
    audit_record(
        actor=actor,
        verb="partnerships.partnership.member_added",
        target=partnership,
        detail={"membership": membership.pk, "organisation": organisation.pk, "joined_on": joined_on},
    )
    return membership


@transaction.atomic
def partnership_member_end(
    *, actor: User | None, membership: PartnershipMembership, left_on: datetime.date
) -> PartnershipMembership:
    """Record the date an organisation left a partnership (it is a member up to and including that day)."""
    membership = PartnershipMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"left_on": MEMBERSHIP_ALREADY_ENDED})
    if left_on < membership.joined_on:
        raise ValidationError(
            {"left_on": MEMBERSHIP_LEFT_BEFORE_JOINED.format(joined_on=long_date(membership.joined_on))}
        )
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        verb="partnerships.partnership.member_ended",
        target=membership.partnership,
        detail={"membership": membership.pk, "organisation": membership.organisation_id, "left_on": left_on},
    )
    return membership
