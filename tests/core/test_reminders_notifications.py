"""In-app notifications: the bell's unread count, the notifications page and marking read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent, Notification
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


def notify(user: User, title: str = "Review of PRB-1 due today", **fields: Any) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="problems.review_due_today", title=title, link="/problems/", **fields
    )


@pytest.fixture
def officer_client(world: World) -> Client:
    return sign_in(Client(), world.users["officer"])


def test_the_bell_shows_the_unread_count(world: World, officer_client: Client) -> None:
    officer = world.users["officer"]
    notify(officer)
    notify(officer)
    read = notify(officer)
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-20T10:00:00Z")
    notify(world.users["supervisor"])

    page = officer_client.get(reverse("home"))
    assert '2<span class="visually-hidden"> unread</span>' in page.text


def test_the_bell_costs_no_query_of_its_own(world: World, officer_client: Client) -> None:
    """The count is loaded with the user (accounts.backends): a page takes the same queries with
    and without unread notifications, and none of them counts notifications on its own."""
    url = reverse("notification-settings")
    with CaptureQueriesContext(connection) as before:
        officer_client.get(url)
    notify(world.users["officer"])
    with CaptureQueriesContext(connection) as after:
        page = officer_client.get(url)
    assert '1<span class="visually-hidden"> unread</span>' in page.text
    assert len(after) == len(before)
    notification_queries = [q["sql"] for q in after.captured_queries if "core_notification" in q["sql"]]
    assert len(notification_queries) == 1
    assert 'FROM "accounts_user"' in notification_queries[0]


def test_anonymous_pages_have_no_bell_and_no_notification_query(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("login"))
    assert "Notifications" not in page.text
    assert not [q for q in queries.captured_queries if "core_notification" in q["sql"]]


def test_the_notifications_page_lists_only_the_users_own(world: World, officer_client: Client) -> None:
    notify(world.users["officer"], "Review of PRB-OWN due today")
    notify(world.users["supervisor"], "Review of PRB-OTHER overdue by 9 days")
    page = officer_client.get(reverse("notification-list"))
    assert page.status_code == 200
    assert "PRB-OWN" in page.text
    assert "PRB-OTHER" not in page.text
    assert "<caption>" in page.text


def test_the_notifications_page_says_when_there_are_none(officer_client: Client) -> None:
    assert "You have no notifications" in officer_client.get(reverse("notification-list")).text


@pytest.mark.parametrize("rows", [1, 5])
def test_notifications_page_query_count_is_the_same_for_one_and_five(
    world: World, officer_client: Client, django_assert_num_queries: Any, rows: int
) -> None:
    for n in range(rows):
        notify(world.users["officer"], f"Review of PRB-{n} due today")
    # session, user (with organisation and unread count), second-factor device,
    # count of notifications (paginator), the page of notifications
    with django_assert_num_queries(5):
        officer_client.get(reverse("notification-list"))


def test_marking_a_notification_read_records_it_and_the_count_drops(world: World, officer_client: Client) -> None:
    notification = notify(world.users["officer"])
    response = officer_client.post(reverse("notification-read", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("notification-list")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert AuditEvent.objects.filter(verb="core.notification.read", target_id=str(notification.pk)).count() == 1
    page = officer_client.get(reverse("notification-list"))
    assert 'visually-hidden"> unread' not in page.text
    assert "Read" in page.text

    # Again: nothing changes, no second audit event.
    officer_client.post(reverse("notification-read", kwargs={"pk": notification.pk}))
    assert AuditEvent.objects.filter(verb="core.notification.read").count() == 1


def test_opening_a_notification_marks_it_read_and_goes_to_its_record(world: World, officer_client: Client) -> None:
    notification = notify(world.users["officer"])
    response = officer_client.post(reverse("notification-read", kwargs={"pk": notification.pk}), {"open": "1"})
    assert response["Location"] == "/problems/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(world: World) -> None:
    notification = notify(world.users["officer"])
    for persona in ("supervisor", "partner_lead", "administrator"):
        client = sign_in(Client(), world.users[persona])
        assert client.post(reverse("notification-read", kwargs={"pk": notification.pk})).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(world: World, officer_client: Client) -> None:
    notification = notify(world.users["officer"])
    assert officer_client.get(reverse("notification-read", kwargs={"pk": notification.pk})).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_the_users_own(world: World, officer_client: Client) -> None:
    notify(world.users["officer"])
    notify(world.users["officer"])
    theirs = notify(world.users["supervisor"])
    response = officer_client.post(reverse("notification-read-all"), follow=True)
    assert "2 notifications marked as read." in response.text
    assert not Notification.objects.filter(recipient=world.users["officer"], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
