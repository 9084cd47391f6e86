"""Problem pages: the list with its search, filters, overdue marks and pagination; logging a problem;
editing it. Invalid input keeps what was typed and changes nothing; nothing gives a server error."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.forms import LATITUDE_INVALID
from core.models import AuditEvent
from problems.forms.problems import (
    CATEGORY_CHOICE_INVALID,
    NEIGHBOURHOOD_CHOICE_INVALID,
    OWNER_CHOICE_INVALID,
    STAGE_CHOICE_INVALID,
)
from problems.models import Problem, ProblemCategory, RiskLevel, Stage
from problems.services import problems as services
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory, force_neighbourhood

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _listed(response: Any) -> list[str]:
    return [problem.reference for problem in response.context["page"]]


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Problem.objects.order_by("pk").values()),
        list(Problem.named_users.through.objects.order_by("pk").values()),
        AuditEvent.objects.filter(verb__startswith="problems.").count(),
    )


# --- the list -----------------------------------------------------------------------------------


def test_list_shows_visible_problems_with_stage_category_owner_and_log_button(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Drinking at the parade")
    ProblemFactory(title="Another force's problem")
    response = _client(world, "officer").get(reverse("problem-list"))
    assert response.status_code == 200
    assert _listed(response) == [problem.reference]
    assert "Drinking at the parade" in response.text
    assert "Another force" not in response.text
    assert "Scanning" in response.text
    assert problem.category.name in response.text
    assert world.users["officer"].full_name in response.text
    assert "Log a problem" in response.text


def test_analyst_sees_the_list_without_the_log_button(world: World) -> None:
    ProblemFactory(force=world.force, owner=world.users["officer"])
    response = _client(world, "analyst").get(reverse("problem-list"))
    assert len(_listed(response)) == 1
    assert "Log a problem" not in response.text


def test_partners_and_administrators_see_an_empty_list(world: World) -> None:
    ProblemFactory(force=world.force, owner=world.users["officer"])
    for persona in ("partner_lead", "administrator"):
        assert _listed(_client(world, persona).get(reverse("problem-list"))) == [], persona


def test_overdue_problems_are_marked_review_overdue(world: World) -> None:
    overdue = ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(-1))
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(3))
    response = _client(world, "officer").get(reverse("problem-list"))
    assert response.text.count("Review overdue") == 1
    row = response.text.split(f'data-problem="{overdue.reference}"', 1)[1].split("</tr>", 1)[0]
    assert "Review overdue" in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "graffiti"}, ["graffiti"]),
        ({"stage": "analysis"}, ["analysis"]),
        ({"category": "drugs"}, ["drugs"]),
        ({"area": "<riverside>"}, ["riverside"]),
        ({"owner": "me"}, ["graffiti", "analysis", "drugs", "riverside", "overdue"]),
        ({"overdue": "on"}, ["overdue"]),
        ({"restricted": "yes"}, ["restricted"]),
        ({"restricted": "no"}, ["graffiti", "analysis", "drugs", "riverside", "overdue", "supervisors"]),
    ],
)
def test_each_list_filter_works(world: World, query: dict[str, str], expected: list[str]) -> None:
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    made = {
        "graffiti": ProblemFactory(force=world.force, owner=officer, title="Graffiti on the bridge"),
        "analysis": ProblemFactory(force=world.force, owner=officer, stage=Stage.ANALYSIS),
        "drugs": ProblemFactory(force=world.force, owner=officer, category=ProblemCategory.objects.get(code="drugs")),
        "riverside": ProblemFactory(force=world.force, owner=officer, neighbourhood="Riverside North"),
        "overdue": ProblemFactory(force=world.force, owner=officer, next_review_date=_days(-5)),
        "supervisors": ProblemFactory(force=world.force, owner=supervisor),
        "restricted": ProblemFactory(force=world.force, owner=supervisor, restricted=True),
    }
    if "category" in query:
        query = {"category": str(ProblemCategory.objects.get(code=query["category"]).pk)}
    if "area" in query:
        query = {"area": str(made["riverside"].neighbourhood_id)}
    response = _client(world, "supervisor" if "restricted" in query else "officer").get(reverse("problem-list"), query)
    assert sorted(_listed(response)) == sorted(made[name].reference for name in expected)


def test_restricted_problems_are_absent_from_another_officers_list(world: World) -> None:
    restricted = ProblemFactory(force=world.force, owner=world.users["officer"], restricted=True)
    other = sign_in(Client(), UserFactory(role=Role.OFFICER, organisation=world.force))
    response = other.get(reverse("problem-list"))
    assert restricted.reference not in response.text
    assert _listed(response) == []
    assert restricted.reference in _listed(_client(world, "officer").get(reverse("problem-list")))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stage": "finished"}, STAGE_CHOICE_INVALID),
        ({"category": "999999"}, CATEGORY_CHOICE_INVALID),
        ({"category": "asb"}, CATEGORY_CHOICE_INVALID),
        ({"owner": "someone"}, OWNER_CHOICE_INVALID),
        ({"restricted": "maybe"}, "Choose restricted or not restricted from the list."),
        ({"area": "Eastgate"}, NEIGHBOURHOOD_CHOICE_INVALID),
        ({"area": "999999"}, NEIGHBOURHOOD_CHOICE_INVALID),
    ],
)
def test_bad_filter_values_show_a_message_in_the_error_summary_not_an_error(
    world: World, query: dict[str, str], message: str
) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    response = _client(world, "officer").get(reverse("problem-list"), query)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert _listed(response) == [problem.reference]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5"])
def test_bad_page_numbers_show_a_page_not_an_error(world: World, page: str) -> None:
    ProblemFactory(force=world.force, owner=world.users["officer"])
    assert _client(world, "officer").get(reverse("problem-list"), {"page": page}).status_code == 200


def test_list_is_paginated_25_to_a_page_keeping_the_filters(world: World) -> None:
    for _ in range(26):
        ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Northgate")
    ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Southgate")
    area = str(force_neighbourhood(world.force, "Northgate").pk)
    client = _client(world, "officer")
    first = client.get(reverse("problem-list"), {"area": area})
    assert len(_listed(first)) == 25
    assert "page 1 of 2" in first.text
    assert f"?area={area}&amp;page=2" in first.text
    assert len(_listed(client.get(reverse("problem-list"), {"area": area, "page": "2"}))) == 1


def test_the_area_filter_offers_the_forces_active_neighbourhoods_only(world: World) -> None:
    force_neighbourhood(world.force, "Northgate")
    NeighbourhoodFactory(name="Old Town", organisation=world.force, active=False)
    NeighbourhoodFactory(name="Farfield", organisation=PoliceForceFactory(name="Southshire Police"))
    choices = _client(world, "officer").get(reverse("problem-list")).context["form"].fields["area"].queryset
    assert [n.name for n in choices] == ["Northgate"]


def test_list_keeps_the_same_query_count_with_1_and_with_5_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "officer")

    def count_queries(rows: int) -> None:
        while Problem.objects.count() < rows:
            owner = UserFactory(role=Role.OFFICER, organisation=world.force)
            ProblemFactory(force=world.force, owner=owner, next_review_date=_days(-1))
        client.get(reverse("problem-list"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the paginator's
        # count, 5 the page of problems with category, owner, owning organisation and
        # neighbourhood (one JOIN), 6 the categories of the category filter, 7 the force's
        # neighbourhoods of the neighbourhood filter (a list to choose from since issue 17), 8 the
        # audit event recording the search (core.audit.audit_list_search, issue 18).
        with django_assert_num_queries(8):
            response = client.get(reverse("problem-list"), {"q": "Street"})
        assert len(_listed(response)) == rows

    count_queries(1)
    count_queries(5)


def test_list_takes_get_only(world: World) -> None:
    assert _client(world, "officer").post(reverse("problem-list")).status_code == 405


# --- logging a problem --------------------------------------------------------------------------


def _form_data(world: World, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Street drinking at Market Parade",
        "description": "Groups drinking outside the shops every evening.",
        "category": str(ProblemCategory.objects.get(code="asb").pk),
        "source": "community_report",
        "risk_level": "high",
        "opened_on": "",
        "neighbourhood": str(force_neighbourhood(world.force).pk),
        "address": "Market Parade",
        "lsoa_code": "E01012345",
        "latitude": "53.480759",
        "longitude": "-2.242631",
        "radius_m": "250",
    }
    data.update(overrides)
    return data


def test_officer_logs_a_problem_and_is_sent_to_its_page(world: World) -> None:
    response = _client(world, "officer").post(reverse("problem-create"), _form_data(world))
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/"
    assert problem.owner == world.users["officer"]
    assert problem.reference == f"PRB-{timezone.localdate().year}-00001"
    assert problem.next_review_date == _days(14)
    assert (problem.radius_m, problem.lsoa_code) == (250, "E01012345")
    assert AuditEvent.objects.filter(verb="problems.problem.created").count() == 1


def test_log_form_offers_police_colleagues_of_the_force_to_name(world: World) -> None:
    response = _client(world, "officer").get(reverse("problem-create"))
    assert response.status_code == 200
    named = response.context["form"].fields["named_users"].queryset
    assert world.users["analyst"] in named
    assert world.users["partner_member"] not in named
    assert "Log the problem" in response.text


def test_officer_logs_a_restricted_problem_naming_a_colleague(world: World) -> None:
    analyst = world.users["analyst"]
    data = _form_data(world, restricted="on", named_users=str(analyst.pk))
    _client(world, "officer").post(reverse("problem-create"), data)
    problem = Problem.objects.get()
    assert problem.restricted
    assert list(problem.named_users.all()) == [analyst]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the problem."),
        ({"latitude": "north"}, LATITUDE_INVALID),
        ({"longitude": ""}, services.LATITUDE_WITHOUT_LONGITUDE),
        ({"latitude": "", "longitude": ""}, services.RADIUS_WITHOUT_LOCATION),
        ({"lsoa_code": "X99"}, services.LSOA_CODE_INVALID),
        ({"category": "999999"}, CATEGORY_CHOICE_INVALID),
        ({"opened_on": "31/02/2026"}, "Enter a real date"),
        ({"named_users": "999999"}, "Choose people from the list."),
        ({"neighbourhood": ""}, NEIGHBOURHOOD_CHOICE_INVALID),
        ({"neighbourhood": "999999"}, NEIGHBOURHOOD_CHOICE_INVALID),
        ({"neighbourhood": "Eastgate"}, NEIGHBOURHOOD_CHOICE_INVALID),
        ({"neighbourhood": "<other force>"}, NEIGHBOURHOOD_CHOICE_INVALID),
        ({"neighbourhood": "<retired>"}, NEIGHBOURHOOD_CHOICE_INVALID),
    ],
)
def test_invalid_problem_shows_the_error_summary_keeps_what_was_typed_and_creates_nothing(
    world: World, overrides: dict[str, str], message: str
) -> None:
    if overrides.get("neighbourhood") == "<other force>":
        elsewhere = NeighbourhoodFactory(name="Farfield", organisation=PoliceForceFactory(name="Southshire Police"))
        overrides = {"neighbourhood": str(elsewhere.pk)}
    elif overrides.get("neighbourhood") == "<retired>":
        overrides = {"neighbourhood": str(NeighbourhoodFactory(organisation=world.force, active=False).pk)}
    before = _snapshot()
    response = _client(world, "officer").post(reverse("problem-create"), _form_data(world, **overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'value="Market Parade"' in response.text
    assert "Groups drinking outside the shops every evening." in response.text
    assert _snapshot() == before


def test_analyst_cannot_log_a_problem(world: World) -> None:
    client = _client(world, "analyst")
    assert client.get(reverse("problem-create")).status_code == 403
    assert client.post(reverse("problem-create"), _form_data(world)).status_code == 403
    assert not Problem.objects.exists()


# --- editing ------------------------------------------------------------------------------------


def test_edit_form_is_filled_with_the_problem(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="The title as it is")
    response = _client(world, "officer").get(reverse("problem-edit", args=[problem.pk]))
    assert response.status_code == 200
    assert 'value="The title as it is"' in response.text
    assert f'<option value="{problem.neighbourhood_id}" selected>Eastgate</option>' in response.text
    assert "Set the next review date from today by the risk level" in response.text


def test_edit_form_keeps_a_retired_neighbourhood_the_problem_is_in_but_offers_no_other(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Old Town")
    problem.neighbourhood.active = False
    problem.neighbourhood.save()
    NeighbourhoodFactory(name="Older Town", organisation=world.force, active=False)
    force_neighbourhood(world.force, "Eastgate")
    client = _client(world, "officer")
    offered = client.get(reverse("problem-edit", args=[problem.pk])).context["form"].fields["neighbourhood"].queryset
    assert [n.name for n in offered] == ["Eastgate", "Old Town"]
    data = _form_data(world, title="Renamed", neighbourhood=str(problem.neighbourhood_id))
    assert client.post(reverse("problem-edit", args=[problem.pk]), data).status_code == 302
    problem.refresh_from_db()
    assert (problem.title, problem.neighbourhood.name) == ("Renamed", "Old Town")
    new_form = client.get(reverse("problem-create")).context["form"].fields["neighbourhood"].queryset
    assert [n.name for n in new_form] == ["Eastgate"]


def test_owner_edits_a_problem_and_is_sent_to_its_page(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(20))
    data = _form_data(world, title="Renamed", risk_level="low")
    response = _client(world, "officer").post(reverse("problem-edit", args=[problem.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/"
    problem.refresh_from_db()
    assert (problem.title, problem.risk_level, problem.next_review_date) == ("Renamed", RiskLevel.LOW, _days(20))


def test_supervisor_restricts_a_problem_and_reschedules_its_review(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=_days(20))
    data = _form_data(world, restricted="on", named_users=str(world.users["analyst"].pk), reschedule_review="on")
    _client(world, "supervisor").post(reverse("problem-edit", args=[problem.pk]), data)
    problem.refresh_from_db()
    assert problem.restricted
    assert problem.next_review_date == _days(14)
    detail = AuditEvent.objects.get(verb="problems.problem.updated").detail
    assert detail["restricted"] == {"before": False, "after": True}
    assert detail["named_users"] == {"before": [], "after": [world.users["analyst"].pk]}


def test_invalid_edit_shows_the_error_summary_keeps_what_was_typed_and_changes_nothing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Kept title")
    before = _snapshot()
    data = _form_data(world, title="Typed title", lsoa_code="nonsense")
    response = _client(world, "officer").post(reverse("problem-edit", args=[problem.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert services.LSOA_CODE_INVALID in response.text
    assert 'value="Typed title"' in response.text
    assert "Edit " + problem.reference in response.text
    assert _snapshot() == before


def test_another_officer_gets_403_on_edit_and_changes_nothing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    before = _snapshot()
    other = sign_in(Client(), UserFactory(role=Role.OFFICER, organisation=world.force))
    url = reverse("problem-edit", args=[problem.pk])
    assert other.get(url).status_code == 403
    assert other.post(url, _form_data(world, title="Hijacked")).status_code == 403
    assert _snapshot() == before


def test_restricted_problem_edit_page_is_not_found_for_other_officers(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["supervisor"], restricted=True)
    client = _client(world, "officer")
    assert client.get(reverse("problem-edit", args=[problem.pk])).status_code == 404
    assert client.post(reverse("problem-edit", args=[problem.pk]), _form_data(world)).status_code == 404


def test_closed_problem_edit_shows_the_message_and_changes_nothing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED)
    before = _snapshot()
    response = _client(world, "supervisor").post(reverse("problem-edit", args=[problem.pk]), _form_data(world))
    assert response.status_code == 200
    assert services.PROBLEM_CLOSED in response.text
    assert _snapshot() == before


def test_bad_ids_are_not_found(world: World) -> None:
    client = _client(world, "officer")
    assert client.get("/problems/999999/edit/").status_code == 404
    assert client.get("/problems/0/review/").status_code == 404
