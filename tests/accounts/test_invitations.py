"""Invitations: a user created by an administrator is emailed a link that sets a password once,
expires, is replaced by a resend, and leads on to enrolling the second factor."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.admin import INVITATION_SENT
from accounts.invitation_views import ENROL_NEXT
from accounts.invitations import invitation_token_generator
from accounts.models import Role, User
from core.models import AuditEvent
from tests.accounts.factories import UserFactory, totp_code
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-passphrase-for-a-new-starter"
LINK = re.compile(r"https?://[^/\s]+(/invitation/[^/\s]+/[^/\s]+/)")
LINK_DEAD = "This invitation link no longer works"


@pytest.fixture
def admin_client(world: World) -> Client:
    return sign_in(Client(), world.users["administrator"])


def _create_in_admin(admin_client: Client, world: World, capture: Any, email: str = "new.starter@police.test") -> User:
    with capture(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": email,
                "full_name": "New Starter",
                "organisation": world.force.pk,
                "role": Role.OFFICER,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    return User.objects.get(email=email)


def _link(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _set_password(client: Client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None) -> Any:
    """Follow the link (which moves the token into the session) and post the form."""
    response = client.get(link, follow=True)
    if LINK_DEAD in response.text:
        return response
    form_url = response.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": confirm or password})


def _invite(capture: Any, world: World, email: str = "invitee@police.test") -> User:
    with capture(execute=True):
        return services.user_create(
            actor=world.users["administrator"],
            email=email,
            full_name="Ivy Invitee",
            organisation=world.force,
            role=Role.OFFICER,
        )


def test_creating_a_user_in_the_admin_sends_exactly_one_invitation_with_a_link(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _create_in_admin(admin_client, world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.starter@police.test"]
    assert message.subject == "You are invited to Common Ground"
    assert message.alternatives, "an HTML part is sent beside the text"
    assert _link(message) in message.alternatives[0][0]
    assert "7 days" in message.body
    assert user.invitation_pending
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(verb="accounts.user.invited", target_id=str(user.pk))
    assert event.actor == world.users["administrator"]


def test_the_email_is_sent_only_after_the_transaction_commits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_create(
            actor=None, email="later@police.test", full_name="L", organisation=world.force, role=Role.OFFICER
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_link_sets_the_password_and_leads_to_second_factor_enrolment(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    client = Client()
    response = client.get(_link(mail.outbox[0]))
    # The token leaves the address bar at once (it would leak in the Referer header).
    assert response.status_code == 302
    assert response["Location"].endswith("/set-password/")
    page = client.get(response["Location"])
    assert "Set your password" in page.text
    assert user.email in page.text

    response = client.post(response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == f"{reverse('otp-enrol')}?next=%2F"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.invitation_pending
    assert user.invitation_accepted_at is not None
    assert AuditEvent.objects.filter(verb="accounts.user.invitation_accepted", actor=user).exists()

    # Signed in, but every page still needs the second factor: enrolment, then home.
    enrol = client.get(response["Location"])
    assert "Set up your authenticator app" in enrol.text
    assert ENROL_NEXT in enrol.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp-enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(response["Location"], {"code": totp_code(device), "next": "/"})
    assert done["Location"].startswith(reverse("backup-codes"))
    assert client.get(reverse("home")).status_code == 200


def test_the_same_link_fails_the_second_time(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    link = _link(mail.outbox[0])
    assert _set_password(Client(), link).status_code == 302

    response = _set_password(Client(), link, password="another-long-passphrase-here")
    assert response.status_code == 200
    assert LINK_DEAD in response.text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_second_tab_posting_the_same_link_is_refused(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    link = _link(mail.outbox[0])
    first, second = Client(), Client()
    form_url = first.get(link)["Location"]
    second.get(link)
    first.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = second.post(
        form_url, {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"}
    )
    assert response.status_code == 200
    assert LINK_DEAD in response.text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_service_checks_the_link_on_the_locked_row(world: World, django_capture_on_commit_callbacks: Any) -> None:
    # Two posts racing past the page's own check both hold a user loaded before either saved: the
    # service checks the link again on the locked row, so only the first sets the password.
    user = _invite(django_capture_on_commit_callbacks, world)
    token = invitation_token_generator.make_token(user)
    stale = User.objects.get(pk=user.pk)
    services.user_invitation_accept(actor=user, user=user, token=token, password=NEW_PASSWORD)
    with pytest.raises(ValidationError) as error:
        services.user_invitation_accept(actor=stale, user=stale, token=token, password="another-long-passphrase")
    assert error.value.messages == [services.INVITATION_LINK_INVALID]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_link_fails_after_it_expires(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.INVITATION_EXPIRY = timedelta(days=7)
    user = _invite(django_capture_on_commit_callbacks, world)
    link = _link(mail.outbox[0])

    monkeypatch.setattr(invitation_token_generator, "_now", lambda: datetime.now() + timedelta(days=7, hours=-1))
    assert "Set your password" in Client().get(link, follow=True).text

    monkeypatch.setattr(invitation_token_generator, "_now", lambda: datetime.now() + timedelta(days=7, hours=1))
    response = _set_password(Client(), link)
    assert response.status_code == 200
    assert LINK_DEAD in response.text
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_expiry_is_a_setting(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.INVITATION_EXPIRY = timedelta(days=2)
    _invite(django_capture_on_commit_callbacks, world)
    assert "2 days" in mail.outbox[0].body
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: datetime.now() + timedelta(days=3))
    assert LINK_DEAD in Client().get(_link(mail.outbox[0])).text


def test_a_resend_invalidates_the_old_link_and_the_new_one_works(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    old_link = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invitation_resend(actor=world.users["administrator"], user=user)
    assert len(mail.outbox) == 2
    new_link = _link(mail.outbox[1])
    assert new_link != old_link

    assert LINK_DEAD in _set_password(Client(), old_link).text
    assert _set_password(Client(), new_link).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        verb="accounts.user.invitation_resent", actor=world.users["administrator"], target_id=str(user.pk)
    ).exists()


def test_a_tampered_link_or_unknown_user_shows_the_same_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(django_capture_on_commit_callbacks, world)
    link = _link(mail.outbox[0])
    tampered = link[:-3] + ("0" if link[-3] != "0" else "1") + link[-2:]
    unknown_user = reverse("invitation-accept", kwargs={"uidb64": "OTk5OTk5", "token": link.split("/")[-2]})
    garbage = reverse("invitation-accept", kwargs={"uidb64": "!!", "token": "x"})
    pages = [Client().get(url) for url in (tampered, unknown_user, garbage)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all(LINK_DEAD in page.text for page in pages)


def test_a_password_reset_token_is_not_an_invitation_token(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.tokens import default_token_generator

    user = _invite(django_capture_on_commit_callbacks, world)
    token = default_token_generator.make_token(user)
    assert not invitation_token_generator.check_token(user, token)


def test_a_deactivated_user_s_link_does_not_work(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    services.user_deactivate(actor=world.users["administrator"], user=user)
    assert LINK_DEAD in Client().get(_link(mail.outbox[0])).text


def test_bad_passwords_show_errors_and_change_nothing(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    link = _link(mail.outbox[0])
    client = Client()
    for password, confirm, error in [
        ("short", None, "This password is too short"),
        ("1234567890123", None, "This password is entirely numeric"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two password fields"),
    ]:
        response = _set_password(client, link, password=password, confirm=confirm)
        assert response.status_code == 200
        assert "There is a problem" in response.text
        assert error in response.text
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert user.invitation_pending
    assert "_auth_user_id" not in client.session
    # The link still works after the mistakes.
    assert _set_password(client, link).status_code == 302


def test_admin_shows_pending_then_accepted(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _create_in_admin(admin_client, world, django_capture_on_commit_callbacks)
    changelist = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert "Pending (sent" in changelist.text
    change = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert "Pending (sent" in change.text
    assert reverse("admin:accounts_user_invitation_resend", args=[user.pk]) in change.text

    _set_password(Client(), _link(mail.outbox[0]))
    changelist = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert "Accepted " in changelist.text
    assert "Pending (sent" not in changelist.text
    change = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert "Accepted " in change.text
    assert reverse("admin:accounts_user_invitation_resend", args=[user.pk]) not in change.text


def test_admin_shows_an_old_invitation_as_expired(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    User.objects.filter(pk=user.pk).update(invited_at=user.invited_at - timedelta(days=8))
    assert "Expired (sent" in admin_client.get(reverse("admin:accounts_user_changelist")).text


def test_admin_resends_from_the_user_page(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    url = reverse("admin:accounts_user_invitation_resend", args=[user.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "Any earlier invitation link stops working" in confirm.text
    assert len(mail.outbox) == 1, "a GET sends nothing"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, follow=True)
    assert INVITATION_SENT.format(email=user.email) in response.text
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(verb="accounts.user.invitation_resent", target_id=str(user.pk)).count() == 1


def test_admin_action_resends_and_refuses_users_who_have_a_password(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    officer = world.users["officer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "resend_invitation", "_selected_action": [user.pk, officer.pk]},
            follow=True,
        )
    assert "Sent an invitation to 1 account(s)." in response.text
    assert services.INVITATION_NOT_NEEDED.format(user=officer).replace('"', "&quot;") in response.text
    assert [message.to for message in mail.outbox] == [[user.email], [user.email]]
    officer.refresh_from_db()
    assert officer.invited_at is None


def test_a_deactivated_user_cannot_be_invited(world: World) -> None:
    user = UserFactory(password=None, organisation=world.force)
    services.user_deactivate(actor=None, user=user)
    with pytest.raises(ValidationError, match="is deactivated"):
        services.user_invitation_resend(actor=world.users["administrator"], user=user)


def test_forgotten_password_settles_a_pending_invitation(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = _invite(django_capture_on_commit_callbacks, world)
    invitation = _link(mail.outbox[0])
    client = Client()
    client.post(reverse("password-reset"), {"email": user.email})
    reset = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[1].body)
    assert reset
    form_url = client.get(reset.group(1))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert not user.invitation_pending
    assert LINK_DEAD in Client().get(invitation).text
