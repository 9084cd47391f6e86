"""In a real browser: a review reminder reaches the officer under the bell; the notifications page
opens the problem and marks the notification read; the settings page saves a choice. axe-core
finds no violation on any page visited, and no console (CSP) error is logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from core.models import Reminder
from core.reminders import reminders_send, sweep_run
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_officer_sees_a_review_reminder_under_the_bell_and_opens_the_problem(page: Page, live_server: Any) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    officer = UserFactory(role=Role.OFFICER, organisation=force, full_name="Olivia Officer")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    problem = ProblemFactory(
        owning_organisation=force, owner=officer, created_by=officer, next_review_date=timezone.localdate()
    )
    # No broker involved here: the sweep's rows are sent in this process, as a worker would.
    sweep_run("problems.reviews", today=timezone.localdate())
    reminders_send(reminder_ids=list(Reminder.objects.values_list("pk", flat=True)))

    sign_in_browser(page, officer)
    bell = page.get_by_role("link", name="Notifications 1 unread")
    expect(bell).to_be_visible()
    _checked(page)

    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name=f"Review of {problem.reference} due today", exact=True)).to_be_visible()
    _checked(page)

    page.get_by_role("button", name=f"Open Review of {problem.reference} due today").click()
    expect(page.get_by_role("heading", name=problem.title, level=1)).to_be_visible()
    assert page.url.endswith(f"/problems/{problem.pk}/")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.get_by_role("link", name="Notifications", exact=True).click()
    expect(page.get_by_role("cell", name="Read", exact=True)).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Notification settings").click()
    expect(page.get_by_role("heading", name="Notification settings", level=1)).to_be_visible()
    _checked(page)
    page.get_by_label("No, do not email me the digest").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings have been saved.")).to_be_visible()
    _checked(page)
    officer.refresh_from_db()
    assert officer.receives_weekly_digest is False
    assert supervisor.receives_weekly_digest is True
