"""Notification settings: each user chooses whether to receive the weekly digest."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


def checked(page_text: str) -> list[str]:
    """The values of the checked radio buttons on the page."""
    return re.findall(r'<input type="radio"[^>]*value="(\w+)"[^>]*checked', page_text)


def test_the_settings_page_shows_the_current_choice(world: World) -> None:
    assert reverse("notification-settings") == URL
    client = sign_in(Client(), world.users["supervisor"])
    page = client.get(URL)
    assert page.status_code == 200
    assert checked(page.text) == ["yes"]
    client.post(URL, {"receives_weekly_digest": "no"})
    assert checked(client.get(URL).text) == ["no"]


def test_a_supervisor_turns_the_digest_off_and_it_is_audited(world: World) -> None:
    supervisor = world.users["supervisor"]
    client = sign_in(Client(), supervisor)
    response = client.post(URL, {"receives_weekly_digest": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Your notification settings have been saved." in response.text
    supervisor.refresh_from_db()
    assert supervisor.receives_weekly_digest is False
    event = AuditEvent.objects.get(verb="accounts.user.preferences_changed", target_id=str(supervisor.pk))
    assert event.actor == supervisor
    assert event.detail == {"receives_weekly_digest": {"before": True, "after": False}}

    client.post(URL, {"receives_weekly_digest": "yes"})
    supervisor.refresh_from_db()
    assert supervisor.receives_weekly_digest is True


@pytest.mark.parametrize("data", [{}, {"receives_weekly_digest": "maybe"}])
def test_a_missing_or_unknown_answer_shows_the_error_summary_and_changes_nothing(
    world: World, data: dict[str, str]
) -> None:
    supervisor = world.users["supervisor"]
    page = sign_in(Client(), supervisor).post(URL, data)
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Choose whether to receive the weekly digest." in page.text
    # What was typed is kept: nothing was, or nothing valid, so nothing is checked.
    assert checked(page.text) == []
    supervisor.refresh_from_db()
    assert supervisor.receives_weekly_digest is True
    assert not AuditEvent.objects.filter(verb="accounts.user.preferences_changed").exists()


def test_a_user_changes_only_their_own_settings(world: World) -> None:
    sign_in(Client(), world.users["officer"]).post(URL, {"receives_weekly_digest": "no"})
    world.users["supervisor"].refresh_from_db()
    world.users["officer"].refresh_from_db()
    assert world.users["supervisor"].receives_weekly_digest is True
    assert world.users["officer"].receives_weekly_digest is False
