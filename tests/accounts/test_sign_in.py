"""Signing in: password, second factor, lockout, session limits. Each failure gets a clear message,
never a server error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import ACCOUNT_INACTIVE, EMAIL_MAX_LENGTH, EMAIL_TOO_LONG, SIGN_IN_NOT_RIGHT
from accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY, SIGNED_OUT_ABSOLUTE, SIGNED_OUT_IDLE
from core.models import AuditEvent
from partnerships.services import organisation_update
from tests.accounts.factories import PASSWORD, UserFactory, totp_code
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _password(client: Client, email: str, password: str = PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password, "next": next_url})


def test_officer_signs_in_with_password_then_code_and_reaches_home(client: Client) -> None:
    user = UserFactory()
    response = _password(client, user.email)
    assert response.status_code == 302
    # The password alone does not open any page: the second factor is asked for first.
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-verify"))
    response = client.post(reverse("otp-verify"), {"code": totp_code(user), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Your problems" in response.text
    verbs = list(AuditEvent.objects.filter(actor=user).values_list("verb", flat=True))
    assert "accounts.user.signed_in" in verbs
    assert "accounts.user.second_factor_verified" in verbs


def test_email_is_matched_whatever_its_case(client: Client) -> None:
    user = UserFactory(email="mixed@example.test")
    _password(client, "Mixed@Example.TEST")
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_wrong_password_gets_a_clear_message_and_no_session(client: Client) -> None:
    user = UserFactory()
    response = _password(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert SIGN_IN_NOT_RIGHT in response.text
    assert "There is a problem" in response.text  # the error summary
    assert user.email in response.text  # what the user typed is kept
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="accounts.user.sign_in_failed", detail__email=user.email).exists()


def test_wrong_code_gets_a_clear_message_and_stays_unverified(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    response = client.post(reverse("otp-verify"), {"code": "000000"})
    assert response.status_code == 200
    assert services.CODE_NOT_RIGHT in response.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp-verify"))


def test_empty_code_is_asked_for_again(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    response = client.post(reverse("otp-verify"), {"code": ""})
    assert response.status_code == 200
    assert "Enter the code from your authenticator app or a backup code." in response.text


def test_repeated_wrong_codes_are_throttled_with_a_message(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    client.post(reverse("otp-verify"), {"code": "000000"})
    # django-otp now makes the device wait before it accepts another attempt, even a right one.
    response = client.post(reverse("otp-verify"), {"code": totp_code(user)})
    assert services.CODE_THROTTLED.format(seconds=1) in response.text
    assert client.get(reverse("home")).status_code == 302


def test_backup_code_works_once(client: Client) -> None:
    user = UserFactory()
    codes = services.backup_codes_regenerate(actor=user)
    _password(client, user.email)
    response = client.post(reverse("otp-verify"), {"code": codes[0].upper(), "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "You used a backup code. You have 9 left" in response.text

    other = Client()
    _password(other, user.email)
    response = other.post(reverse("otp-verify"), {"code": codes[0]})
    assert services.CODE_NOT_RIGHT in response.text


def test_open_redirect_after_code_is_refused(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    response = client.post(reverse("otp-verify"), {"code": totp_code(user), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client: Client) -> None:
    user = UserFactory()
    for _ in range(4):
        assert SIGN_IN_NOT_RIGHT in _password(client, user.email, "wrong-password").text
    response = _password(client, user.email, "wrong-password")
    assert response.status_code == 429
    assert "This account is locked for 15 minutes" in response.text
    # Even the right password is refused while locked, from any browser.
    response = _password(Client(), user.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client: Client) -> None:
    locked, other = UserFactory(), UserFactory()
    for _ in range(5):
        _password(client, locked.email, "wrong-password")
    response = _password(client, other.email)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(other.pk)


def test_administrator_unlocks_a_locked_account(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    user = world.users["officer"]
    for _ in range(5):
        _password(Client(), user.email, "wrong-password")
    assert _password(Client(), user.email).status_code == 429

    admin = sign_in(Client(), world.users["administrator"])
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Unlocked 1 account(s)." in response.text
    assert _password(client, user.email).status_code == 302
    assert AuditEvent.objects.filter(verb="accounts.user.unlocked", target_id=str(user.pk)).exists()


def test_deactivated_user_cannot_sign_in(client: Client) -> None:
    user = UserFactory()
    services.user_deactivate(actor=None, user=user)
    response = _password(client, user.email)
    assert response.status_code == 200
    # The same message as a wrong password: the page does not reveal that the account exists.
    assert SIGN_IN_NOT_RIGHT in response.text
    assert ACCOUNT_INACTIVE not in response.text
    assert "_auth_user_id" not in client.session


def test_users_of_a_deactivated_organisation_are_signed_out(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    organisation_update(actor=None, organisation=user.organisation, active=False)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert _password(Client(), user.email).status_code == 200


def _age_session(client: Client, *, started: timedelta, last_seen: timedelta) -> None:
    session = client.session
    now = timezone.now()
    session[SESSION_STARTED_KEY] = (now - started).timestamp()
    session[SESSION_LAST_SEEN_KEY] = (now - last_seen).timestamp()
    session.save()


def test_idle_session_ends_after_thirty_minutes_with_a_message(client: Client) -> None:
    sign_in(client, UserFactory())
    _age_session(client, started=timedelta(minutes=40), last_seen=timedelta(minutes=31))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert SIGNED_OUT_IDLE in response.text
    assert "_auth_user_id" not in client.session


def test_active_session_survives_twenty_nine_idle_minutes(client: Client) -> None:
    sign_in(client, UserFactory())
    _age_session(client, started=timedelta(hours=2), last_seen=timedelta(minutes=29))
    assert client.get(reverse("home")).status_code == 200


def test_session_ends_after_twelve_hours_however_active(client: Client) -> None:
    sign_in(client, UserFactory())
    _age_session(client, started=timedelta(hours=12, minutes=1), last_seen=timedelta(minutes=1))
    response = client.get(reverse("home"), follow=True)
    assert SIGNED_OUT_ABSOLUTE in response.text
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_qr_code_and_typed_secret_then_gives_backup_codes(client: Client) -> None:
    user = UserFactory(second_factor=False)
    _password(client, user.email)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("otp-enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert len(secret) == 32
    assert secret in page.text.replace(" ", "")

    wrong = client.post(reverse("otp-enrol"), {"code": "12345"})
    assert "The code is 6 digits, for example 123456." in wrong.text
    assert client.get(reverse("otp-enrol")).context["secret"] == page.context["secret"]  # same key kept

    response = client.post(reverse("otp-enrol"), {"code": totp_code(device), "next": "/"}, follow=True)
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == services.BACKUP_CODE_COUNT
    assert all(code in response.text for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("home")).status_code == 200
    # Shown once only.
    assert client.get(reverse("backup-codes")).context["codes"] is None


def test_wrong_enrolment_code_keeps_the_device_unconfirmed(client: Client) -> None:
    user = UserFactory(second_factor=False)
    _password(client, user.email)
    client.get(reverse("otp-enrol"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp-enrol"), {"code": wrong})
    assert services.CODE_NOT_RIGHT in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp-enrol"))


def test_administrator_reset_of_second_factor_sends_user_to_enrol(client: Client) -> None:
    user = UserFactory()
    services.user_reset_second_factor(actor=None, user=user)
    _password(client, user.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp-enrol"))


def test_sign_out_ends_the_session(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(verb="accounts.user.signed_out", actor=user).exists()


def test_admin_site_needs_the_second_factor(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["administrator"]
    sign_in(client, admin, verified=False)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("otp-verify"))
    client.post(reverse("otp-verify"), {"code": totp_code(admin)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_user_lookup_and_organisation_come_in_one_query(client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    sign_in(client, user)
    client.get(reverse("home"))
    # 1 the session, 2 the user joined with their organisation, 3 the OTP device of the session,
    # 4 the first of the officer's open problems in each stage ("My problems"), 5 how many they
    # lead in each stage (capped counts), 6 their reviews due, 7 the events they recorded (none,
    # so no groups), 8 the priorities awaiting an action, 9 the handovers awaiting their
    # acknowledgement.
    # (The session's last-seen time is written at most once a minute, so no extra query here.)
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    assert response.context["organisation"].name == user.organisation.name
    assert response.context["user"].pk == user.pk


# --- over-long input at sign-in (outside security test, issue 15 item 6) -----------------------


@pytest.mark.parametrize("length", [256, 10_000])
def test_an_over_long_email_address_is_refused_by_the_form_before_any_attempt_is_counted(
    client: Client, length: int
) -> None:
    # django-axes' lockout record holds 255 characters: a longer address once reached it (a 500).
    response = _password(client, "a" * length, "some-password")
    assert response.status_code == 200
    assert EMAIL_TOO_LONG in response.text
    assert "There is a problem" in response.text
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


def test_an_address_of_the_longest_allowed_length_is_checked_as_any_other(client: Client) -> None:
    address = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * (EMAIL_MAX_LENGTH - 64 - 1 - 63 - 1 - 63 - 1)}"
    assert len(address) == EMAIL_MAX_LENGTH
    response = _password(client, address, "some-password")
    assert response.status_code == 200
    assert SIGN_IN_NOT_RIGHT in response.text
    assert AccessAttempt.objects.get().username == address


def test_an_over_long_password_gets_the_usual_message(client: Client) -> None:
    user = UserFactory()
    response = _password(client, user.email, "p" * 10_000)
    assert response.status_code == 200
    assert SIGN_IN_NOT_RIGHT in response.text


def test_lockout_records_never_receive_more_than_their_column_holds(rf) -> None:  # type: ignore[no-untyped-def]
    # Defence in depth for any caller of authenticate() other than the sign-in form.
    request = rf.post(reverse("login"))
    assert authenticate(request, username="a" * 10_000, password="some-password") is None
    assert len(AccessAttempt.objects.get().username) == 255


@pytest.mark.parametrize("length", [256, 10_000])
def test_an_over_long_code_at_the_second_factor_gets_a_form_error(client: Client, length: int) -> None:
    user = UserFactory()
    _password(client, user.email)
    response = client.post(reverse("otp-verify"), {"code": "1" * length})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp-verify"))


def test_an_over_long_enrolment_code_gets_a_form_error(client: Client) -> None:
    user = UserFactory(second_factor=False)
    _password(client, user.email)
    response = client.post(reverse("otp-enrol"), {"code": "1" * 10_000})
    assert response.status_code == 200
    assert "The code is 6 digits, for example 123456." in response.text


@pytest.mark.parametrize("length", [256, 10_000])
def test_an_over_long_address_for_a_password_reset_gets_a_form_error(client: Client, length: int) -> None:
    response = client.post(reverse("password-reset"), {"email": "a" * length + "@example.test"})
    assert response.status_code == 200
    assert "There is a problem" in response.text


# --- the session key at the second factor (issue 15 item 7) ------------------------------------


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _opens_home_with(key: str) -> bool:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other.get(reverse("home")).status_code == 200


def test_the_session_key_changes_when_the_second_factor_is_verified(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    before = _session_key(client)
    response = client.post(reverse("otp-verify"), {"code": totp_code(user), "next": "/"})
    assert response["Location"] == "/"
    after = _session_key(client)
    assert after != before
    assert _opens_home_with(after)
    # The key known before the second factor opens nothing: a planted or seen key is worthless.
    assert not _opens_home_with(before)
    assert not Session.objects.filter(session_key=before).exists()


def test_the_session_key_changes_when_a_backup_code_is_used(client: Client) -> None:
    user = UserFactory()
    codes = services.backup_codes_regenerate(actor=user)
    _password(client, user.email)
    before = _session_key(client)
    client.post(reverse("otp-verify"), {"code": codes[0]})
    assert _session_key(client) != before
    assert not _opens_home_with(before)


def test_the_session_key_changes_when_the_second_factor_is_set_up(client: Client) -> None:
    user = UserFactory(second_factor=False)
    _password(client, user.email)
    client.get(reverse("otp-enrol"))
    device = TOTPDevice.objects.get(user=user)
    before = _session_key(client)
    response = client.post(reverse("otp-enrol"), {"code": totp_code(device)})
    assert response.status_code == 302
    assert _session_key(client) != before
    assert not _opens_home_with(before)
    # The new backup codes, kept in the session, survive the change of key.
    assert len(client.get(response["Location"]).context["codes"]) == services.BACKUP_CODE_COUNT


def test_a_wrong_code_leaves_the_session_key_alone(client: Client) -> None:
    user = UserFactory()
    _password(client, user.email)
    before = _session_key(client)
    client.post(reverse("otp-verify"), {"code": "000000"})
    assert _session_key(client) == before
