"""The public "You said, we did" page of a neighbourhood: no sign-in; only priorities adopted at
some point, in police.uk's shape (issue, action, issue date, action date); nothing personal; as
HTML, CSV and JSON; unknown neighbourhoods are 404; the query count does not grow with the rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from engagement.models import PriorityStatus
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.engagement.factories import add_action, make_event, make_priority, neighbourhood_for
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

ISSUE_DATE = datetime.date(2026, 3, 4)


@pytest.fixture
def published(world: World) -> dict[str, str]:
    """One priority in every status, each made by a named officer at a meeting with attendees."""
    eastgate = neighbourhood_for(world)
    officer = UserFactory(
        role=Role.OFFICER, organisation=world.force, full_name="Priya Constable", email="priya@police.test"
    )
    meeting = make_event(eastgate, by=officer, attendees=4321, issues_raised="Mrs Whitfield at no. 12 complained.")
    texts = {}
    for status in PriorityStatus.values:
        issue = f"Issue that is {status}"
        priority = make_priority(eastgate, by=officer, status=status, issue=issue, issue_date=ISSUE_DATE, event=meeting)
        if priority.is_published:
            add_action(priority, f"Early action on {status}", ISSUE_DATE + datetime.timedelta(days=3))
            add_action(priority, f"Latest action on {status}", ISSUE_DATE + datetime.timedelta(days=9))
        texts[status] = issue
    return texts


def test_public_page_needs_no_sign_in_and_lists_only_adopted_priorities(world: World, published) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("you-said-we-did", kwargs={"slug": "eastgate"}))
    assert response.status_code == 200
    text = response.content.decode()
    for status in (PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS, PriorityStatus.RESOLVED):
        assert published[status] in text
        assert f"Latest action on {status}" in text
    assert published[PriorityStatus.PROPOSED] not in text
    assert published[PriorityStatus.NOT_ADOPTED] not in text


def test_public_page_contains_nothing_personal(world: World, published) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for name in ("you-said-we-did", "you-said-we-did-csv", "you-said-we-did-json"):
        text = client.get(reverse(name, kwargs={"slug": "eastgate"})).content.decode()
        for personal in ("Priya", "priya@police.test", "Whitfield", "4321", "Not for the police"):
            assert personal not in text, (name, personal)


def test_csv_has_the_police_uk_shape_with_the_latest_action(world: World, published) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("you-said-we-did-csv", kwargs={"slug": "eastgate"}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["issue", "issue-date", "action", "action-date", "status"]
    by_issue = {row["issue"]: row for row in rows}
    assert set(by_issue) == {published[s] for s in ("adopted", "in_progress", "resolved")}
    row = by_issue[published["resolved"]]
    assert row["issue-date"] == "2026-03-04"
    assert row["action"] == "Latest action on resolved"
    assert row["action-date"] == "2026-03-13"


def test_json_has_the_police_uk_shape(world: World, published) -> None:  # type: ignore[no-untyped-def]
    data = Client().get(reverse("you-said-we-did-json", kwargs={"slug": "eastgate"})).json()
    assert data["neighbourhood"] == "Eastgate"
    assert {tuple(sorted(item)) for item in data["priorities"]} == {
        ("action", "action-date", "issue", "issue-date", "status")
    }
    assert len(data["priorities"]) == 3


def test_an_adopted_priority_with_no_action_yet_has_empty_action_fields(world: World) -> None:
    make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED, issue="Noise.")
    data = Client().get(reverse("you-said-we-did-json", kwargs={"slug": "eastgate"})).json()
    assert data["priorities"] == [
        {
            "issue": "Noise.",
            "issue-date": data["priorities"][0]["issue-date"],
            "action": None,
            "action-date": None,
            "status": "Adopted",
        }
    ]


@pytest.mark.parametrize("name", ["you-said-we-did", "you-said-we-did-csv", "you-said-we-did-json"])
def test_unknown_or_inactive_neighbourhood_is_404(world: World, name: str) -> None:
    NeighbourhoodFactory(name="Old ward", slug="old-ward", organisation=world.force, active=False)
    client = Client()
    assert client.get(reverse(name, kwargs={"slug": "nowhere"})).status_code == 404
    assert client.get(reverse(name, kwargs={"slug": "old-ward"})).status_code == 404


def test_public_page_keeps_the_same_query_count_with_1_and_with_5_priorities(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    client = Client()

    def count(rows: int) -> None:
        for _ in range(
            rows - len(client.get(reverse("you-said-we-did", kwargs={"slug": "eastgate"})).context["priorities"])
        ):
            priority = make_priority(eastgate, by=world.users["officer"], status=PriorityStatus.IN_PROGRESS)
            add_action(priority, "Patrols.", priority.issue_date)
            add_action(priority, "More patrols.", priority.issue_date)
        # 1 the neighbourhood, 2 its published priorities, 3 their actions. No session or user:
        # the page reads nothing about who is asking.
        with django_assert_num_queries(3):
            response = client.get(reverse("you-said-we-did", kwargs={"slug": "eastgate"}))
        assert len(response.context["priorities"]) == rows

    count(1)
    count(5)


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(world: World) -> None:
    make_priority(
        neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED, issue="=HYPERLINK(1)"
    )
    response = Client().get(reverse("you-said-we-did-csv", kwargs={"slug": "eastgate"}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["issue"] == "'=HYPERLINK(1)"
