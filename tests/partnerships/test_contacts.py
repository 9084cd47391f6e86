"""Contacts, single points of contact (SPOCs) and handovers: a handover records both people and
moves the SPOC; the incoming person acknowledges it; bad input is explained and changes nothing."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from core.models import AuditEvent
from partnerships.demo import contacts as demo_contacts
from partnerships.demo import organisations as demo_organisations
from partnerships.models import Contact, Handover, Organisation
from partnerships.selectors.contacts import spocs_on
from partnerships.selectors.organisations import has_active_spoc
from partnerships.services import contacts as services
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory, days_ago, handover_between

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _state() -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Everything a failed request must leave as it was."""
    contacts = list(Contact.objects.order_by("pk").values())
    handovers = list(Handover.objects.order_by("pk").values())
    return contacts, handovers, AuditEvent.objects.count()


# Handover service ------------------------------------------------------------------------------


def test_a_handover_records_both_people_and_moves_the_spoc(world: World) -> None:
    today = timezone.localdate()
    outgoing = SpocFactory(organisation=world.partner, name="Priya Patel", spoc_topics="ASB in Eastgate")
    incoming = ContactFactory(organisation=world.partner, name="Lee Lead")
    supervisor = world.users["supervisor"]

    handover = services.handover_record(
        actor=supervisor,
        outgoing=outgoing,
        incoming=incoming,
        handover_date=today,
        note="  Cases are in the shared folder. ",
        outstanding_items="Underpass lighting",
    )

    assert (handover.outgoing, handover.incoming, handover.organisation) == (outgoing, incoming, world.partner)
    assert (handover.handover_date, handover.spoc_topics) == (today, "ASB in Eastgate")
    assert (handover.note, handover.outstanding_items) == ("Cases are in the shared folder.", "Underpass lighting")
    assert handover.recorded_by == supervisor
    assert handover.acknowledged_at is None
    outgoing.refresh_from_db()
    incoming.refresh_from_db()
    assert outgoing.spoc_to == today - datetime.timedelta(days=1)
    assert (incoming.spoc_topics, incoming.spoc_from, incoming.spoc_to) == ("ASB in Eastgate", today, None)
    assert list(spocs_on(organisation=world.partner, day=today)) == [incoming]
    assert list(spocs_on(organisation=world.partner, day=today - datetime.timedelta(days=1))) == [outgoing]
    event = AuditEvent.objects.get(verb="partnerships.handover.recorded", target_id=str(handover.pk))
    assert event.actor == supervisor
    assert (event.detail["outgoing"], event.detail["incoming"]) == (outgoing.pk, incoming.pk)


def test_a_handover_adds_the_topics_to_an_incoming_person_who_is_already_spoc(world: World) -> None:
    outgoing = SpocFactory(organisation=world.partner, spoc_topics="ASB in Eastgate; Licensing")
    incoming = SpocFactory(organisation=world.partner, spoc_topics="Licensing", spoc_from=days_ago(30))
    handover_between(outgoing, incoming)
    incoming.refresh_from_db()
    assert incoming.spoc_topics == "Licensing; ASB in Eastgate"
    assert incoming.spoc_from == days_ago(30)


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("same person", "incoming", services.HANDOVER_SAME_PERSON),
        ("other organisation", "incoming", services.HANDOVER_OTHER_ORGANISATION),
        ("incoming has left", "incoming", services.HANDOVER_INCOMING_NOT_ACTIVE),
        ("outgoing not a SPOC", "outgoing", services.HANDOVER_OUTGOING_NOT_SPOC),
        ("outgoing SPOC ended", "outgoing", services.HANDOVER_OUTGOING_NOT_SPOC),
        ("handover on the first SPOC day", "handover_date", services.HANDOVER_DATE_TOO_EARLY),
        ("empty note", "note", services.HANDOVER_NOTE_REQUIRED),
    ],
)
def test_a_handover_that_breaks_a_rule_is_refused_and_changes_nothing(
    world: World, case: str, field: str, message: str
) -> None:
    today = timezone.localdate()
    outgoing = SpocFactory(organisation=world.partner)
    incoming = ContactFactory(organisation=world.partner)
    note = "Notes"
    if case == "same person":
        incoming = outgoing
    elif case == "other organisation":
        incoming = ContactFactory(organisation=world.unrelated)
    elif case == "incoming has left":
        incoming = ContactFactory(organisation=world.partner, active_to=days_ago(1))
    elif case == "outgoing not a SPOC":
        outgoing = ContactFactory(organisation=world.partner)
    elif case == "outgoing SPOC ended":
        outgoing = SpocFactory(organisation=world.partner, spoc_to=days_ago(1))
    elif case == "handover on the first SPOC day":
        outgoing = SpocFactory(organisation=world.partner, spoc_from=today)
    elif case == "empty note":
        note = "   "
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.handover_record(
            actor=world.users["supervisor"], outgoing=outgoing, incoming=incoming, handover_date=today, note=note
        )
    assert error.value.message_dict[field] == [message]
    assert _state() == before


