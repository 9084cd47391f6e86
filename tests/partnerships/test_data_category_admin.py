"""Administrators keep the list of data categories in the admin site: they add categories and
change a category's name and description, each change audited; a category's code and kind stay
as made (agreements refer to them), and categories are never deleted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import DataCategory
from partnerships.models.data import DataCategoryKind
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_data_category_with_an_audit_event(world: World) -> None:
    client = sign_in(Client(), world.users["administrator"])

    response = client.post(
        reverse("admin:partnerships_datacategory_add"),
        {"code": "tenancy", "name": " Tenancy records ", "kind": DataCategoryKind.PERSONAL, "description": ""},
    )

    assert response.status_code == 302
    category = DataCategory.objects.get(code="tenancy")
    assert category.name == "Tenancy records"
    event = AuditEvent.objects.get(verb="partnerships.data_category.created")
    assert (event.target_id, event.actor) == (str(category.pk), world.users["administrator"])
    assert event.detail["kind"] == {"before": None, "after": DataCategoryKind.PERSONAL}


def test_a_categorys_code_and_kind_stay_as_made_and_it_cannot_be_deleted(world: World) -> None:
    category = DataCategory.objects.create(code="tenancy", name="Tenancy records", kind=DataCategoryKind.PERSONAL)
    client = sign_in(Client(), world.users["administrator"])

    response = client.post(
        reverse("admin:partnerships_datacategory_change", args=[category.pk]),
        {
            "code": "changed",
            "name": "Tenancy and rent records",
            "kind": DataCategoryKind.NON_PERSONAL,
            "description": "Tenancy start and end dates, rent arrears.",
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.code, category.kind) == ("tenancy", DataCategoryKind.PERSONAL)
    assert category.name == "Tenancy and rent records"
    detail = AuditEvent.objects.get(verb="partnerships.data_category.updated").detail
    assert set(detail) == {"name", "description"}
    assert client.get(reverse("admin:partnerships_datacategory_delete", args=[category.pk])).status_code == 403


def test_a_duplicate_name_is_refused_with_a_message_and_changes_nothing(world: World) -> None:
    DataCategory.objects.create(code="tenancy", name="Tenancy records", kind=DataCategoryKind.PERSONAL)
    client = sign_in(Client(), world.users["administrator"])
    before = DataCategory.objects.count()

    response = client.post(
        reverse("admin:partnerships_datacategory_add"),
        {"code": "tenancy-2", "name": "Tenancy records", "kind": DataCategoryKind.PERSONAL, "description": ""},
    )

    assert response.status_code == 200
    assert "Data category with this Name already exists." in response.text
    assert DataCategory.objects.count() == before
    assert not AuditEvent.objects.filter(verb="partnerships.data_category.created").exists()


@pytest.mark.parametrize("persona", ["officer", "supervisor", "partner_lead"])
def test_other_users_cannot_reach_the_data_category_admin(world: World, persona: str) -> None:
    client = sign_in(Client(), world.users[persona])

    response = client.get(reverse("admin:partnerships_datacategory_changelist"))

    assert response.status_code == 404  # the admin site is 404 to all but administrators
