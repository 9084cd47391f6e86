"""Reads of contacts, single points of contact (SPOCs) and handovers.

Contacts and handovers are visible with their organisation. They are managed by supervisors,
administrators and the partner lead of the organisation; a handover is acknowledged by the user
linked to the incoming contact."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from core.access import get_visible_or_404
from partnerships.models import Contact, Handover, Organisation
from partnerships.selectors.organisations import organisation_get_for_user, organisations_visible_to, spoc_on

if TYPE_CHECKING:
    from accounts.models import User


def can_manage_contacts(user: User, organisation: Organisation) -> bool:
    """Supervisors and administrators manage any organisation's contacts; a partner lead their own."""
    if user.is_supervisor or user.is_administrator:
        return True
    return user.is_partner_lead and user.organisation_id == organisation.pk


def can_acknowledge_handover(user: User, handover: Handover) -> bool:
    """Only the incoming person confirms they have received the handover, and only once."""
    return handover.acknowledged_at is None and handover.incoming.user_id == user.pk


def spocs_on(*, organisation: Organisation, day: datetime.date) -> QuerySet[Contact]:
    """The organisation's single points of contact on `day`."""
    return organisation.contacts.filter(spoc_on(day)).select_related("user").order_by("name")


def contact_list_for_organisation(*, organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.select_related("user").order_by("name")


def handover_list_for_organisation(*, organisation: Organisation) -> QuerySet[Handover]:
    return organisation.handovers.select_related("outgoing", "incoming", "recorded_by", "acknowledged_by")


def contact_choices_for(*, organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.order_by("name")


def organisation_get_for_contacts(*, user: User, pk: object) -> Organisation:
    """The organisation whose contacts, SPOCs and handovers `user` is about to manage."""
    organisation = organisation_get_for_user(user=user, pk=pk, action="view")
    if not can_manage_contacts(user, organisation):
        raise PermissionDenied
    return organisation


def contact_get_for_user(*, user: User, pk: object, action: str = "view") -> Contact:
    """One contact: 404 unless its organisation is visible, 403 on "change" without the right."""
    visible = Contact.objects.filter(organisation__in=organisations_visible_to(user)).select_related("organisation")
    contact = get_visible_or_404(visible, pk=pk)
    if action == "change" and not can_manage_contacts(user, contact.organisation):
        raise PermissionDenied
    if action not in ("view", "change"):
        raise ValueError(f"Unknown action {action!r}")
    return contact


def handover_get_for_user(*, user: User, pk: object, action: str = "view") -> Handover:
    """One handover: 404 unless its organisation is visible; "acknowledge" is for the incoming
    contact's user only (403 for everyone else who can see it)."""
    visible = Handover.objects.filter(organisation__in=organisations_visible_to(user)).select_related(
        "organisation", "outgoing", "incoming"
    )
    handover = get_visible_or_404(visible, pk=pk)
    if action == "acknowledge" and handover.incoming.user_id != user.pk:
        raise PermissionDenied
    if action not in ("view", "acknowledge"):
        raise ValueError(f"Unknown action {action!r}")
    return handover