def test_the_incoming_person_acknowledges_the_handover_once(world: World) -> None:
    lead = world.users["partner_lead"]
    handover = handover_between(
        SpocFactory(organisation=world.partner), ContactFactory(organisation=world.partner, user=lead)
    )
    services.handover_acknowledge(actor=lead, handover=handover)
    handover.refresh_from_db()
    assert handover.acknowledged_by == lead
    assert handover.acknowledged_at is not None
    assert AuditEvent.objects.filter(
        verb="partnerships.handover.acknowledged", target_id=str(handover.pk), actor=lead
    ).exists()
    with pytest.raises(ValidationError) as error:
        services.handover_acknowledge(actor=lead, handover=handover)
    assert error.value.messages == [services.HANDOVER_ALREADY_ACKNOWLEDGED]


def test_nobody_else_may_acknowledge_a_handover(world: World) -> None:
    handover = handover_between(SpocFactory(organisation=world.partner), ContactFactory(organisation=world.partner))
    for persona in ("supervisor", "partner_lead", "administrator"):
        with pytest.raises(PermissionDenied):
            services.handover_acknowledge(actor=world.users[persona], handover=handover)
    handover.refresh_from_db()
    assert handover.acknowledged_at is None


# Contact service -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"spoc_topics": "ASB"}, "spoc_from", services.CONTACT_SPOC_FROM_REQUIRED),
        ({"spoc_from": datetime.date(2026, 1, 1)}, "spoc_topics", services.CONTACT_SPOC_TOPICS_REQUIRED),
        (
            {"spoc_topics": "ASB", "spoc_from": datetime.date(2026, 2, 1), "spoc_to": datetime.date(2026, 1, 1)},
            "spoc_to",
            services.CONTACT_SPOC_DATES_ORDER,
        ),
        (
            {"active_from": datetime.date(2026, 2, 1), "active_to": datetime.date(2026, 1, 1)},
            "active_to",
            services.CONTACT_ACTIVE_DATES_ORDER,
        ),
        ({"name": "  "}, "name", services.CONTACT_NAME_REQUIRED),
    ],
)
def test_a_contact_that_breaks_a_rule_is_refused(
    world: World, fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_create(actor=None, organisation=world.partner, **{"name": "Pat Jones", **fields})
    assert error.value.message_dict[field] == [message]
    assert not Contact.objects.exists()


def test_a_contact_may_only_be_linked_to_a_user_of_their_organisation(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_create(actor=None, organisation=world.partner, name="X", user=world.users["officer"])
    assert error.value.message_dict["user"] == [services.CONTACT_USER_OTHER_ORGANISATION]


# Views ----------------------------------------------------------------------------------------


def test_partner_lead_adds_a_spoc_to_their_organisation(world: World) -> None:
    response = _client(world, "partner_lead").post(
        reverse("contact-create", args=[world.partner.pk]),
        {
            "name": "Pat Jones",
            "job_title": "ASB officer",
            "email": "pat@council.test",
            "user": world.users["partner_member"].pk,
            "active_from": "2025-01-01",
            "spoc_topics": "ASB in Eastgate",
            "spoc_from": "2025-02-01",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Pat Jones")
    assert (contact.organisation, contact.user) == (world.partner, world.users["partner_member"])
    assert contact.is_spoc_on(timezone.localdate())
    event = AuditEvent.objects.get(verb="partnerships.contact.created", target_id=str(contact.pk))
    assert event.actor == world.users["partner_lead"]


def test_invalid_contact_shows_the_error_summary_keeps_input_and_creates_nothing(world: World) -> None:
    client = _client(world, "supervisor")
    before = _state()
    response = client.post(
        reverse("contact-create", args=[world.partner.pk]),
        {"name": "Pat Jones", "email": "pat@council.test", "active_from": "2025-01-01", "spoc_topics": "ASB"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert services.CONTACT_SPOC_FROM_REQUIRED in response.text
    assert 'value="Pat Jones"' in response.text
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "active_from": "2025-01-01"},
        {"name": "A", "active_from": "2025-02-30"},
        {"name": "A", "active_from": "not a date", "email": "nope"},
        {"name": "A", "active_from": "2025-01-01", "user": "999999"},
        {"name": "A" * 500, "active_from": "2025-01-01"},
    ],
)
def test_malformed_contact_input_is_explained_not_a_server_error(world: World, data: dict[str, str]) -> None:
    client = _client(world, "supervisor")
    before = _state()
    response = client.post(reverse("contact-create", args=[world.partner.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert _state() == before


def test_a_user_of_another_organisation_cannot_be_chosen(world: World) -> None:
    response = _client(world, "supervisor").post(
        reverse("contact-create", args=[world.partner.pk]),
        {"name": "A", "active_from": "2025-01-01", "user": world.users["unrelated_partner"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Contact.objects.exists()


def test_supervisor_edits_a_contact_and_the_change_is_audited(world: World) -> None:
    contact = ContactFactory(organisation=world.partner, name="Pat Jones")
    response = _client(world, "supervisor").post(
        reverse("contact-edit", args=[contact.pk]),
        {"name": "Pat Jones-Smith", "active_from": "2025-01-01", "phone": "0118 496 0123"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("Pat Jones-Smith", "0118 496 0123")
    event = AuditEvent.objects.get(verb="partnerships.contact.updated", target_id=str(contact.pk))
    assert event.detail["name"] == {"before": "Pat Jones", "after": "Pat Jones-Smith"}


def test_invalid_contact_edit_keeps_input_and_changes_nothing(world: World) -> None:
    contact = ContactFactory(organisation=world.partner, name="Pat Jones")
    client = _client(world, "partner_lead")
    before = _state()
    response = client.post(
        reverse("contact-edit", args=[contact.pk]),
        {"name": "Pat Renamed", "active_from": "2025-02-01", "active_to": "2025-01-01"},
    )
    assert response.status_code == 200
    assert services.CONTACT_ACTIVE_DATES_ORDER in response.text
    assert 'value="Pat Renamed"' in response.text
    assert "Edit Pat Jones" in response.text
    assert _state() == before


def test_read_only_viewers_get_403_and_outsiders_404_on_contact_writes(world: World) -> None:
    contact = ContactFactory(organisation=world.partner)
    member, outsider, officer = (_client(world, p) for p in ("partner_member", "unrelated_partner", "officer"))
    before = _state()
    data = {"name": "X", "active_from": "2025-01-01"}
    for url in (reverse("contact-create", args=[world.partner.pk]), reverse("contact-edit", args=[contact.pk])):
        assert member.post(url, data).status_code == 403
        assert outsider.post(url, data).status_code == 404
    assert officer.post(reverse("handover-create", args=[world.partner.pk]), {}).status_code == 403
    assert _state() == before


def test_supervisor_records_a_handover_through_the_form(world: World) -> None:
    outgoing = SpocFactory(organisation=world.partner, name="Priya Patel", spoc_topics="ASB in Eastgate")
    incoming = ContactFactory(organisation=world.partner, name="Lee Lead")
    client = _client(world, "supervisor")
    url = reverse("handover-create", args=[world.partner.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["outgoing"].queryset) == [outgoing]
    assert set(form.fields["incoming"].queryset) == {outgoing, incoming}
    today = timezone.localdate()
    response = client.post(
        url,
        {"outgoing": outgoing.pk, "incoming": incoming.pk, "handover_date": today.isoformat(), "note": "All yours."},
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.outgoing, handover.incoming, handover.recorded_by) == (
        outgoing,
        incoming,
        world.users["supervisor"],
    )
    assert list(spocs_on(organisation=world.partner, day=today)) == [incoming]


def test_invalid_handover_shows_the_error_summary_and_changes_nothing(world: World) -> None:
    outgoing = SpocFactory(organisation=world.partner)
    elsewhere = ContactFactory(organisation=world.unrelated)
    client = _client(world, "supervisor")
    url = reverse("handover-create", args=[world.partner.pk])
    before = _state()
    same = client.post(
        url, {"outgoing": outgoing.pk, "incoming": outgoing.pk, "handover_date": "2026-01-01", "note": "Typed note"}
    )
    assert same.status_code == 200
    assert "There is a problem" in same.text
    assert services.HANDOVER_SAME_PERSON in same.text
    assert "Typed note" in same.text
    other = client.post(url, {"outgoing": outgoing.pk, "incoming": elsewhere.pk, "handover_date": "x", "note": ""})
    assert other.status_code == 200
    assert set(other.context["form"].errors) == {"incoming", "handover_date", "note"}
    assert _state() == before


def test_incoming_person_acknowledges_through_the_page(world: World) -> None:
    lead = world.users["partner_lead"]
    handover = handover_between(
        SpocFactory(organisation=world.partner), ContactFactory(organisation=world.partner, user=lead)
    )
    client = _client(world, "partner_lead")
    url = reverse("handover-acknowledge", args=[handover.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[world.partner.pk])
    handover.refresh_from_db()
    assert handover.acknowledged_by == lead
    again = client.post(url, follow=True)
    assert services.HANDOVER_ALREADY_ACKNOWLEDGED in again.text


def test_others_cannot_acknowledge_and_outsiders_do_not_learn_it_exists(world: World) -> None:
    handover = handover_between(
        SpocFactory(organisation=world.partner),
        ContactFactory(organisation=world.partner, user=world.users["partner_lead"]),
    )
    url = reverse("handover-acknowledge", args=[handover.pk])
    assert _client(world, "supervisor").post(url).status_code == 403
    assert _client(world, "unrelated_partner").post(url).status_code == 404
    assert _client(world, "unrelated_partner").post(reverse("handover-acknowledge", args=[999999])).status_code == 404
    handover.refresh_from_db()
    assert handover.acknowledged_at is None


def test_spocs_on_a_day_are_those_whose_period_covers_it(world: World) -> None:
    organisation = OrganisationFactory()
    current = SpocFactory(organisation=organisation, name="B Current")
    SpocFactory(organisation=organisation, name="C Ended", spoc_to=days_ago(1))
    ContactFactory(organisation=organisation, name="A Not a SPOC")
    assert list(spocs_on(organisation=organisation, day=timezone.localdate())) == [current]
    assert len(spocs_on(organisation=organisation, day=days_ago(2))) == 2


# Demo ------------------------------------------------------------------------------------------


def test_demo_has_spocs_an_acknowledged_handover_and_a_partner_without_spoc() -> None:
    def seed() -> tuple[int, int, int, int]:
        # In seed_demo's order: organisations, then the demo users, then contacts.
        demo_organisations.seed(stdout=None)
        accounts_demo.seed(stdout=StringIO())
        demo_contacts.seed(stdout=None)
        return Contact.objects.count(), Handover.objects.count(), User.objects.count(), AuditEvent.objects.count()

    first = seed()
    assert seed() == first  # idempotent
    handover = Handover.objects.select_related("incoming__user").get()
    assert handover.acknowledged_by == handover.incoming.user
    assert handover.acknowledged_by.email == "lead@council.example"
    assert handover.recorded_by.email == "supervisor@police.example"
    assert handover.organisation.name == "Northshire City Council"
    today = timezone.localdate()
    assert [c.name for c in spocs_on(organisation=handover.organisation, day=today)] == ["Lee Lead"]
    flags = dict(Organisation.objects.annotate(spoc=has_active_spoc(today)).values_list("name", "spoc"))
    assert flags["Eastgate Residents' Association"] is False
    assert flags["Riverside Housing Association"] is True
    assert Organisation.objects.get(name="Northshire City Council").is_responsible_authority is True
