"""The audit log: one helper records events; on PostgreSQL the table is append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from core.audit import audit_record, audit_record_each, recipient_of
from core.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_audit_record_stores_actor_organisation_target_and_detail() -> None:
    user = UserFactory()
    event = audit_record(actor=user, verb="accounts.user.updated", target=user, detail={"role": {"before": 1}})
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_organisation == user.organisation
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.detail == {"role": {"before": 1}}
    assert event.created_at is not None


def test_audit_record_each_writes_one_event_per_target_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    users = [UserFactory() for _ in range(3)]
    with django_assert_num_queries(1):
        events = audit_record_each(actor=users[0], verb="accounts.user.viewed", targets=users, detail={"how": "list"})
    assert len(events) == 3
    stored = AuditEvent.objects.filter(verb="accounts.user.viewed").order_by("id")
    assert [event.target_id for event in stored] == [str(user.pk) for user in users]
    assert {(e.actor_id, e.actor_organisation_id, e.target_type) for e in stored} == {
        (users[0].pk, users[0].organisation_id, "accounts.user")
    }
    assert all(event.detail == {"how": "list"} and event.created_at is not None for event in stored)
    with django_assert_num_queries(0):
        assert audit_record_each(actor=users[0], verb="accounts.user.viewed", targets=[]) == []


def test_recipient_of_names_the_user_and_their_organisation() -> None:
    user = UserFactory(full_name="Dana Fields")
    assert recipient_of(user) == {
        "user": user.pk,
        "name": "Dana Fields",
        "organisation": user.organisation_id,
        "organisation_name": user.organisation.name,
    }


def test_audit_verbs_must_name_app_entity_and_action() -> None:
    with pytest.raises(ValueError, match=r"app\.entity\.action"):
        audit_record(actor=None, verb="something happened")


def test_sign_in_event_records_the_client_address(client: Client) -> None:
    user = UserFactory()
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    event = AuditEvent.objects.get(verb="accounts.user.signed_in")
    assert event.ip == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "recorded"),
    [
        (0, "198.51.100.7", "192.0.2.10"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # the proxy's entry, not the forged one
        (2, "198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "10.0.0.2", "192.0.2.10"),  # fewer entries than proxies: the socket's address
        (1, "not-an-address", "192.0.2.10"),
    ],
)
def test_behind_trusted_proxies_the_client_address_comes_from_x_forwarded_for(
    client: Client, settings: object, proxies: int, forwarded_for: str, recorded: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies  # type: ignore[attr-defined]
    user = UserFactory()

    client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )

    assert AuditEvent.objects.get(verb="accounts.user.signed_in").ip == recorded


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_audit_events_cannot_be_updated() -> None:
    event = audit_record(actor=None, verb="core.test.recorded")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="core.test.rewritten")
    assert AuditEvent.objects.get(pk=event.pk).verb == "core.test.recorded"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_audit_events_cannot_be_deleted() -> None:
    event = audit_record(actor=None, verb="core.test.recorded")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
