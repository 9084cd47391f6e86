"""Neighbourhoods: reference data saved through the service, with an audit event."""

from __future__ import annotations

import pytest

from core.models import AuditEvent
from partnerships.models import Neighbourhood
from partnerships.services.neighbourhoods import neighbourhood_save

pytestmark = pytest.mark.django_db


def test_saving_a_new_neighbourhood_makes_its_slug_from_the_name_and_records_an_audit_event(world):
    neighbourhood = neighbourhood_save(
        actor=world.users["administrator"],
        neighbourhood=Neighbourhood(
            name="St Mary's Ward", organisation=world.force, lsoa_codes="E01000001\n E01000002"
        ),
    )
    assert neighbourhood.slug == "st-marys-ward"
    assert neighbourhood.lsoa_code_list == ["E01000001", "E01000002"]
    event = AuditEvent.objects.get(verb="partnerships.neighbourhood.created")
    assert event.target_id == str(neighbourhood.pk)
    assert event.detail["name"] == {"before": None, "after": "St Mary's Ward"}


def test_renaming_a_neighbourhood_records_the_change(world):
    neighbourhood = neighbourhood_save(
        actor=None, neighbourhood=Neighbourhood(name="Eastgate", organisation=world.force)
    )
    neighbourhood.name = "Eastgate and Docks"
    neighbourhood_save(actor=world.users["administrator"], neighbourhood=neighbourhood)
    event = AuditEvent.objects.get(verb="partnerships.neighbourhood.updated")
    assert event.detail == {"name": {"before": "Eastgate", "after": "Eastgate and Docks"}}
    assert neighbourhood.slug == "eastgate"
