"""Administrators keep the seldom-heard list in the admin site; each change is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import SeldomHeardGroup
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_seldom_heard_group_with_an_audit_event(world: World) -> None:
    client = sign_in(Client(), world.users["administrator"])
    response = client.post(
        reverse("admin:partnerships_seldomheardgroup_add"),
        {"name": "Armed forces veterans", "order": 110, "active": "on"},
    )
    assert response.status_code == 302
    group = SeldomHeardGroup.objects.get(name="Armed forces veterans")
    event = AuditEvent.objects.get(verb="partnerships.seldom_heard_group.created")
    assert event.target_id == str(group.pk)
    assert event.actor == world.users["administrator"]


def test_administrator_deactivates_a_group_but_cannot_delete_it(world: World) -> None:
    group = SeldomHeardGroup.objects.get(name="Students")
    client = sign_in(Client(), world.users["administrator"])
    response = client.post(
        reverse("admin:partnerships_seldomheardgroup_change", args=[group.pk]), {"name": "Students", "order": 90}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert not group.active
    assert AuditEvent.objects.get(verb="partnerships.seldom_heard_group.updated").detail["active"] == {
        "before": True,
        "after": False,
    }
    assert client.get(reverse("admin:partnerships_seldomheardgroup_delete", args=[group.pk])).status_code == 403
