"""Password change and reset: emails through the configured backend, audited, clear errors."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase"


def test_password_reset_emails_a_link_that_sets_a_new_password(client: Client) -> None:
    user = UserFactory()
    response = client.post(reverse("password-reset"), {"email": user.email.upper()})
    assert response["Location"] == reverse("password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your Common Ground password"
    assert message.alternatives, "an HTML part is sent beside the text"
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body)
    assert link, message.body

    response = client.get(link.group(1), follow=True)
    assert "Set a new password" in response.text
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(verb="accounts.user.password_reset", target_id=str(user.pk)).exists()


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post(reverse("password-reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("password-reset-done")
    assert mail.outbox == []


def test_password_reset_with_bad_address_shows_error_summary(client: Client) -> None:
    response = client.post(reverse("password-reset"), {"email": "not an address"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="not an address"' in response.text


def test_used_or_forged_reset_link_says_it_has_expired(client: Client) -> None:
    response = client.get(reverse("password-reset-confirm", kwargs={"uidb64": "MQ", "token": "forged-token"}))
    assert response.status_code == 200
    assert "This link has expired" in response.text


def test_password_change_keeps_the_user_signed_in_and_is_audited(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user)
    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password has been changed." in response.text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(verb="accounts.user.password_changed", actor=user).exists()


def test_password_change_with_wrong_old_password_changes_nothing(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user)
    response = client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_old_password"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_is_refused_with_reasons(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user)
    response = client.post(
        reverse("password-change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert "This password is too short. It must contain at least 12 characters." in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
