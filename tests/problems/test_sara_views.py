"""The problem page and the SARA forms: what the page shows, refused moves listing everything
missing, invalid input kept and nothing changed, outsiders 404, viewers 403, no server errors,
and a query count that does not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.models import (
    ActionStatus,
    Controller,
    DemandSourceKind,
    Handover,
    HandoverKind,
    Hypothesis,
    Objective,
    Problem,
    ProblemDemandSource,
    ProblemTeamMember,
    ProblemUpdate,
    ResponseAction,
    Stage,
    StageTransition,
    TransitionKind,
)
from problems.selectors import page as page_selector
from problems.selectors import sara as gates
from problems.services import sara as services
from problems.services.stages import STAGE_CANNOT_ADVANCE
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories_sara import (
    ControllerFactory,
    HypothesisFactory,
    ObjectiveFactory,
    ResponseActionFactory,
    problem_at,
)

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str = "officer") -> Client:
    return sign_in(Client(), world.users[persona])


def _problem(world: World, stage: str = Stage.SCANNING, *, ready: bool = False, **kwargs: Any) -> Problem:
    return problem_at(stage, ready=ready, force=world.force, owner=world.users["officer"], **kwargs)


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


def _assert_error_summary(response: Any, *messages: str) -> None:
    assert response.status_code == 200
    assert "There is a problem" in response.text
    for message in messages:
        assert message.replace('"', "&quot;").replace("'", "&#x27;") in response.text, message


# --- the problem page ----------------------------------------------------------------------------


def test_problem_page_lays_out_the_stages_as_a_task_list_with_what_the_gate_needs(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    ControllerFactory(problem=problem, who="Parade landlord")
    response = _client(world).get(_url("problem-detail", problem.pk))
    assert response.status_code == 200
    text = response.text
    assert problem.title in text
    assert problem.reference in text
    assert "Complete" in text
    assert "In progress" in text
    assert "Not started" in text
    assert "To move to response, 5 items still needed:" in text
    for item in (gates.MISSING_PAT_OFFENDER, gates.MISSING_HYPOTHESIS, gates.MISSING_OBJECTIVE_WITH_BASELINE):
        assert item in text
    assert gates.MISSING_CONTROLLER not in text
    assert "1 controller (1 engaged)" in text
    assert "CHEERS answers: 6 of 6" in text
    assert "Parade landlord" in text
    assert "Move to response" in text
    assert f'href="/problems/{problem.pk}/summary/"' in text
    assert "Decision log" in text
    assert _url("problem-analysis", problem.pk) in text
    assert _url("controller-create", problem.pk) in text
    # Response actions cannot be planned yet, so the page offers no link to add one.
    assert _url("action-create", problem.pk) not in text


@pytest.mark.parametrize(
    ("stage", "ready", "persona", "next_step", "opened"),
    [
        (Stage.SCANNING, False, "officer", page_selector.NEXT_SCANNING, {"scanning"}),
        (Stage.SCANNING, True, "officer", page_selector.NEXT_MOVE.format(stage="analysis"), {"scanning"}),
        (Stage.SCANNING, True, "analyst", page_selector.READY_TO_MOVE.format(stage="analysis"), {"scanning"}),
        # Objectives are set during the analysis (OSARA): both its sections are open.
        (Stage.ANALYSIS, False, "officer", page_selector.NEXT_ANALYSIS, {"analysis", "objectives"}),
        (Stage.RESPONSE, False, "officer", page_selector.NEXT_PLAN_RESPONSE, {"response"}),
        (Stage.ASSESSMENT, True, "officer", page_selector.AWAITING_SIGN_OFF, {"assessment"}),
        (Stage.ASSESSMENT, True, "supervisor", page_selector.NEXT_SIGN_OFF, {"assessment"}),
        (Stage.ASSESSMENT, False, "supervisor", page_selector.NEXT_ASSESSMENT, {"assessment"}),
        (Stage.CLOSED, True, "officer", page_selector.CLOSED, {"assessment"}),
    ],
)
def test_the_page_says_the_one_next_step_and_opens_the_sections_of_the_current_stage(
    world: World, stage: str, ready: bool, persona: str, next_step: str, opened: set[str]
) -> None:
    problem = _problem(world, stage, ready=ready)
    response = _client(world, persona).get(_url("problem-detail", problem.pk))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.next_step.text == next_step
    assert page.open_sections == opened
    text = response.text
    assert f"<strong>{next_step}</strong>" in text.replace("&#x27;", "'")
    for key in ("scanning", "analysis", "objectives", "response", "assessment"):
        shown_open = f'<details class="stage-section mb-3" id="{key}" open>' in text
        assert shown_open == (key in opened), key


def test_the_objectives_step_is_next_when_only_an_objective_is_missing(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS, ready=True)
    problem.objectives.all().delete()
    response = _client(world).get(_url("problem-detail", problem.pk))
    assert response.context["page"].next_step == page_selector.NextStep(page_selector.NEXT_OBJECTIVES, "objectives")
    assert 'href="#objectives">Go to objectives' in response.text


def test_the_finished_response_is_next_while_an_action_is_open(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE, ready=True)
    ResponseActionFactory(problem=problem, status=ActionStatus.PLANNED)
    response = _client(world).get(_url("problem-detail", problem.pk))
    assert response.context["page"].next_step.text == page_selector.NEXT_FINISH_RESPONSE


def test_links_that_change_a_row_are_named_by_what_they_change(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE, ready=True)
    controller = problem.controllers.first()
    action = ResponseActionFactory(problem=problem, description="Council clean-up of the bench area")
    text = _client(world).get(_url("problem-detail", problem.pk)).text
    assert 'Change<span class="visually-hidden">: Council clean-up of the bench area</span>' in text
    assert f'Change<span class="visually-hidden">: {controller.who}</span>' in text
    assert f'Remove<span class="visually-hidden">: {controller.who}</span>' in text
    objective = problem.objectives.first()
    assert f'Remove<span class="visually-hidden">: {objective.description}</span>' in text
    assert _url("action-edit", action.pk) in text


def test_enabled_actions_look_enabled_and_the_summary_is_a_link(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    text = _client(world).get(_url("problem-detail", problem.pk)).text
    # Reported to look disabled when they were grey outline buttons.
    assert f'<a class="btn btn-outline-primary" href="{_url("problem-review", problem.pk)}">Record a review</a>' in text
    assert f'<a class="link-primary" href="/problems/{problem.pk}/summary/">Printable summary</a>' in text
    assert "btn-outline-secondary" not in text
    assert '<button type="submit" class="btn btn-primary">Move to response</button>' in text


def test_analyst_sees_the_page_without_any_buttons_to_change_it(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    response = _client(world, "analyst").get(_url("problem-detail", problem.pk))
    assert response.status_code == 200
    assert "Move to response" not in response.text
    assert _url("problem-analysis", problem.pk) not in response.text
    assert _url("problem-reopen", problem.pk) not in response.text
    assert _url("problem-review", problem.pk) not in response.text


def test_restricted_problem_page_is_not_found_for_other_officers(world: World) -> None:
    problem = _problem(world, restricted=True)
    other_officer = UserFactory(role=Role.OFFICER, organisation=world.force)
    client = sign_in(Client(), other_officer)
    assert client.get(_url("problem-detail", problem.pk)).status_code == 404
    assert client.get(_url("problem-scanning", problem.pk)).status_code == 404
    controller = ControllerFactory(problem=problem)
    assert client.get(_url("controller-edit", controller.pk)).status_code == 404
    assert client.post(_url("controller-delete", controller.pk)).status_code == 404
    assert Controller.objects.filter(pk=controller.pk).exists()
    assert _client(world, "supervisor").get(_url("problem-detail", problem.pk)).status_code == 200


def test_problem_page_query_count_is_the_same_with_one_and_five_rows(
    world: World, django_assert_num_queries: Any
) -> None:
    # 1 session, 2 user, 3 OTP device, 4 the problem (visible to the user, one query with its
    # category, organisation, owner, creator and signer, the evaluation panel's design and EMMIE
    # (problems.panels), whether the user follows it and their earlier views of its page),
    # 5 controllers, 6 hypotheses, 7 objectives, 8 actions with their organisations and users,
    # 9 stage transitions with who moved them, 10 the consultation (an audit INSERT), 11 the
    # decision log, 12 the lead history (handovers with from, to and by), 13 the team with who
    # added them, 14 the shares, 15 updates with authors and organisations, 16 attachments with
    # uploaders and organisations, 17 one page of who has seen or received the problem (audit
    # events with actors and organisations), 18 the demand sources (issue 20). All from
    # problems.selectors.page; the template asks nothing. (Before the page had one selector it asked
    # 19: the follow and the evaluation panel asked one each.)
    client = _client(world, "supervisor")
    small = _problem(world, Stage.ASSESSMENT, ready=False)
    big = _problem(world, Stage.ASSESSMENT, ready=False)
    for problem in (small, big):
        ProblemUpdate.objects.create(
            problem=problem, author=world.users["officer"], organisation=world.force, text="Patrols done."
        )
    ProblemDemandSource.objects.create(problem=small, kind=DemandSourceKind.WARD_PANEL)
    for kind in DemandSourceKind.values[:5]:
        ProblemDemandSource.objects.create(problem=big, kind=kind)
    for _ in range(4):
        ControllerFactory(problem=big)
        HypothesisFactory(problem=big)
        ObjectiveFactory(problem=big)
        ResponseActionFactory(problem=big, responsible_user=world.users["partner_member"])
        ProblemUpdate.objects.create(problem=big, author=world.users["officer"], organisation=world.force, text="More.")
        colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
        ProblemTeamMember.objects.create(problem=big, user=colleague, added_by=world.users["supervisor"])
        Handover.objects.create(
            problem=big,
            kind=HandoverKind.REASSIGNMENT,
            from_user=colleague,
            to_user=big.owner,
            note="Handed back.",
            handover_date=big.opened_on,
            made_by=world.users["supervisor"],
        )
    with django_assert_num_queries(18):
        client.get(_url("problem-detail", small.pk))
    with django_assert_num_queries(18):
        response = client.get(_url("problem-detail", big.pk))
    assert response.text.count('href="/controllers/') == 5
    assert response.text.count('<th scope="row">Improve the lighting') == 5
    assert response.text.count("border-start border-3 ps-3 mb-3") == 5


def test_problem_page_survives_bad_ids_and_query_strings(world: World) -> None:
    client = _client(world)
    problem = _problem(world)
    assert client.get(_url("problem-detail", problem.pk) + "?stage=%00&page=-1").status_code == 200
    assert client.get("/problems/999999999/").status_code == 404
    assert client.get("/problems/99999999999999999999/").status_code == 404
    assert client.get("/controllers/999999/edit/").status_code == 404
    assert client.get("/actions/999999/edit/").status_code == 404


@pytest.mark.parametrize(
    "name", ["problem-advance", "problem-sign-off", "controller-delete", "hypothesis-delete", "objective-delete"]
)
def test_get_on_a_post_only_url_is_405(world: World, name: str) -> None:
    assert _client(world).get(_url(name, 1)).status_code == 405


# --- moving between stages ----------------------------------------------------------------------


def test_advance_moves_the_problem_on_and_records_the_note(world: World) -> None:
    problem = _problem(world, Stage.SCANNING, ready=True)
    response = _client(world).post(_url("problem-advance", problem.pk), {"note": "Evidence is clear."})
    assert response.status_code == 302
    assert response["Location"] == _url("problem-detail", problem.pk)
    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    assert problem.transitions.get().note == "Evidence is clear."


def test_refused_move_shows_the_page_with_every_missing_item_and_keeps_the_note(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    response = _client(world).post(_url("problem-advance", problem.pk), {"note": "Trying my luck"})
    missing = gates.problem_missing_for_next_stage(problem)
    assert len(missing) == 6
    _assert_error_summary(response, STAGE_CANNOT_ADVANCE.format(stage="response", count=6), *missing)
    assert "Trying my luck</textarea>" in response.text
    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    assert not problem.transitions.exists()


def test_analyst_cannot_advance_through_the_page(world: World) -> None:
    problem = _problem(world, Stage.SCANNING, ready=True)
    assert _client(world, "analyst").post(_url("problem-advance", problem.pk)).status_code == 403
    problem.refresh_from_db()
    assert problem.stage == Stage.SCANNING


def test_supervisor_signs_off_from_the_page_and_officer_is_not_offered_it(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT, ready=True)
    assert "Sign off the assessment" not in _client(world).get(_url("problem-detail", problem.pk)).text
    supervisor = _client(world, "supervisor")
    assert "Sign off the assessment" in supervisor.get(_url("problem-detail", problem.pk)).text
    # Without the confirmation nothing is signed; with it, the note goes in the stage history.
    refused = supervisor.post(_url("problem-sign-off", problem.pk), {"note": "Checked the figures."})
    _assert_error_summary(refused, "Tick the box to confirm the sign-off.")
    assert "Checked the figures." in refused.text
    problem.refresh_from_db()
    assert problem.signed_off_at is None
    signed = supervisor.post(_url("problem-sign-off", problem.pk), {"note": "Checked the figures.", "confirm": "on"})
    assert signed.status_code == 302
    problem.refresh_from_db()
    assert problem.signed_off_by == world.users["supervisor"]
    transition = StageTransition.objects.get(problem=problem, kind=TransitionKind.SIGN_OFF)
    assert (transition.note, transition.by) == ("Checked the figures.", world.users["supervisor"])
    assert _client(world).post(_url("problem-sign-off", problem.pk)).status_code == 403


def test_sign_off_outside_assessment_shows_the_reason(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    response = _client(world, "supervisor").post(_url("problem-sign-off", problem.pk), {"confirm": "on"})
    _assert_error_summary(response, "A problem can be signed off only in assessment.")
    problem.refresh_from_db()
    assert problem.signed_off_at is None


def test_reopen_form_keeps_what_was_typed_when_the_reason_is_missing(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    client = _client(world)
    page = client.get(_url("problem-reopen", problem.pk))
    assert page.status_code == 200
    assert '<option value="analysis"' in page.text
    # Only earlier stages are offered (the hidden seen_stage carries the current one).
    assert '<option value="response"' not in page.text
    response = client.post(_url("problem-reopen", problem.pk), {"to_stage": "analysis", "reason": ""})
    _assert_error_summary(response, "Give the reason for reopening the problem.")
    assert 'value="analysis" selected' in response.text
    response = client.post(_url("problem-reopen", problem.pk), {"to_stage": "closed", "reason": "Typed reason"})
    _assert_error_summary(response, "Choose an earlier stage.")
    assert "Typed reason</textarea>" in response.text
    problem.refresh_from_db()
    assert problem.stage == Stage.RESPONSE


def test_reopen_through_the_page(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    response = _client(world).post(_url("problem-reopen", problem.pk), {"to_stage": "scanning", "reason": "Rethink"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.stage == Stage.SCANNING
    assert problem.transitions.get().note == "Rethink"


def test_reopen_page_of_a_problem_in_scanning_says_there_is_no_earlier_stage(world: World) -> None:
    response = _client(world).get(_url("problem-reopen", _problem(world).pk))
    assert response.status_code == 200
    assert "no earlier stage" in response.text


# --- the part forms -----------------------------------------------------------------------------


def test_scanning_form_saves_and_returns_to_the_problem(world: World) -> None:
    problem = _problem(world)
    data = {name: f"Answer for {name}" for name in services.SCANNING_FIELDS if name != "statement_category"}
    response = _client(world).post(_url("problem-scanning", problem.pk), data)
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.cheers_similarity == "Answer for cheers_similarity"
    assert AuditEvent.objects.filter(verb="problems.problem.scanning_updated").exists()


@pytest.mark.parametrize(
    ("name", "field"),
    [("problem-scanning", "cheers_harm"), ("problem-analysis", "pat_offender"), ("problem-assessment", "displacement")],
)
def test_text_part_forms_on_a_closed_problem_show_the_reason_keep_the_text_and_change_nothing(
    world: World, name: str, field: str
) -> None:
    problem = _problem(world, Stage.CLOSED)
    before = getattr(problem, field)
    client = _client(world)
    assert services.PROBLEM_CLOSED in client.get(_url(name, problem.pk)).text
    response = client.post(_url(name, problem.pk), {field: "Typed after closing"})
    _assert_error_summary(response, services.PROBLEM_CLOSED)
    assert "Typed after closing</textarea>" in response.text
    problem.refresh_from_db()
    assert getattr(problem, field) == before


def test_analysis_form_before_analysis_is_refused(world: World) -> None:
    problem = _problem(world, Stage.SCANNING)
    response = _client(world).post(_url("problem-analysis", problem.pk), {"pat_offender": "Too early"})
    _assert_error_summary(response, services.PART_NOT_YET.format(part="Analysis", stage="analysis", current="scanning"))
    problem.refresh_from_db()
    assert problem.pat_offender == ""


def test_controller_form_invalid_input_keeps_what_was_typed(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    response = _client(world).post(
        _url("controller-create", problem.pk), {"kind": "landlord", "who": "", "notes": "Typed notes"}
    )
    _assert_error_summary(response, services.CONTROLLER_KIND_INVALID, services.CONTROLLER_WHO_REQUIRED)
    assert "Typed notes</textarea>" in response.text
    assert not Controller.objects.exists()


def test_controller_create_edit_delete_through_the_pages(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    client = _client(world)
    data = {"kind": "guardian", "who": "Shop staff", "engaged": "on"}
    assert client.post(_url("controller-create", problem.pk), data).status_code == 302
    controller = Controller.objects.get()
    assert (controller.kind, controller.engaged) == ("guardian", True)
    page = client.get(_url("controller-edit", controller.pk))
    assert page.status_code == 200
    assert 'value="Shop staff"' in page.text
    response = client.post(_url("controller-edit", controller.pk), {"kind": "guardian", "who": ""})
    _assert_error_summary(response, services.CONTROLLER_WHO_REQUIRED)
    controller.refresh_from_db()
    assert controller.who == "Shop staff"
    assert (
        client.post(_url("controller-edit", controller.pk), {"kind": "manager", "who": "Landlord"}).status_code == 302
    )
    controller.refresh_from_db()
    assert (controller.kind, controller.who, controller.engaged) == ("manager", "Landlord", False)
    assert client.post(_url("controller-delete", controller.pk)).status_code == 302
    assert not Controller.objects.exists()


def test_analyst_gets_403_on_child_writes(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    hypothesis = HypothesisFactory(problem=problem)
    client = _client(world, "analyst")
    assert (
        client.post(_url("hypothesis-create", problem.pk), {"statement": "x", "status": "untested"}).status_code == 403
    )
    assert client.post(_url("hypothesis-edit", hypothesis.pk), {"statement": "x"}).status_code == 403
    assert client.post(_url("hypothesis-delete", hypothesis.pk)).status_code == 403
    assert list(Hypothesis.objects.values_list("statement", flat=True)) == [hypothesis.statement]


def test_hypothesis_form_invalid_input_keeps_what_was_typed(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    response = _client(world).post(
        _url("hypothesis-create", problem.pk), {"statement": "", "status": "perhaps", "evidence": "Typed evidence"}
    )
    _assert_error_summary(response, services.HYPOTHESIS_STATEMENT_REQUIRED, services.HYPOTHESIS_STATUS_INVALID)
    assert "Typed evidence</textarea>" in response.text
    assert not Hypothesis.objects.exists()


def test_hypothesis_edit_and_delete(world: World) -> None:
    hypothesis = HypothesisFactory(problem=_problem(world, Stage.ANALYSIS))
    client = _client(world)
    data = {"statement": "Lighting matters", "status": "supported", "evidence": "Survey"}
    assert client.post(_url("hypothesis-edit", hypothesis.pk), data).status_code == 302
    hypothesis.refresh_from_db()
    assert hypothesis.status == "supported"
    assert client.post(_url("hypothesis-delete", hypothesis.pk)).status_code == 302
    assert not Hypothesis.objects.exists()


def test_objective_form_invalid_date_keeps_what_was_typed(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    data = {"description": "Fewer calls", "measure": "Calls", "baseline": "34", "target": "15", "target_date": "31/02"}
    response = _client(world).post(_url("objective-create", problem.pk), data)
    _assert_error_summary(response, "Enter a real date, for example 2026-04-30.")
    assert 'value="31/02"' in response.text
    assert 'value="34"' in response.text
    assert not Objective.objects.exists()


def test_objective_create_then_record_its_result_in_assessment(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    client = _client(world)
    data = {
        "description": "Fewer calls",
        "measure": "Calls",
        "baseline": "34",
        "target": "15",
        "target_date": "2026-09-30",
    }
    assert client.post(_url("objective-create", problem.pk), data).status_code == 302
    objective = Objective.objects.get()
    assert "Was the objective met?" not in client.get(_url("objective-edit", objective.pk)).text
    Problem.objects.filter(pk=problem.pk).update(stage=Stage.ASSESSMENT)
    assert "Was the objective met?" in client.get(_url("objective-edit", objective.pk)).text
    response = client.post(_url("objective-edit", objective.pk), {**data, "result": "12 calls", "met": "yes"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.result, objective.met) == ("12 calls", True)
    assert client.post(_url("objective-delete", objective.pk)).status_code == 302
    assert not Objective.objects.exists()


def _action_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "description": "Fit new lighting",
        "intervention_kind": "environmental_design",
        "responsible_organisation": world.partner.pk,
        "responsible_person": "Street lighting team",
        "responsible_user": "",
        "due_date": "2026-06-30",
        "status": "planned",
        "cancel_reason": "",
    }
    data.update(overrides)
    return data


def test_action_create_and_mark_done(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    client = _client(world)
    page = client.get(_url("action-create", problem.pk))
    assert world.partner.name in page.text
    assert world.users["partner_member"].full_name in page.text
    data = _action_data(world, responsible_user=world.users["partner_member"].pk)
    assert client.post(_url("action-create", problem.pk), data).status_code == 302
    action = ResponseAction.objects.get()
    assert action.responsible_user == world.users["partner_member"]
    assert client.post(_url("action-edit", action.pk), {**data, "status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_at is not None
    assert action.completed_at <= timezone.now()


def test_action_cancelled_without_a_reason_keeps_what_was_typed_and_changes_nothing(world: World) -> None:
    action = ResponseActionFactory(problem=_problem(world, Stage.RESPONSE))
    data = _action_data(world, description="Typed description", status="cancelled")
    response = _client(world).post(_url("action-edit", action.pk), data)
    _assert_error_summary(response, services.ACTION_CANCEL_REASON_REQUIRED)
    assert "Typed description</textarea>" in response.text
    assert "Constraint" not in response.text
    action.refresh_from_db()
    assert (action.status, action.description) == (ActionStatus.PLANNED, ResponseAction.objects.get().description)
    assert action.description != "Typed description"


def test_action_form_refuses_a_user_from_another_organisation(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    data = _action_data(
        world, responsible_organisation=world.force.pk, responsible_user=world.users["partner_member"].pk
    )
    response = _client(world).post(_url("action-create", problem.pk), data)
    _assert_error_summary(
        response,
        services.ACTION_USER_NOT_IN_ORGANISATION.format(
            name=world.users["partner_member"].full_name, organisation=world.force.name
        ),
    )
    assert not ResponseAction.objects.exists()


def test_action_form_with_bad_values_shows_errors_not_a_server_error(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    data = _action_data(
        world, responsible_organisation="abc", responsible_user="999999", due_date="soon", intervention_kind="x"
    )
    response = _client(world).post(_url("action-create", problem.pk), data)
    _assert_error_summary(response, services.ACTION_KIND_INVALID, "Choose an organisation from the list.")
    assert 'value="soon"' in response.text
    assert not ResponseAction.objects.exists()
