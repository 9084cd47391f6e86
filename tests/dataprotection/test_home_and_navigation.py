"""The data protection officer's home page shows the breaches still to report, with their
deadlines, and links to the data protection pages; the navigation offers them to the DPO, and the
audit log to supervisors too."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dataprotection.models import BreachStatus
from tests.conftest import World, sign_in
from tests.dataprotection.factories import make_breach
from tests.partnerships.factories import PoliceForceFactory

pytestmark = pytest.mark.django_db


def test_the_dpo_home_lists_open_breaches_soonest_deadline_first(world: World) -> None:
    late = make_breach(world.force, summary="Late one", found_ago=datetime.timedelta(hours=80))
    soon = make_breach(world.force, summary="Recent one", found_ago=datetime.timedelta(hours=2))
    make_breach(world.force, summary="Reported one", status=BreachStatus.NOT_REPORTABLE, decision_note="Encrypted")
    make_breach(PoliceForceFactory(name="Southshire Police"), summary="Their one")

    page = sign_in(Client(), world.users["dpo"]).get(reverse("home")).content.decode()

    assert page.index(late.reference) < page.index(soon.reference)
    assert "overdue since" in page
    assert "Reported one" not in page
    assert "Their one" not in page
    for name in ("subject-access", "audit-log", "breach-list"):
        assert f'href="{reverse(name)}"' in page


@pytest.mark.parametrize("count", [1, 5])
def test_dpo_home_query_count_does_not_grow_with_breaches(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    for _ in range(count):
        make_breach(world.force)
    client = sign_in(Client(), world.users["dpo"])
    # Session, user (with their organisation), OTP device; the breaches awaiting a decision; the
    # count of closed problems due for a retention review.
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert response.content.decode().count("due by") == count


@pytest.mark.parametrize(
    ("persona", "entries"),
    [
        ("dpo", {"Subject access", "Breaches", "Audit log", "Retention"}),
        ("supervisor", {"Audit log", "Retention"}),
        ("officer", set()),
        ("administrator", set()),
        ("partner_lead", set()),
    ],
)
def test_navigation_offers_the_data_protection_pages_to_whom_they_are_for(
    world: World, persona: str, entries: set[str]
) -> None:
    page = sign_in(Client(), world.users[persona]).get(reverse("home")).content.decode()
    labels = {
        label
        for label, name in (
            ("Subject access", "subject-access"),
            ("Breaches", "breach-list"),
            ("Audit log", "audit-log"),
            ("Retention", "retention-list"),
        )
        if f'href="{reverse(name)}">{label}' in page
    }
    assert labels == entries
