"""User services: the role fits the organisation, Group membership follows, every change audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role
from core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory

pytestmark = pytest.mark.django_db


def test_user_joins_the_group_of_their_organisation() -> None:
    force = PoliceForceFactory()
    user = services.user_create(
        actor=None, email="New.Officer@Example.test", full_name=" New Officer ", organisation=force, role=Role.OFFICER
    )
    assert user.email == "new.officer@example.test"
    assert user.full_name == "New Officer"
    assert list(user.groups.all()) == [force.group]
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(verb="accounts.user.created")
    assert event.target_id == str(user.pk)
    assert event.detail["role"] == Role.OFFICER


def test_police_role_needs_a_police_force() -> None:
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=None, email="x@example.test", full_name="X", organisation=OrganisationFactory(), role=Role.OFFICER
        )
    assert error.value.message_dict["role"] == [services.ROLE_NEEDS_POLICE_FORCE]


def test_partner_role_needs_a_partner_organisation() -> None:
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=None, email="x@example.test", full_name="X", organisation=PoliceForceFactory(), role=Role.PARTNER_LEAD
        )
    assert error.value.message_dict["role"] == [services.ROLE_NEEDS_PARTNER]


def test_duplicate_email_is_refused_whatever_its_case() -> None:
    user = UserFactory(email="taken@example.test")
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=None, email="TAKEN@example.test", full_name="Y", organisation=user.organisation, role=Role.OFFICER
        )
    assert error.value.message_dict["email"] == [services.EMAIL_TAKEN]


def test_moving_organisation_moves_the_group_membership() -> None:
    user = UserFactory(role=Role.PARTNER_MEMBER)
    old_group = user.organisation.group
    new_organisation = OrganisationFactory()
    services.user_update(actor=None, user=user, organisation=new_organisation)
    assert list(user.groups.all()) == [new_organisation.group]
    assert not old_group.user_set.filter(pk=user.pk).exists()
    event = AuditEvent.objects.get(verb="accounts.user.updated")
    assert event.detail == {"organisation": {"before": old_group.organisation.pk, "after": new_organisation.pk}}


def test_only_administrators_are_staff() -> None:
    user = UserFactory(role=Role.SUPERVISOR)
    assert not user.is_staff
    user = services.user_update(actor=None, user=user, role=Role.ADMINISTRATOR)
    assert user.is_staff
    assert user.is_superuser
    user = services.user_update(actor=None, user=user, role=Role.ANALYST)
    assert not user.is_staff
    assert not user.is_superuser


def test_role_change_that_does_not_fit_changes_nothing() -> None:
    user = UserFactory(role=Role.OFFICER)
    with pytest.raises(ValidationError):
        services.user_update(actor=None, user=user, role=Role.PARTNER_MEMBER)
    user.refresh_from_db()
    assert user.role == Role.OFFICER
    assert not AuditEvent.objects.filter(verb="accounts.user.updated").exists()


def test_update_without_a_change_writes_no_audit_event() -> None:
    user = UserFactory()
    services.user_update(actor=None, user=user, full_name=user.full_name)
    assert not AuditEvent.objects.filter(verb="accounts.user.updated").exists()


def test_unknown_field_is_refused() -> None:
    with pytest.raises(TypeError):
        services.user_update(actor=None, user=UserFactory(), email="sneaky@example.test")
