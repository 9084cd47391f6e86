"""Every write to contacts, single points of contact (SPOCs) and handovers. Each service takes the
acting user first, runs in a transaction and records an audit event."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes
from partnerships.models import Contact, Handover, Organisation

if TYPE_CHECKING:
    from accounts.models import User

CONTACT_EDITABLE_FIELDS = (
    "name",
    "job_title",
    "email",
    "phone",
    "user",
    "active_from",
    "active_to",
    "spoc_topics",
    "spoc_from",
    "spoc_to",
)
CONTACT_NAME_REQUIRED = "Enter the contact's name."
CONTACT_ACTIVE_DATES_ORDER = "The date they left must be on or after the date they started."
CONTACT_SPOC_FROM_REQUIRED = "Enter the date from which they are the single point of contact."
CONTACT_SPOC_TOPICS_REQUIRED = "Enter what they are the single point of contact for, or leave the SPOC dates empty."
CONTACT_SPOC_DATES_ORDER = "The date they stop being the single point of contact must be on or after the start."
CONTACT_USER_OTHER_ORGANISATION = "Choose a user of this contact's own organisation."

HANDOVER_SAME_PERSON = "Choose someone other than the outgoing contact to take over."
HANDOVER_OTHER_ORGANISATION = "Both people must be contacts of the same organisation."
HANDOVER_OUTGOING_NOT_SPOC = "The outgoing contact is not a single point of contact on the handover date."
HANDOVER_DATE_TOO_EARLY = (
    "The handover date must be after the day the outgoing contact became the single point of contact."
)
HANDOVER_INCOMING_NOT_ACTIVE = "The incoming contact is not active at this organisation on the handover date."
HANDOVER_NOTE_REQUIRED = "Write a handover note: what the incoming person needs to know."
HANDOVER_NO_ACTOR = "A handover is recorded by a signed-in user."
HANDOVER_ALREADY_ACKNOWLEDGED = "This handover has already been acknowledged."
HANDOVER_NOT_INCOMING = "Only the person taking over can acknowledge this handover."


def _snapshot(contact: Contact) -> dict[str, Any]:
    snapshot = {field: getattr(contact, field) for field in CONTACT_EDITABLE_FIELDS if field != "user"}
    snapshot["user"] = contact.user_id
    return snapshot


def _check(contact: Contact) -> None:
    """The contact's own rules, each named on its field (raises ValidationError)."""
    errors: dict[str, str] = {}
    if not contact.name:
        errors["name"] = CONTACT_NAME_REQUIRED
    if contact.active_to and contact.active_from and contact.active_to < contact.active_from:
        errors["active_to"] = CONTACT_ACTIVE_DATES_ORDER
    if contact.spoc_topics and contact.spoc_from is None:
        errors["spoc_from"] = CONTACT_SPOC_FROM_REQUIRED
    if not contact.spoc_topics and (contact.spoc_from or contact.spoc_to):
        errors["spoc_topics"] = CONTACT_SPOC_TOPICS_REQUIRED
    if contact.spoc_to and contact.spoc_from and contact.spoc_to < contact.spoc_from:
        errors["spoc_to"] = CONTACT_SPOC_DATES_ORDER
    if contact.user is not None and contact.user.organisation_id != contact.organisation_id:
        errors["user"] = CONTACT_USER_OTHER_ORGANISATION
    if errors:
        raise ValidationError(errors)


def _tidy(fields: dict[str, Any]) -> dict[str, Any]:
    tidy = dict(fields)
    for field in ("name", "job_title", "email", "phone", "spoc_topics"):
        if isinstance(tidy.get(field), str):
            tidy[field] = tidy[field].strip()
    return tidy


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CONTACT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


@transaction.atomic
def contact_create(*, actor: User | None, organisation: Organisation, **fields: Any) -> Contact:
    """Add a person at an organisation; with SPOC topics and dates, a single point of contact."""
    _check_fields(fields)
    fields = _tidy(fields)
    if fields.get("active_from") is None:
        fields.pop("active_from", None)  # the model's default: today
    contact = Contact(organisation=organisation, **fields)
    _check(contact)
    contact.full_clean()
    contact.save()
    audit_record(actor=actor, verb="partnerships.contact.created", target=contact, detail=_snapshot(contact))
    return contact


