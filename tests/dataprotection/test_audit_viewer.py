"""The audit viewer: supervisors read their force's events (not the data protection officer's
own work), the DPO all of their force's; filters by who, object, kind of event and date; a CSV
export; every look and export recorded. And searches of list pages are recorded too."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.audit import LIST_SEARCHED_VERB, audit_list_search, audit_record
from core.models import AuditEvent
from dataprotection.forms import DATES_BACKWARDS
from dataprotection.selectors.audit_log import AuditFilters, audit_event_list
from dataprotection.services.consultation import AUDIT_LOG_EXPORTED, AUDIT_LOG_SEARCHED, SUBJECT_ACCESS_SEARCHED
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _verbs(user: Any, **filters: Any) -> set[str]:
    # Less the users' creation, which every test world records.
    events = audit_event_list(user=user, filters=AuditFilters(**filters)).exclude(verb="accounts.user.created")
    return {e.verb for e in events}


@pytest.fixture
def events(world: World) -> dict[str, Any]:
    """Events of the world's force, of another force, and of the DPO's work."""
    officer, partner = world.users["officer"], world.users["partner_member"]
    problem = ProblemFactory(force=world.force, owner=officer, reference="PRB-2026-04242")
    other_force = PoliceForceFactory(name="Southshire Police")
    stranger = UserFactory(organisation=other_force, role=Role.OFFICER)
    other_problem = ProblemFactory(force=other_force, owner=stranger)
    audit_record(actor=officer, verb="problems.problem.updated", target=problem)
    # A partner's view of the force's problem: the force's event, though the actor is not.
    audit_record(actor=partner, verb="problems.problem.consulted", target=problem, detail={"how": "page"})
    # The system reminding the force's officer.
    audit_record(actor=None, verb="accounts.user.reminded", target=officer)
    audit_record(actor=stranger, verb="problems.problem.stage_advanced", target=other_problem)
    audit_record(actor=None, verb="problems.problem.review_overdue", target=other_problem)
    audit_record(actor=world.users["dpo"], verb=SUBJECT_ACCESS_SEARCHED, detail={"term": "Jolene Margrave"})
    return {"problem": problem, "other_problem": other_problem}


def test_a_supervisor_reads_their_forces_events_only_and_not_the_dpos_work(world: World, events: Any) -> None:
    assert _verbs(world.users["supervisor"]) == {
        "problems.problem.updated",
        "problems.problem.consulted",
        "accounts.user.reminded",
    }


def test_the_dpo_reads_every_event_of_their_force_including_their_own_work(world: World, events: Any) -> None:
    assert _verbs(world.users["dpo"]) == {
        "problems.problem.updated",
        "problems.problem.consulted",
        "accounts.user.reminded",
        SUBJECT_ACCESS_SEARCHED,
    }


def test_another_forces_supervisor_reads_only_theirs(world: World, events: Any) -> None:
    theirs = UserFactory(organisation=events["other_problem"].owning_organisation, role=Role.SUPERVISOR)
    assert _verbs(theirs) == {"problems.problem.stage_advanced", "problems.problem.review_overdue"}


def test_filters_by_who_object_kind_of_event_and_date(world: World, events: Any) -> None:
    dpo, problem = world.users["dpo"], events["problem"]
    today = timezone.localdate()
    assert _verbs(dpo, who=world.users["partner_member"].email.upper()) == {"problems.problem.consulted"}
    world.users["officer"].full_name = "Olivia Quayle"
    world.users["officer"].save()
    assert _verbs(dpo, who="quayl") == {"problems.problem.updated"}
    assert _verbs(dpo, target_type="problems.problem", target=problem.reference.lower()) == {
        "problems.problem.updated",
        "problems.problem.consulted",
    }
    assert _verbs(dpo, target=str(problem.pk), target_type="problems.problem") == {
        "problems.problem.updated",
        "problems.problem.consulted",
    }
    assert _verbs(dpo, target_type="accounts.user") == {"accounts.user.reminded"}
    assert _verbs(dpo, verb="problems.problem.cons") == {"problems.problem.consulted"}
    assert _verbs(dpo, verb="dataprotection") == {SUBJECT_ACCESS_SEARCHED}
    assert len(_verbs(dpo, since=today, until=today)) == 4
    assert _verbs(dpo, until=today - datetime.timedelta(days=1)) == set()
    assert _verbs(dpo, since=today + datetime.timedelta(days=1)) == set()


def test_the_page_lists_the_events_and_records_the_look_with_its_filters(world: World, events: Any) -> None:
    client = sign_in(Client(), world.users["supervisor"])

    response = client.get(reverse("audit-log"), {"verb": "problems", "who": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-event="problems.problem.updated"' in page
    assert "Jolene" not in page
    look = AuditEvent.objects.get(verb=AUDIT_LOG_SEARCHED)
    assert look.actor == world.users["supervisor"]
    assert look.detail == {"filters": {"verb": "problems"}, "page": 1}


def test_a_backwards_date_range_is_reported_and_changes_nothing(world: World, events: Any) -> None:
    client = sign_in(Client(), world.users["dpo"])
    response = client.get(reverse("audit-log"), {"since": "2026-11-20", "until": "2026-11-01"})
    assert response.status_code == 200
    assert DATES_BACKWARDS in response.content.decode()
    response = client.get(reverse("audit-log"), {"since": "not a date"})
    assert response.status_code == 200
    assert client.get(reverse("audit-log-export"), {"since": "not a date"}).status_code == 302
    assert not AuditEvent.objects.filter(verb=AUDIT_LOG_EXPORTED).exists()


def test_the_export_is_a_csv_of_the_filtered_events_recorded_with_its_recipient(world: World, events: Any) -> None:
    audit_record(actor=world.users["officer"], verb="problems.problem.updated", detail={"title": "=cmd|calc"})
    client = sign_in(Client(), world.users["supervisor"])

    response = client.get(reverse("audit-log-export"), {"verb": "problems.problem.updated"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Time", "Who", "Email", "Organisation", "Kind of event"]
    assert [row[4] for row in rows[1:]] == ["problems.problem.updated", "problems.problem.updated"]
    assert rows[2][5:7] == ["problems.problem", str(events["problem"].pk)]
    assert all(not row[7].startswith("=") for row in rows[1:])
    export = AuditEvent.objects.get(verb=AUDIT_LOG_EXPORTED)
    assert export.detail["rows"] == 2
    assert export.detail["filters"] == {"verb": "problems.problem.updated"}
    assert export.detail["recipient"]["user"] == world.users["supervisor"].pk


@pytest.mark.parametrize("count", [1, 5])
def test_audit_page_query_count_does_not_grow_with_events(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    for _ in range(count):
        audit_record(actor=world.users["officer"], verb="problems.problem.updated", target=problem)
    client = sign_in(Client(), world.users["dpo"])
    # Session, user, OTP device; the capped count; the page of events with their actors and
    # organisations (one join); the audit event of the look.
    with django_assert_num_queries(6):
        response = client.get(reverse("audit-log"))
    assert response.content.decode().count('data-event="problems.problem.updated"') == count


# --- searches of list pages ---------------------------------------------------------------------


def test_a_list_search_is_recorded_with_its_terms_and_filters(world: World) -> None:
    officer = world.users["officer"]
    client = sign_in(Client(), officer)

    client.get(reverse("problem-list"), {"q": "Margrave", "stage": "", "page": "2"})

    event = AuditEvent.objects.get(verb=LIST_SEARCHED_VERB)
    assert event.actor == officer
    assert event.detail == {"page": "problem-list", "filters": {"q": "Margrave"}}


def test_opening_or_paging_a_list_without_a_search_records_nothing(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])
    client.get(reverse("problem-list"))
    client.get(reverse("problem-list"), {"page": "2", "q": " "})
    assert not AuditEvent.objects.filter(verb=LIST_SEARCHED_VERB).exists()


@pytest.mark.parametrize(
    ("url_name", "persona", "parameters"),
    [
        ("shared-with-us", "partner_member", {"q": "Margrave"}),
        ("event-list", "officer", {"neighbourhood": "1"}),
        ("priority-list", "officer", {"status": "adopted"}),
        ("plan-list", "officer", {"neighbourhood": "1"}),
        ("organisation-list", "officer", {"q": "council"}),
        ("data-source-list", "officer", {"organisation": "1"}),
        ("agreement-list", "officer", {"q": "council"}),
    ],
)
def test_every_list_page_with_a_search_records_it(
    world: World, url_name: str, persona: str, parameters: dict[str, str]
) -> None:
    client = sign_in(Client(), world.users[persona])
    assert client.get(reverse(url_name), parameters).status_code == 200
    event = AuditEvent.objects.get(verb=LIST_SEARCHED_VERB)
    assert event.detail == {"page": url_name, "filters": parameters}


def test_a_list_search_keeps_repeated_values_and_caps_long_ones(world: World) -> None:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.setlist("kind", ["council", "housing"])
    query["q"] = "x" * 5000
    event = audit_list_search(actor=world.users["officer"], page="organisation-list", parameters=query)
    assert event is not None
    assert event.detail["filters"] == {"kind": ["council", "housing"], "q": "x" * 200}
