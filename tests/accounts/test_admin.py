"""Administration of users and organisations: through the services, bad input as field errors."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Role, User
from core.models import AuditEvent
from partnerships.models import Organisation
from partnerships.services import ORGANISATION_NAME_TAKEN
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world: World) -> Client:
    return sign_in(Client(), world.users["administrator"])


def test_administrator_creates_a_user_who_then_sets_a_password_by_email(admin_client: Client, world: World) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Starter@Police.test",
            "full_name": "New Starter",
            "organisation": world.force.pk,
            "role": Role.OFFICER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.starter@police.test")
    assert list(user.groups.all()) == [world.force.group]
    assert AuditEvent.objects.filter(verb="accounts.user.created", actor=world.users["administrator"]).exists()

    # No password yet: "Forgotten your password?" is how a new user sets one.
    Client().post(reverse("password-reset"), {"email": "new.starter@police.test"})
    assert len(mail.outbox) == 1
    assert re.search(r"/password-reset/\S+/", mail.outbox[0].body)


def test_role_that_does_not_fit_the_organisation_is_a_form_error(admin_client: Client, world: World) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "x@council.test", "full_name": "X", "organisation": world.partner.pk, "role": Role.OFFICER},
    )
    assert response.status_code == 200
    assert services.ROLE_NEEDS_POLICE_FORCE in response.text
    assert 'value="x@council.test"' in response.text
    assert not User.objects.filter(email="x@council.test").exists()


def test_duplicate_organisation_name_is_a_form_error(admin_client: Client, world: World) -> None:
    count = Organisation.objects.count()
    response = admin_client.post(
        reverse("admin:partnerships_organisation_add"),
        {"name": "NORTHSHIRE CITY COUNCIL", "kind": "partner", "sector": "statutory", "active": "on"},
    )
    assert response.status_code == 200
    assert ORGANISATION_NAME_TAKEN in response.text
    assert Organisation.objects.count() == count


def test_administrator_renames_an_organisation_and_its_group_follows(admin_client: Client, world: World) -> None:
    response = admin_client.post(
        reverse("admin:partnerships_organisation_change", args=[world.partner.pk]),
        {"name": "Northshire Unitary Council", "kind": "partner", "sector": "statutory", "active": "on"},
    )
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.group.name == "Organisation: Northshire Unitary Council"


def test_administrator_resets_a_lost_second_factor(admin_client: Client, world: World) -> None:
    officer = world.users["officer"]
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "Reset the second factor of 1 account(s)." in response.text
    assert not services.user_has_second_factor(officer)


def test_users_and_audit_events_cannot_be_deleted_in_the_admin(admin_client: Client, world: World) -> None:
    officer = world.users["officer"]
    response = admin_client.get(reverse("admin:accounts_user_delete", args=[officer.pk]))
    assert response.status_code == 403
    event = AuditEvent.objects.first()
    assert event is not None
    response = admin_client.get(reverse("admin:core_auditevent_delete", args=[event.pk]))
    assert response.status_code == 403
