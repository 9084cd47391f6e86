"""Subject-access search: the data protection officer finds a name wherever it appears in their
force's free text (problems, updates, decisions, engagement events, safety plans, survey answers),
never in another force's; every search and every export is recorded (DPA 2018 s.62)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from dataprotection.forms import TERM_REQUIRED, TERM_TOO_SHORT
from dataprotection.selectors.subject_access import PROBLEM_TEXT_FIELDS, snippet, subject_access_search
from dataprotection.services.consultation import SUBJECT_ACCESS_EXPORTED, SUBJECT_ACCESS_SEARCHED
from engagement.models import PlanContribution
from problems.models import Problem
from problems.retention_parts import free_text_fields
from problems.services.contributions import problem_update_add
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.engagement.factories import make_event, make_plan, neighbourhood_for
from tests.evaluation.factories_surveys import add_every_kind, add_response, make_survey
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_decisions import decision

pytestmark = pytest.mark.django_db

NAME = "Jolene Margrave"


def _everywhere(world: World, name: str = NAME) -> dict[str, Any]:
    """The name in one record of every kind the search covers, in the world's force."""
    officer = world.users["officer"]
    problem = ProblemFactory(force=world.force, owner=officer, description=f"Complaints from {name} at number 4.")
    other_problem = ProblemFactory(force=world.force, owner=officer)
    update = problem_update_add(actor=officer, problem=other_problem, text=f"Spoke to {name.upper()} about the noise.")
    third = ProblemFactory(force=world.force, owner=officer)
    entry = decision(problem=third, author=officer, information=f"Neighbour {name.lower()} reported the group.")
    area = neighbourhood_for(world)
    event = make_event(area, by=officer, issues_raised=f"{name} raised parking on the verge.")
    plan = make_plan(area, by=officer, aims=f"Make the alley safe for {name}'s children.")
    PlanContribution.objects.create(
        plan=plan,
        party="residents",
        name=name,
        contribution="Walked the route.",
        contributed_on=event.held_on,
        recorded_by=officer,
    )
    survey = make_survey(world.users["supervisor"])
    questions = add_every_kind(world.users["supervisor"], survey)
    add_response(survey, {questions["agreement"]: 4, questions["text"]: f"Ask {name} about the lights."})
    return {"problem": problem, "update": update, "decision": entry, "event": event, "plan": plan, "survey": survey}


def test_finds_the_name_in_every_kind_of_record_whatever_its_case(world: World) -> None:
    records = _everywhere(world)

    result = subject_access_search(user=world.users["dpo"], term="jolene margrave")

    found = {(m.kind, m.field) for m in result.matches}
    assert found == {
        ("Problem", "Description"),
        ("Problem update", "Update"),
        ("Decision", "Information and intelligence"),
        ("Engagement event", "Issues raised"),
        ("Safety plan", "Aims"),
        ("Safety plan contribution", "Name"),
        ("Survey answer", "Answer to “Anything else?”"),
    }
    by_kind = {m.kind: m for m in result.matches}
    assert by_kind["Problem"].reference == records["problem"].reference
    assert by_kind["Problem"].link == reverse("problem-detail", kwargs={"pk": records["problem"].pk})
    assert by_kind["Problem update"].matched == NAME.upper()
    assert by_kind["Engagement event"].link == reverse("event-detail", kwargs={"pk": records["event"].pk})
    assert by_kind["Survey answer"].link == reverse("survey-results", kwargs={"pk": records["survey"].pk})
    assert by_kind["Safety plan"].snippet == f"Make the alley safe for {NAME}'s children."


def test_another_forces_records_are_not_found(world: World) -> None:
    other_force = PoliceForceFactory(name="Southshire Police")
    other_officer = UserFactory(organisation=other_force, role=Role.OFFICER)
    ProblemFactory(force=other_force, owner=other_officer, description=f"{NAME} again.")
    make_event(NeighbourhoodFactory(organisation=other_force), by=other_officer, issues_raised=f"{NAME} spoke.")
    make_survey_for_other = make_survey(other_officer)
    add_response(make_survey_for_other, {make_survey_for_other.questions.get(): 3})

    assert subject_access_search(user=world.users["dpo"], term=NAME).matches == []

    other_dpo = UserFactory(organisation=other_force, role=Role.DATA_PROTECTION_OFFICER)
    assert {m.kind for m in subject_access_search(user=other_dpo, term=NAME).matches} == {
        "Problem",
        "Engagement event",
    }


def test_a_snippet_is_cut_around_the_match_with_ellipses() -> None:
    text = " ".join(["word"] * 40) + " Jolene Margrave " + " ".join(["more"] * 40)
    before, matched, after = snippet(text, "MARGRAVE") or ("", "", "")
    assert matched == "Margrave"
    assert before.startswith("…")
    assert before.endswith("Jolene ")
    assert after.endswith("…")
    assert len(after) <= 62
    assert snippet("nothing here", "Margrave") is None


