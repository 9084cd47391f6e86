"""Organisation services: each organisation owns one Group, kept in step with it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from partnerships.models import OrganisationKind, Sector
from partnerships.services import ORGANISATION_NAME_TAKEN, organisation_create, organisation_update
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_is_created_with_its_own_group() -> None:
    actor = UserFactory()
    organisation = organisation_create(
        actor=actor, name=" Eastgate Food Bank ", kind=OrganisationKind.PARTNER, sector=Sector.VOLUNTARY
    )
    assert organisation.name == "Eastgate Food Bank"
    assert organisation.group.name == "Organisation: Eastgate Food Bank"
    event = AuditEvent.objects.get(verb="partnerships.organisation.created", target_id=str(organisation.pk))
    assert (event.actor, event.actor_organisation) == (actor, actor.organisation)
    assert event.target_type == "partnerships.organisation"


def test_renaming_an_organisation_renames_its_group() -> None:
    organisation = organisation_create(actor=None, name="Old Name", kind="partner", sector="statutory")
    organisation_update(actor=None, organisation=organisation, name="New Name")
    assert Group.objects.get(pk=organisation.group_id).name == "Organisation: New Name"
    event = AuditEvent.objects.get(verb="partnerships.organisation.updated")
    assert event.detail == {"name": {"before": "Old Name", "after": "New Name"}}


def test_duplicate_name_is_refused_and_creates_no_group() -> None:
    organisation_create(actor=None, name="Council", kind="partner", sector="statutory")
    groups = Group.objects.count()
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=None, name="COUNCIL", kind="partner", sector="statutory")
    assert error.value.message_dict["name"] == [ORGANISATION_NAME_TAKEN]
    assert Group.objects.count() == groups


def test_unknown_sector_is_refused_and_creates_nothing() -> None:
    groups = Group.objects.count()
    with pytest.raises(ValidationError):
        organisation_create(actor=None, name="Mystery", kind="partner", sector="imaginary")
    assert Group.objects.count() == groups
