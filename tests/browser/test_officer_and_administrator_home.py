"""The officer's home page "Engagement" panel and the administrator's home page in a real browser,
with something in every panel: axe-core finds no accessibility violations, no CSP violation is
logged, and the panels' links lead to their pages."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.models import Reminder, ReminderState
from engagement.models import EventKind, PriorityStatus
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.engagement.factories import groups, make_event, make_priority, neighbourhood_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_officer_home_engagement_panel_is_accessible_and_links_to_each_event_and_priority(
    page: Page, world: World
) -> None:
    officer = world.users["officer"]
    eastgate = neighbourhood_for(world, name="Eastgate")
    event = make_event(
        eastgate, by=officer, kind=EventKind.PACT_MEETING, attendees=23, groups_represented=groups("Young people")
    )
    priority = make_priority(eastgate, issue="Speeding on Eastgate Road", status=PriorityStatus.ADOPTED)

    sign_in_browser(page, officer)
    panel = page.get_by_role("region", name="Engagement")
    expect(panel.get_by_role("heading", name="Your recent engagement", level=3)).to_be_visible()
    expect(panel).to_contain_text("in Eastgate: attendees 23; seldom-heard groups reached: Young people")
    expect(panel.get_by_role("heading", name="Priorities with nothing done yet", level=3)).to_be_visible()
    _checked(page)

    panel.get_by_role("link", name=re.compile("PACT meeting")).click()
    expect(page).to_have_url(re.compile(f"/engagement/{event.pk}/$"))
    page.go_back()
    page.get_by_role("region", name="Engagement").get_by_role("link", name="Speeding on Eastgate Road").click()
    expect(page).to_have_url(re.compile(f"/priorities/{priority.pk}/$"))
    page.go_back()
    page.get_by_role("region", name="Engagement").get_by_role("link", name="Log engagement").click()
    expect(page).to_have_url(re.compile("/engagement/new/$"))


def test_administrator_home_is_accessible_and_links_to_the_admin_pages(page: Page, world: World) -> None:
    administrator = world.users["administrator"]
    Reminder.objects.create(
        kind="problems.review_overdue",
        target_type="problems.problem",
        target_id="1",
        due_date=timezone.localdate(),
        recipient=world.users["officer"],
        template="emails/x",
        title="Review of PRB-1 overdue",
        link="/",
        state=ReminderState.FAILED,
    )

    sign_in_browser(page, administrator)
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    expect(
        page.get_by_role("region", name="Reference data").get_by_role("link", name="Problem categories")
    ).to_be_visible()
    reminders = page.get_by_role("region", name="Reminders not delivered")
    expect(reminders).to_contain_text("1 reminder email could not be sent in the last 30 days")
    _checked(page)

    page.get_by_role("region", name="Reference data").get_by_role("link", name="Seldom-heard groups").click()
    expect(page).to_have_url(re.compile("/admin/partnerships/seldomheardgroup/$"))
    page.go_back()
    page.get_by_role("region", name="Reminders not delivered").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/core/reminder/\?state__exact=failed$"))