def test_the_search_page_shows_every_place_and_records_the_search(world: World) -> None:
    _everywhere(world)
    client = sign_in(Client(), world.users["dpo"])

    response = client.get(reverse("subject-access"), {"q": NAME})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-match ") == 7
    assert f"<mark>{NAME}</mark>" in page
    event = AuditEvent.objects.get(verb=SUBJECT_ACCESS_SEARCHED)
    assert event.actor == world.users["dpo"]
    assert event.detail["term"] == NAME
    assert event.detail["matches"] == 7
    assert event.detail["by_kind"]["Problem"] == 1
    assert len(event.detail["records"]) == 7


def test_the_export_is_a_csv_of_every_place_and_is_recorded_with_its_recipient(world: World) -> None:
    records = _everywhere(world)
    client = sign_in(Client(), world.users["dpo"])

    response = client.get(reverse("subject-access-export"), {"q": NAME})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Kind of record", "Reference", "Field", "Snippet", "Date", "Link"]
    assert len(rows) == 8
    problem_row = next(row for row in rows if row[0] == "Problem")
    assert problem_row[1] == records["problem"].reference
    assert problem_row[5].endswith(reverse("problem-detail", kwargs={"pk": records["problem"].pk}))
    event = AuditEvent.objects.get(verb=SUBJECT_ACCESS_EXPORTED)
    assert event.detail["recipient"]["user"] == world.users["dpo"].pk
    assert event.detail["matches"] == 7


def test_a_name_typed_like_a_formula_is_exported_as_text(world: World) -> None:
    officer = world.users["officer"]
    ProblemFactory(force=world.force, owner=officer, description="=HYPERLINK(evil) Margrave")
    client = sign_in(Client(), world.users["dpo"])

    rows = list(
        csv.reader(io.StringIO(client.get(reverse("subject-access-export"), {"q": "Margrave"}).content.decode()))
    )

    assert rows[1][3] == "'=HYPERLINK(evil) Margrave"


@pytest.mark.parametrize(("term", "message"), [("", TERM_REQUIRED), (" a ", TERM_TOO_SHORT)])
def test_a_missing_or_short_term_is_refused_with_a_message_and_not_searched(
    world: World, term: str, message: str
) -> None:
    client = sign_in(Client(), world.users["dpo"])

    response = client.get(reverse("subject-access"), {"q": term})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(verb=SUBJECT_ACCESS_SEARCHED).exists()
    export = client.get(reverse("subject-access-export"), {"q": term})
    assert export.status_code == 302
    assert not AuditEvent.objects.filter(verb=SUBJECT_ACCESS_EXPORTED).exists()


def test_nothing_found_says_so_and_is_still_recorded(world: World) -> None:
    client = sign_in(Client(), world.users["dpo"])
    response = client.get(reverse("subject-access"), {"q": "Nobody Atall"})
    assert "does not appear in the records searched" in response.content.decode()
    assert AuditEvent.objects.get(verb=SUBJECT_ACCESS_SEARCHED).detail["matches"] == 0


@pytest.mark.parametrize("copies", [1, 5])
def test_search_query_count_does_not_grow_with_what_it_finds(
    world: World, copies: int, django_assert_num_queries: Any
) -> None:
    for _ in range(copies):
        _everywhere(world)
    client = sign_in(Client(), world.users["dpo"])
    # Session, user, OTP device; one query per kind of record (problems, updates, decisions,
    # reviews, response actions, engagement events, priorities, safety plans, their contributions
    # and actions, survey answers: 11); the audit event (one INSERT: on PostgreSQL its trigger
    # sets the chain).
    with django_assert_num_queries(3 + 11 + 1):
        response = client.get(reverse("subject-access"), {"q": NAME})
    assert response.content.decode().count("data-match ") == 7 * copies


def test_more_rows_of_a_kind_than_shown_are_announced(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataprotection.selectors import subject_access

    monkeypatch.setattr(subject_access, "ROWS_PER_KIND", 2)
    for _ in range(3):
        ProblemFactory(force=world.force, owner=world.users["officer"], description=f"{NAME} again.")
    client = sign_in(Client(), world.users["dpo"])

    page = client.get(reverse("subject-access"), {"q": NAME}).content.decode()

    assert page.count("data-match ") == 2
    assert "More than 2 records of these kinds match" in page
    assert AuditEvent.objects.get(verb=SUBJECT_ACCESS_SEARCHED).detail["truncated"] == ["Problem"]


def test_finds_the_name_in_the_demand_the_perceived_and_defined_problem_and_the_aims(world: World) -> None:
    """Issue 20's text fields: the demand notes name who complained, and any of them may name a person."""
    officer = world.users["officer"]
    fields = ("demand_note", "perceived_problem", "defined_problem", "perceived_aim", "defined_aim", "aim_evaluation")
    for name in fields:
        ProblemFactory(force=world.force, owner=officer, **{name: f"Raised by {NAME} of number 4."})
    result = subject_access_search(user=world.users["dpo"], term=NAME)
    labels = [str(Problem._meta.get_field(name).verbose_name) for name in fields]
    assert sorted(m.field for m in result.matches) == sorted(label[:1].upper() + label[1:] for label in labels)


def test_every_free_text_column_of_a_problem_is_searched() -> None:
    """A text column added to problems later is searched too, or this fails (the LSOA code is a
    code, not a person's data)."""
    assert set(free_text_fields(Problem, keep=("lsoa_code",))) <= set(PROBLEM_TEXT_FIELDS)
