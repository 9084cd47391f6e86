"""The fields police problem-solving forms ask for (issue 20; the Metropolitan Police's form among
them): the demand (who asked for the problem to be worked, several sources, and a note), the
perceived problem (as first reported) and the defined problem (after analysis), the perceived and
defined aims and how the work will be evaluated. Written through the problem and SARA services
(audited, over the version the editor saw), shown in the Scanning and Objectives sections of the
problem page and the printable summary."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.concurrency import EditConflict
from core.models import AuditEvent
from problems.forms.problems import DEMAND_SOURCE_CHOICE_INVALID
from problems.models import DemandSourceKind, Problem, ProblemCategory, ProblemDemandSource, Stage
from problems.selectors.access import CANNOT_EDIT
from problems.services import sara as sara_services
from problems.services.problems import DEMAND_SOURCE_INVALID, problem_create, problem_update
from tests.conftest import World, sign_in
from tests.problems.factories import force_neighbourhood
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

NOTE = "Raised by the Eastgate ward panel on 3 March; Cllr Ahmed forwarded three residents' emails."
PERCEIVED = "Drunks taking over the parade and nobody does anything."
DEFINED = "Eight adults, four of them street homeless, drink on the benches of the parade from 14:00 to 21:00."
AIMS = {
    "perceived_aim": "Get them off the parade for good.",
    "defined_aim": "Halve the ASB from street drinking and get the homeless drinkers into support.",
    "aim_evaluation": "ASB calls six months before and after, against the rest of Eastgate.",
}


def _client(world: World, persona: str = "officer") -> Client:
    return sign_in(Client(), world.users[persona])


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


def _problem(world: World, stage: str = Stage.SCANNING, **fields: Any) -> Problem:
    return problem_at(stage, ready=False, force=world.force, owner=world.users["officer"], **fields)


def _kinds(problem: Problem) -> list[str]:
    return sorted(problem.demand_sources.values_list("kind", flat=True))


def _create_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Street drinking at Market Parade",
        "description": "Groups drinking outside the shops every evening.",
        "category": str(ProblemCategory.objects.get(code="asb").pk),
        "source": "community_report",
        "risk_level": "medium",
        "neighbourhood": str(force_neighbourhood(world.force).pk),
        "demand_sources": [DemandSourceKind.WARD_PANEL, DemandSourceKind.COUNCILLOR],
        "demand_note": NOTE,
        "perceived_problem": PERCEIVED,
    }
    data.update(overrides)
    return data


def _assert_error_summary(response: Any, *messages: str) -> None:
    assert response.status_code == 200
    assert "There is a problem" in response.text
    for message in messages:
        assert message.replace("'", "&#x27;") in response.text, message


# --- services ------------------------------------------------------------------------------------


def test_a_problem_is_logged_with_its_demand_and_perceived_problem_and_the_audit_event_has_them(
    world: World,
) -> None:
    officer = world.users["officer"]
    problem = problem_create(
        actor=officer,
        title="Street drinking",
        description="Groups drinking.",
        category=ProblemCategory.objects.get(code="asb"),
        neighbourhood=force_neighbourhood(world.force),
        source="community_report",
        risk_level="medium",
        demand_sources=[DemandSourceKind.COUNCILLOR, DemandSourceKind.WARD_PANEL, DemandSourceKind.WARD_PANEL],
        demand_note=f"  {NOTE}  ",
        perceived_problem=PERCEIVED,
    )
    assert (problem.demand_note, problem.perceived_problem) == (NOTE, PERCEIVED)
    assert _kinds(problem) == ["councillor", "ward_panel"]
    detail = AuditEvent.objects.get(verb="problems.problem.created", target_id=str(problem.pk)).detail
    # In the order of the list, each once.
    assert detail["demand_sources"] == ["ward_panel", "councillor"]
    assert (detail["demand_note"], detail["perceived_problem"]) == (NOTE, PERCEIVED)


def test_an_unknown_demand_source_is_refused_and_nothing_is_logged(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        problem_create(
            actor=world.users["officer"],
            title="Street drinking",
            description="Groups drinking.",
            category=ProblemCategory.objects.get(code="asb"),
            neighbourhood=force_neighbourhood(world.force),
            source="community_report",
            risk_level="medium",
            demand_sources=["ward_panel", "a rumour"],
        )
    assert refused.value.message_dict == {"demand_sources": [DEMAND_SOURCE_INVALID]}
    assert not Problem.objects.exists()
    assert not ProblemDemandSource.objects.exists()


def test_changing_the_demand_is_audited_before_and_after_and_needs_the_version_seen(world: World) -> None:
    officer = world.users["officer"]
    problem = _problem(world, demand_note="First note")
    ProblemDemandSource.objects.create(problem=problem, kind=DemandSourceKind.BUSINESS)
    seen = problem.lock_version
    problem_update(
        actor=officer,
        problem=problem,
        seen_version=seen,
        demand_sources=[DemandSourceKind.DATA_ANALYSIS, DemandSourceKind.BUSINESS],
        demand_note=NOTE,
    )
    assert _kinds(problem) == ["business", "data_analysis"]
    detail = AuditEvent.objects.get(verb="problems.problem.updated", target_id=str(problem.pk)).detail
    assert detail["demand_sources"] == {"before": ["business"], "after": ["business", "data_analysis"]}
    assert detail["demand_note"] == {"before": "First note", "after": NOTE}
    # A second editor who opened the form before that save is refused, and nothing of theirs is kept.
    with pytest.raises(EditConflict):
        problem_update(
            actor=world.users["supervisor"],
            problem=problem,
            seen_version=seen,
            demand_sources=[DemandSourceKind.OTHER],
            demand_note="Overwritten",
        )
    problem.refresh_from_db()
    assert (problem.demand_note, _kinds(problem)) == (NOTE, ["business", "data_analysis"])


def test_an_update_that_leaves_out_the_demand_sources_keeps_them(world: World) -> None:
    problem = _problem(world)
    ProblemDemandSource.objects.create(problem=problem, kind=DemandSourceKind.WARD_PANEL)
    problem_update(actor=world.users["officer"], problem=problem, title="A new title")
    assert _kinds(problem) == ["ward_panel"]


def test_the_defined_problem_is_saved_with_scanning_and_audited(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    sara_services.problem_scanning_update(
        actor=world.users["officer"], problem=problem, seen_version=problem.lock_version, defined_problem=DEFINED
    )
    problem.refresh_from_db()
    assert problem.defined_problem == DEFINED
    event = AuditEvent.objects.get(verb="problems.problem.scanning_updated", target_id=str(problem.pk))
    assert event.detail["defined_problem"] == {"before": "", "after": DEFINED}


def test_the_aims_are_saved_audited_and_locked_by_version(world: World) -> None:
    problem = _problem(world)
    seen = problem.lock_version
    sara_services.problem_aims_update(actor=world.users["officer"], problem=problem, seen_version=seen, **AIMS)
    problem.refresh_from_db()
    assert {name: getattr(problem, name) for name in AIMS} == AIMS
    event = AuditEvent.objects.get(verb="problems.problem.aims_updated", target_id=str(problem.pk))
    assert event.detail["defined_aim"] == {"before": "", "after": AIMS["defined_aim"]}
    with pytest.raises(EditConflict):
        sara_services.problem_aims_update(
            actor=world.users["supervisor"], problem=problem, seen_version=seen, defined_aim="Another aim"
        )
    problem.refresh_from_db()
    assert problem.defined_aim == AIMS["defined_aim"]


@pytest.mark.parametrize("persona", ["analyst", "partner_member", "partner_lead"])
def test_only_those_who_work_the_problem_may_change_the_aims(world: World, persona: str) -> None:
    problem = _problem(world)
    share(world, problem=problem)
    with pytest.raises(PermissionDenied, match=CANNOT_EDIT):
        sara_services.problem_aims_update(actor=world.users[persona], problem=problem, defined_aim="Theirs")
    problem.refresh_from_db()
    assert problem.defined_aim == ""


def test_the_aims_of_a_closed_problem_cannot_change(world: World) -> None:
    problem = _problem(world, Stage.CLOSED)
    with pytest.raises(ValidationError, match=sara_services.PROBLEM_CLOSED):
        sara_services.problem_aims_update(actor=world.users["officer"], problem=problem, defined_aim="Late")


# --- views ---------------------------------------------------------------------------------------


def test_the_log_form_saves_the_demand_and_the_problem_page_shows_it(world: World) -> None:
    client = _client(world)
    form = client.get(reverse("problem-create")).text
    for kind in DemandSourceKind:
        assert f'value="{kind.value}"' in form
    response = client.post(reverse("problem-create"), _create_data(world))
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert _kinds(problem) == ["councillor", "ward_panel"]
    page = client.get(_url("problem-detail", problem.pk)).text
    assert "data-problem-definition" in page
    assert "Ward panel, Councillor" in page
    assert "Cllr Ahmed forwarded three residents&#x27; emails" in page
    assert PERCEIVED in page
    assert "data-aims" in page


def test_the_edit_form_shows_the_demand_saved_and_saves_a_change(world: World) -> None:
    problem = _problem(world, demand_note=NOTE, perceived_problem=PERCEIVED)
    ProblemDemandSource.objects.create(problem=problem, kind=DemandSourceKind.BUSINESS)
    client = _client(world)
    form = client.get(_url("problem-edit", problem.pk))
    assert form.context["form"].initial["demand_sources"] == ["business"]
    assert PERCEIVED in form.text
    data = _create_data(
        world,
        title=problem.title,
        lock_version=str(problem.lock_version),
        demand_sources=[DemandSourceKind.BUSINESS, DemandSourceKind.OFFICER_OBSERVATION],
        perceived_problem="Put better",
    )
    assert client.post(_url("problem-edit", problem.pk), data).status_code == 302
    problem.refresh_from_db()
    assert (problem.perceived_problem, _kinds(problem)) == ("Put better", ["business", "officer_observation"])


def test_an_unknown_demand_source_shows_the_error_keeps_what_was_typed_and_changes_nothing(world: World) -> None:
    problem = _problem(world)
    client = _client(world)
    data = _create_data(world, lock_version=str(problem.lock_version), demand_sources=["ward_panel", "gossip"])
    response = client.post(_url("problem-edit", problem.pk), data)
    _assert_error_summary(response, DEMAND_SOURCE_CHOICE_INVALID)
    assert "Cllr Ahmed forwarded three residents&#x27; emails.</textarea>" in response.text
    assert f"{PERCEIVED}</textarea>" in response.text
    problem.refresh_from_db()
    assert (problem.demand_note, _kinds(problem)) == ("", [])
    # And on the log form.
    response = client.post(reverse("problem-create"), _create_data(world, demand_sources=["gossip"]))
    _assert_error_summary(response, DEMAND_SOURCE_CHOICE_INVALID)
    assert Problem.objects.count() == 1


def test_the_scanning_form_saves_the_defined_problem(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    client = _client(world)
    assert "The defined problem, after analysis" in client.get(_url("problem-scanning", problem.pk)).text
    response = client.post(
        _url("problem-scanning", problem.pk), {"defined_problem": DEFINED, "lock_version": problem.lock_version}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.defined_problem == DEFINED
    assert DEFINED in client.get(_url("problem-detail", problem.pk)).text


def test_the_aims_form_saves_and_the_objectives_section_shows_them(world: World) -> None:
    problem = _problem(world)
    client = _client(world)
    page = client.get(_url("problem-detail", problem.pk)).text
    assert _url("problem-aims", problem.pk) in page
    form = client.get(_url("problem-aims", problem.pk))
    assert form.status_code == 200
    assert "How it will be evaluated" in form.text
    response = client.post(_url("problem-aims", problem.pk), {**AIMS, "lock_version": problem.lock_version})
    assert response.status_code == 302
    assert response["Location"] == _url("problem-detail", problem.pk)
    page = client.get(_url("problem-detail", problem.pk)).text
    objectives = page.split('id="objectives-heading"')[1].split('id="response-heading"')[0]
    for text in AIMS.values():
        assert text in objectives


def test_a_stale_aims_form_is_refused_and_keeps_what_was_typed(world: World) -> None:
    problem = _problem(world)
    seen = problem.lock_version
    sara_services.problem_aims_update(actor=world.users["supervisor"], problem=problem, defined_aim="The supervisor's")
    response = _client(world).post(
        _url("problem-aims", problem.pk), {"defined_aim": "Mine, typed at length", "lock_version": seen}
    )
    _assert_error_summary(response)
    assert "data-edit-conflict" in response.text
    assert "Mine, typed at length</textarea>" in response.text
    problem.refresh_from_db()
    assert problem.defined_aim == "The supervisor's"


def test_a_bad_version_on_the_aims_form_shows_an_error_and_changes_nothing(world: World) -> None:
    problem = _problem(world)
    response = _client(world).post(_url("problem-aims", problem.pk), {"defined_aim": "Typed", "lock_version": "x"})
    _assert_error_summary(response)
    assert "Typed</textarea>" in response.text
    problem.refresh_from_db()
    assert problem.defined_aim == ""


def test_outsiders_get_404_on_the_aims_form(world: World) -> None:
    problem = _problem(world)
    for persona in ("unrelated_partner", "partner_member", "administrator"):
        client = _client(world, persona)
        assert client.get(_url("problem-aims", problem.pk)).status_code == 404
        assert client.post(_url("problem-aims", problem.pk), AIMS).status_code == 404
    problem.refresh_from_db()
    assert problem.defined_aim == ""


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead", "analyst"])
def test_a_reader_gets_403_on_the_aims_and_changes_nothing(world: World, persona: str) -> None:
    problem = _problem(world)
    share(world, problem=problem)
    client = _client(world, persona)
    assert client.get(_url("problem-detail", problem.pk)).status_code == 200
    assert client.get(_url("problem-aims", problem.pk)).status_code == 403
    posted = {**AIMS, "lock_version": problem.lock_version}
    assert client.post(_url("problem-aims", problem.pk), posted).status_code == 403
    problem.refresh_from_db()
    assert problem.defined_aim == ""
    assert not AuditEvent.objects.filter(verb="problems.problem.aims_updated").exists()


def test_a_partner_sees_the_aims_and_demand_but_no_links_to_change_them(world: World) -> None:
    problem = _problem(world, demand_note=NOTE, perceived_problem=PERCEIVED, defined_problem=DEFINED, **AIMS)
    ProblemDemandSource.objects.create(problem=problem, kind=DemandSourceKind.PARTNER_REFERRAL)
    share(world, problem=problem)
    page = _client(world, "partner_member").get(_url("problem-detail", problem.pk)).text
    # The share discloses "ASB reports and complaints": the demand's and the statement's usual category.
    for text in (PERCEIVED, DEFINED, "Partner referral", *AIMS.values()):
        assert text.replace("'", "&#x27;") in page
    assert _url("problem-aims", problem.pk) not in page
    assert "Change the demand or perceived problem" not in page


def test_the_printable_summary_shows_the_demand_the_definition_and_the_aims(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS, demand_note=NOTE, perceived_problem=PERCEIVED, defined_problem=DEFINED)
    problem.perceived_aim, problem.defined_aim, problem.aim_evaluation = AIMS.values()
    problem.save()
    ProblemDemandSource.objects.create(problem=problem, kind=DemandSourceKind.RESIDENT_COMPLAINT)
    summary = _client(world, "officer").get(_url("problem-summary", problem.pk)).text
    scanning = summary.split('id="scanning-heading"')[1].split('id="analysis-heading"')[0]
    objectives = summary.split('id="objectives-heading"')[1].split('id="response-heading"')[0]
    for text in ("Resident complaint", PERCEIVED, DEFINED, "Cllr Ahmed"):
        assert text in scanning
    for text in AIMS.values():
        assert text in objectives
    # Printable: no links to change anything.
    assert _url("problem-aims", problem.pk) not in summary
    assert _url("problem-scanning", problem.pk) not in summary
