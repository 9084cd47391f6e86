"""The administrator's home page: organisations and users, the reference lists with their sizes and
links to the admin site, and the number of reminder emails that could not be sent in the last 30
days. Counts and links only: nothing operational (DESIGN.md section 1)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.reference_data import REFERENCE_LISTS
from core.models import Reminder, ReminderState
from partnerships.models import Neighbourhood, Organisation, SeldomHeardGroup
from problems.models import ProblemCategory
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _client(world: World) -> Client:
    return sign_in(Client(), world.users["administrator"])


def _reminder(recipient: User, title: str, state: str = ReminderState.FAILED) -> Reminder:
    return Reminder.objects.create(
        kind="problems.review_overdue",
        target_type="problems.problem",
        target_id=title,
        due_date=timezone.localdate(),
        recipient=recipient,
        template="emails/x",
        title=title,
        link="/",
        state=state,
    )


def _list(text: str, marker: str) -> str:
    assert marker in text, f"{marker} not in the page"
    return text.split(marker, 1)[1].split("</ul>", 1)[0]


def test_administrator_home_links_each_reference_list_to_the_admin_with_its_size(world: World) -> None:
    NeighbourhoodFactory(name="Eastgate", organisation=world.force)
    NeighbourhoodFactory(name="Old Town", organisation=world.force, active=False)
    ProblemCategory.objects.filter(code="asb").update(active=False)
    SeldomHeardGroup.objects.create(name="Carers", active=False)

    panel = _list(_client(world).get(reverse("home")).text, "data-reference-lists")

    categories = ProblemCategory.objects
    groups = SeldomHeardGroup.objects
    expected = {
        "problems_problemcategory": (
            "Problem categories",
            f"{categories.count()} ({categories.filter(active=True).count()} active)",
        ),
        "partnerships_neighbourhood": ("Neighbourhoods", "2 (1 active)"),
        "partnerships_seldomheardgroup": (
            "Seldom-heard groups",
            f"{groups.count()} ({groups.filter(active=True).count()} active)",
        ),
    }
    for name, (label, counts) in expected.items():
        assert f'<a href="{reverse(f"admin:{name}_changelist")}">{label}</a>: {counts}</li>' in panel
    assert categories.filter(active=False).exists()  # the counts above differ from the totals


def test_administrator_home_lists_exactly_the_reference_lists_the_admin_site_manages(world: World) -> None:
    client = _client(world)
    panel = _list(client.get(reverse("home")).text, "data-reference-lists")

    shown = re.findall(r'<a href="([^"]+)">([^<]+)</a>', panel)
    registered = [entry for entry in REFERENCE_LISTS if admin.site.is_registered(entry.model)]
    assert [label for _, label in shown] == [entry.label for entry in registered]
    assert {"Problem categories", "Neighbourhoods", "Seldom-heard groups"} <= {label for _, label in shown}
    for url, label in shown:
        assert client.get(url).status_code == 200, label


def test_administrator_home_counts_active_organisations_and_users(world: World) -> None:
    Organisation.objects.filter(pk=world.unrelated.pk).update(active=False)
    User.objects.filter(pk=world.users["deactivated"].pk).update(is_active=False)

    panel = _list(_client(world).get(reverse("home")).text, "data-admin-accounts")

    organisations = Organisation.objects.filter(active=True).count()
    users = User.objects.filter(is_active=True).count()
    assert organisations == Organisation.objects.count() - 1
    assert (
        f'<a href="{reverse("admin:partnerships_organisation_changelist")}">Organisations</a>: {organisations} active'
        in panel
    )
    assert f'<a href="{reverse("admin:accounts_user_changelist")}">Users</a>: {users} active' in panel


def test_administrator_home_counts_the_reminders_that_failed_in_the_last_30_days_across_organisations(
    world: World,
) -> None:
    _reminder(world.users["officer"], "Review of PRB-1 overdue")
    _reminder(world.users["partner_lead"], "Agreement ISA-3 due for review")
    elsewhere = PoliceForceFactory(name="Southshire Police")
    _reminder(UserFactory(organisation=elsewhere), "Review of PRB-9 overdue")
    _reminder(world.users["officer"], "Review of PRB-2 due today", state=ReminderState.SENT)
    _reminder(world.users["officer"], "Review of PRB-3 due", state=ReminderState.DUE)
    old = _reminder(world.users["officer"], "Long ago")
    Reminder.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    client = _client(world)

    text = client.get(reverse("home")).text

    assert "3 reminder emails could not be sent in the last 30 days" in text
    failed_url = f"{reverse('admin:core_reminder_changelist')}?state__exact=failed"
    assert f'<a href="{failed_url}">See the failed reminders and their errors</a>' in text
    # Counts only: no reminder's title, which names a problem, nor its recipient.
    assert "PRB-" not in text
    assert "ISA-3" not in text
    listed = client.get(failed_url)
    assert listed.status_code == 200
    assert "4 reminders" in listed.text  # the changelist filter the link relies on works (all time)


def test_administrator_home_says_when_every_reminder_went_out_and_shows_no_placeholder(world: World) -> None:
    _reminder(world.users["officer"], "Review of PRB-2 due today", state=ReminderState.SENT)

    text = _client(world).get(reverse("home")).text

    assert "Every reminder email of the last 30 days went out." in text
    assert f'<a href="{reverse("admin:core_reminder_changelist")}">See all reminders</a>' in text
    assert "will be managed here" not in text
    assert "will be listed here" not in text


def test_administrator_home_shows_no_operational_content(world: World) -> None:
    ProblemFactory(force=world.force, owner=world.users["officer"], title="Drug dealing at 12 Acacia Avenue")

    text = _client(world).get(reverse("home")).text

    assert "Acacia Avenue" not in text
    assert f'href="{reverse("problem-list")}' not in text


def test_administrator_home_keeps_the_same_query_count_with_1_and_with_5_rows(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world)

    def count_queries(rows: int) -> None:
        while Neighbourhood.objects.count() < rows:
            NeighbourhoodFactory(organisation=world.force)
            _reminder(world.users["officer"], f"Failed reminder {Neighbourhood.objects.count()}")
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 every count on the
        # page (reference lists, organisations, users, failed reminders) in one SELECT.
        with django_assert_num_queries(4):
            response = client.get(reverse("home"))
        assert response.context["summary"].failed_reminders == rows
        assert f"Neighbourhoods</a>: {rows} ({rows} active)" in response.text

    count_queries(1)
    count_queries(5)


def test_counts_in_one_query_matches_each_querysets_count(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from core.counts import counts_in_one_query

    NeighbourhoodFactory(name="St John's_Wood %", organisation=world.force)
    NeighbourhoodFactory(name="Eastgate", organisation=world.force)
    querysets = {
        "quoted": Neighbourhood.objects.filter(name="St John's_Wood %"),
        "pattern": Neighbourhood.objects.filter(name__startswith="St John's_"),
        "all": Neighbourhood.objects.order_by("-name"),
        "none": Neighbourhood.objects.none(),
        "empty_in": Neighbourhood.objects.filter(pk__in=[]),
    }
    with django_assert_num_queries(1):
        counts = counts_in_one_query(querysets)
    assert counts == {"quoted": 1, "pattern": 1, "all": 2, "none": 0, "empty_in": 0}
    with django_assert_num_queries(0):
        assert counts_in_one_query({"none": Neighbourhood.objects.none()}) == {"none": 0}
