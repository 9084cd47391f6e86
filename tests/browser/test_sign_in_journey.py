"""Journeys in a real browser: sign in with password and second factor, enrol an authenticator.
axe-core finds no accessibility violations on the pages, and no CSP violation is logged."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.services import CODE_NOT_RIGHT
from tests.accounts.factories import PASSWORD, UserFactory, totp_code
from tests.browser.conftest import assert_accessible, assert_no_console_errors, axe_violations, sign_out_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_with_password_and_code_and_reaches_home(page: Page) -> None:
    user = UserFactory(full_name="Olivia Officer")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(CODE_NOT_RIGHT)
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # django-otp makes a device wait 1 second after a wrong code
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your problems")).to_be_visible()
    expect(page.get_by_text("Olivia Officer, Neighbourhood officer")).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)

    sign_out_browser(page)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_new_user_enrols_an_authenticator_and_sees_backup_codes(page: Page) -> None:
    user = UserFactory(second_factor=False)
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code from your app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Backup codes")).to_be_visible()
    expect(page.get_by_role("list", name="Your backup codes").get_by_role("listitem")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(page.get_by_role("heading", name="Your problems")).to_be_visible()
    assert_no_console_errors(page)


def test_fields_accept_paste(page: Page) -> None:
    # WCAG 3.3.8 (accessible authentication): pasting a password or code must work.
    page.goto("/sign-in/")
    prevented = page.evaluate(
        """() => [...document.querySelectorAll("input:not([type=hidden])")].map(input => {
            const event = new ClipboardEvent("paste", {bubbles: true, cancelable: true});
            return input.dispatchEvent(event) === false;
        })"""
    )
    assert prevented == [False, False]


def test_wrong_password_message_is_announced_and_email_kept(page: Page) -> None:
    user = UserFactory()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The email address or password is not right.")
    expect(page.get_by_label("Email address")).to_have_value(user.email)
    assert_accessible(page)
    assert_no_console_errors(page)


def test_the_accessibility_check_catches_a_violation(page: Page) -> None:
    # The checker itself: a page with an unlabelled field and an image without text must fail.
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>')
    rules = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= rules
