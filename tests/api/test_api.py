"""The API returns what the pages show the same person, no more: a partner reads a shared problem
only as far as its share discloses, every response carrying case data is logged as a consultation
(DPA 2018 s.62), and writes go through the same services as the pages (same checks, same audit)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from problems.models import ActionStatus, ProblemUpdate
from problems.models.sharing import ShareAccess
from problems.services.contributions import ACTION_ALREADY_FINISHED, CONSULTED_VERB, UPDATE_TEXT_REQUIRED
from tests.api.factories import api_world, token_client
from tests.conftest import World
from tests.partnerships.factories_agreements import category
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import canary, canary_problem, share


def _consultations(problem: Any) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(verb=CONSULTED_VERB, target_id=str(problem.pk)).order_by("pk")
    return [event.detail for event in events]


def test_a_partner_reads_only_what_the_share_discloses(world: World) -> None:
    problem = canary_problem(world, pat_offender=(offender := canary()))
    share(world, problem)  # discloses "ASB reports and complaints" only
    withheld_action = ResponseActionFactory(
        problem=problem, description=(secret := canary()), data_category=category("safeguarding")
    )
    shown_action = ResponseActionFactory(problem=problem)
    api, _ = token_client(world.users["partner_member"])

    detail = api.get(f"/api/v1/problems/{problem.pk}/")
    assert detail.status_code == 200
    # Case data is never kept by a cache on the way (api.urls, as the pages).
    assert "no-store" in detail["Cache-Control"]
    body = detail.json()
    assert body["description"] == problem.description
    assert body["pat_offender"] is None  # the triangle names people: not disclosed
    assert body["withheld"] == {"description": False, "statement": False, "triangle": True, "actions": 1}
    actions = api.get(f"/api/v1/problems/{problem.pk}/actions/").json()
    assert [row["id"] for row in actions["results"]] == [shown_action.pk]
    assert actions["withheld"] == 1
    for response in (detail, api.get(f"/api/v1/problems/{problem.pk}/actions/")):
        assert offender not in response.content.decode()
        assert secret not in response.content.decode()
    assert withheld_action.pk not in [row["id"] for row in actions["results"]]


def test_the_force_reads_everything(world: World) -> None:
    problem = canary_problem(world, pat_offender="Known to the team")
    api, _ = token_client(world.users["officer"])
    body = api.get(f"/api/v1/problems/{problem.pk}/").json()
    assert body["pat_offender"] == "Known to the team"
    assert body["withheld"] == {"description": False, "statement": False, "triangle": False, "actions": 0}


def test_every_response_with_case_data_is_logged_as_a_consultation(world: World) -> None:
    built = api_world(world)
    member = world.users["partner_member"]
    api, _ = token_client(member)
    for part in ("", "objectives/", "actions/", "updates/", "decisions/", "reviews/"):
        assert api.get(f"/api/v1/problems/{built.problem.pk}/{part}").status_code == 200
    assert api.get("/api/v1/shared-with-us/").status_code == 200
    assert api.get("/api/v1/problems/").status_code == 200
    logged = _consultations(built.problem)
    assert [entry["endpoint"] for entry in logged] == [
        "problem-detail",
        "problem-objectives",
        "problem-actions",
        "problem-updates",
        "problem-decisions",
        "problem-reviews",
        "shared-with-us",
        "problem-list",
    ]
    assert {entry["how"] for entry in logged} == {"api"}
    # Each names its recipient, as an export does (the data leaves for the partner's own system).
    assert {entry["recipient"]["organisation"] for entry in logged} == {world.partner.pk}


def test_the_police_lists_are_logged_too(world: World) -> None:
    problem = canary_problem(world)
    api, _ = token_client(world.users["officer"])
    assert problem.reference in api.get("/api/v1/problems/").content.decode()
    assert [entry["endpoint"] for entry in _consultations(problem)] == ["problem-list"]


def test_a_partner_with_a_contribute_share_adds_an_update_through_the_service(world: World) -> None:
    problem = share(world, canary_problem(world), access_level=ShareAccess.CONTRIBUTE).problem
    lead = world.users["partner_lead"]
    api, _ = token_client(lead)
    url = f"/api/v1/problems/{problem.pk}/updates/"
    response = api.post(url, {"text": "  Cleared the alley.  "}, content_type="application/json")
    assert response.status_code == 201
    update = ProblemUpdate.objects.get(problem=problem)
    assert (update.text, update.author, update.organisation) == ("Cleared the alley.", lead, world.partner)
    assert response.json()["id"] == update.pk
    assert AuditEvent.objects.filter(verb="problems.update.added", actor=lead, target_id=str(update.pk)).exists()


def test_an_empty_update_is_refused_with_the_services_message_and_nothing_changes(world: World) -> None:
    problem = canary_problem(world)
    api, _ = token_client(world.users["officer"])
    response = api.post(f"/api/v1/problems/{problem.pk}/updates/", {"text": "   "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"text": [UPDATE_TEXT_REQUIRED]}
    assert not ProblemUpdate.objects.exists()


def test_a_partner_completes_its_own_action_once(world: World) -> None:
    built = api_world(world)
    api, _ = token_client(world.users["partner_member"])
    url = f"/api/v1/problems/{built.problem.pk}/actions/{built.action.pk}/complete/"
    response = api.post(url, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == ActionStatus.DONE
    built.action.refresh_from_db()
    assert built.action.status == ActionStatus.DONE
    again = api.post(url, content_type="application/json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": [ACTION_ALREADY_FINISHED]}


def test_an_action_under_another_problem_is_not_found(world: World) -> None:
    built = api_world(world)
    other = share(world, canary_problem(world), access_level=ShareAccess.CONTRIBUTE).problem
    api, _ = token_client(world.users["partner_member"])
    url = f"/api/v1/problems/{other.pk}/actions/{built.action.pk}/complete/"
    assert api.post(url, content_type="application/json").status_code == 404
    built.action.refresh_from_db()
    assert built.action.status != ActionStatus.DONE


def _list_queries(api: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/shared-with-us/").status_code == 200
    return len(queries)


def test_shared_with_us_asks_the_same_queries_for_one_and_five_problems(world: World) -> None:
    api, _ = token_client(world.users["partner_lead"])
    share(world, canary_problem(world))
    _list_queries(api)  # the token's first use is recorded (at most once a minute): not counted
    one = _list_queries(api)
    for _ in range(4):
        share(world, canary_problem(world))
    # Four queries for one row or five: the token with its user and organisation; the count of the
    # shared problems; the page of them; one INSERT of their consultations (core.audit).
    assert _list_queries(api) == one == 4