@transaction.atomic
def contact_update(*, actor: User | None, contact: Contact, **fields: Any) -> Contact:
    """Change a contact's details or SPOC period."""
    _check_fields(fields)
    fields = _tidy(fields)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    before = _snapshot(contact)
    for field, value in fields.items():
        setattr(contact, field, value)
    if contact.active_from is None:
        contact.active_from = timezone.localdate()
    _check(contact)
    contact.full_clean()
    contact.save()
    diff = changes(before, _snapshot(contact))
    if diff:
        audit_record(actor=actor, verb="partnerships.contact.updated", target=contact, detail=diff)
    return contact


def _merge_topics(existing: str, added: str) -> str:
    topics = [topic.strip() for topic in existing.split(";") if topic.strip()]
    for topic in (t.strip() for t in added.split(";")):
        if topic and topic.lower() not in {known.lower() for known in topics}:
            topics.append(topic)
    return "; ".join(topics)


@transaction.atomic
def handover_record(
    *,
    actor: User | None,
    outgoing: Contact,
    incoming: Contact,
    handover_date: datetime.date,
    note: str,
    outstanding_items: str = "",
) -> Handover:
    """Record that `outgoing` handed their SPOC role to `incoming` on `handover_date`.

    The outgoing contact's SPOC period ends the day before; the incoming contact is SPOC for the
    same topics from that day (added to any topics they already hold then)."""
    if actor is None:
        raise PermissionDenied(HANDOVER_NO_ACTOR)
    # Locked in a fixed order, so that two handovers between the same people cannot deadlock.
    locked = Contact.objects.select_for_update().in_bulk(sorted({outgoing.pk, incoming.pk}))
    outgoing, incoming = locked[outgoing.pk], locked[incoming.pk]
    note, outstanding_items = note.strip(), outstanding_items.strip()
    errors: dict[str, str] = {}
    if outgoing.pk == incoming.pk:
        errors["incoming"] = HANDOVER_SAME_PERSON
    elif outgoing.organisation_id != incoming.organisation_id:
        errors["incoming"] = HANDOVER_OTHER_ORGANISATION
    elif incoming.active_from > handover_date or (incoming.active_to and incoming.active_to < handover_date):
        errors["incoming"] = HANDOVER_INCOMING_NOT_ACTIVE
    if not outgoing.is_spoc_on(handover_date):
        errors["outgoing"] = HANDOVER_OUTGOING_NOT_SPOC
    elif outgoing.spoc_from is not None and outgoing.spoc_from >= handover_date:
        errors["handover_date"] = HANDOVER_DATE_TOO_EARLY
    if not note:
        errors["note"] = HANDOVER_NOTE_REQUIRED
    if errors:
        raise ValidationError(errors)

    topics = outgoing.spoc_topics
    before = {"outgoing": _snapshot(outgoing), "incoming": _snapshot(incoming)}
    outgoing.spoc_to = handover_date - datetime.timedelta(days=1)
    outgoing.save(update_fields=["spoc_to", "updated_at"])
    if incoming.is_spoc_on(handover_date):
        incoming.spoc_topics = _merge_topics(incoming.spoc_topics, topics)
    else:
        incoming.spoc_topics = topics
        incoming.spoc_from = handover_date
        incoming.spoc_to = None
    incoming.full_clean()
    incoming.save(update_fields=["spoc_topics", "spoc_from", "spoc_to", "updated_at"])

    handover = Handover.objects.create(
        organisation_id=outgoing.organisation_id,
        outgoing=outgoing,
        incoming=incoming,
        handover_date=handover_date,
        spoc_topics=topics,
        note=note,
        outstanding_items=outstanding_items,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb="partnerships.handover.recorded",
        target=handover,
        detail={
            "outgoing": outgoing.pk,
            "incoming": incoming.pk,
            "handover_date": handover_date,
            "spoc_topics": topics,
            "outgoing_contact": changes(before["outgoing"], _snapshot(outgoing)),
            "incoming_contact": changes(before["incoming"], _snapshot(incoming)),
        },
    )
    return handover


@transaction.atomic
def handover_acknowledge(*, actor: User, handover: Handover) -> Handover:
    """The incoming person confirms they have received the handover."""
    handover = Handover.objects.select_for_update(of=("self",)).select_related("incoming").get(pk=handover.pk)
    if handover.incoming.user_id is None or handover.incoming.user_id != actor.pk:
        raise PermissionDenied(HANDOVER_NOT_INCOMING)
    if handover.acknowledged_at is not None:
        raise ValidationError(HANDOVER_ALREADY_ACKNOWLEDGED)
    handover.acknowledged_at = timezone.now()
    handover.acknowledged_by = actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, verb="partnerships.handover.acknowledged", target=handover)
    return handover
