"""A new user follows their invitation in a real browser: sets a password (after a mistake shown
in the error summary), enrols an authenticator and reaches their home page; the link then no
longer works. axe-core finds no violations on the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts import services
from accounts.models import Role
from tests.accounts.factories import totp_code
from tests.browser.conftest import assert_accessible, assert_no_console_errors
from tests.partnerships.factories import PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "a-long-passphrase-for-a-new-starter"


def test_new_user_follows_the_invitation_sets_a_password_and_enrols(page: Page) -> None:
    user = services.user_create(
        actor=None,
        email="ivy@police.test",
        full_name="Ivy Invitee",
        organisation=PoliceForceFactory(),
        role=Role.OFFICER,
    )
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/invitation/\S+/)", message.body)
    assert link, message.body

    page.goto(link.group(1))
    expect(page).to_have_url(re.compile(r"/set-password/$"))
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    assert_accessible(page)

    # The label ends with the required-field asterisk; "New password confirmation" must not match.
    page.get_by_label(re.compile(r"New password\W*$")).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Set password and continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("This password is too short")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_label(re.compile(r"New password\W*$")).fill(PASSPHRASE)
    page.get_by_label("New password confirmation").fill(PASSPHRASE)
    page.get_by_role("button", name="Set password and continue").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code from your app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Backup codes")).to_be_visible()
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Ivy Invitee")
    assert_no_console_errors(page)

    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="This invitation link no longer works")).to_be_visible()
    assert_accessible(page)
