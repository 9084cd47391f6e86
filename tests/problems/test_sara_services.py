"""The SARA content services: who may write, in which stages, what each part checks, and that
every write is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.models import ActionStatus, Controller, Hypothesis, Objective, Problem, ResponseAction, Stage
from problems.services import sara as services
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.partnerships.factories import OrganisationFactory
from tests.problems.factories_sara import (
    SCANNING_CONTENT,
    ControllerFactory,
    HypothesisFactory,
    ObjectiveFactory,
    ResponseActionFactory,
    problem_at,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


def _problem(world: World, stage: str = Stage.SCANNING, **kwargs: Any) -> Problem:
    return problem_at(stage, ready=False, force=world.force, owner=world.users["officer"], **kwargs)


def _events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


# --- scanning, analysis, assessment ----------------------------------------------------------------


def test_owner_updates_scanning_and_the_change_is_audited(world: World) -> None:
    problem = _problem(world)
    services.problem_scanning_update(
        actor=world.users["officer"],
        problem=problem,
        problem_statement="  Drinking at the parade.  ",
        cheers_harm="Fear",
    )
    problem.refresh_from_db()
    assert (problem.problem_statement, problem.cheers_harm) == ("Drinking at the parade.", "Fear")
    (event,) = _events("problems.problem.scanning_updated")
    assert event.detail["problem_statement"] == {"before": "", "after": "Drinking at the parade."}
    assert event.actor == world.users["officer"]


def test_saving_unchanged_scanning_records_nothing(world: World) -> None:
    problem = _problem(world)
    services.problem_scanning_update(actor=world.users["officer"], problem=problem, problem_statement="")
    assert _events("problems.problem.scanning_updated") == []


def test_supervisor_may_change_another_officers_problem(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    services.problem_analysis_update(actor=world.users["supervisor"], problem=problem, pat_offender="Six regulars")
    problem.refresh_from_db()
    assert problem.pat_offender == "Six regulars"
    assert _events("problems.problem.analysis_updated")[0].actor == world.users["supervisor"]


def test_analyst_and_other_officers_cannot_change_content(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    other_officer = UserFactory(role=Role.OFFICER, organisation=world.force)
    for actor in (world.users["analyst"], other_officer):
        with pytest.raises(PermissionDenied):
            services.problem_scanning_update(actor=actor, problem=problem, problem_statement="Not mine")
        with pytest.raises(PermissionDenied):
            services.controller_add(actor=actor, problem=problem, kind="manager", who="Landlord")
    problem.refresh_from_db()
    assert problem.problem_statement == SCANNING_CONTENT["problem_statement"]
    assert not Controller.objects.exists()


def test_a_part_cannot_be_changed_before_its_stage(world: World) -> None:
    problem = _problem(world, Stage.SCANNING)
    with pytest.raises(ValidationError) as refused:
        services.problem_analysis_update(actor=world.users["officer"], problem=problem, pat_offender="Too early")
    assert refused.value.messages == [
        services.PART_NOT_YET.format(part="Analysis", stage="analysis", current="scanning")
    ]
    with pytest.raises(ValidationError):
        services.action_add(
            actor=world.users["officer"],
            problem=problem,
            description="Too early",
            intervention_kind="support",
            responsible_organisation=world.force,
            responsible_person="PC Patel",
            due_date=TODAY,
        )
    with pytest.raises(ValidationError):
        services.problem_assessment_update(actor=world.users["officer"], problem=_problem(world, Stage.RESPONSE))
    assert not ResponseAction.objects.exists()


def test_earlier_parts_stay_editable_in_later_stages(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    services.problem_scanning_update(actor=world.users["officer"], problem=problem, evidence_sources="Calls")
    services.controller_add(actor=world.users["officer"], problem=problem, kind="guardian", who="Shop staff")
    problem.refresh_from_db()
    assert problem.evidence_sources == "Calls"


def test_nothing_can_be_changed_once_closed(world: World) -> None:
    problem = _problem(world, Stage.CLOSED)
    controller = ControllerFactory(problem=problem)
    calls = [
        lambda: services.problem_scanning_update(actor=world.users["officer"], problem=problem, cheers_harm="x"),
        lambda: services.problem_assessment_update(actor=world.users["officer"], problem=problem, displacement="x"),
        lambda: services.controller_update(actor=world.users["officer"], controller=controller, who="x"),
        lambda: services.controller_remove(actor=world.users["officer"], controller=controller),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [services.PROBLEM_CLOSED]
    assert Controller.objects.filter(pk=controller.pk, who=controller.who).exists()


def test_assessment_update_is_audited(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    services.problem_assessment_update(
        actor=world.users["officer"],
        problem=problem,
        process_evaluation="As planned",
        displacement="None seen",
        diffusion_of_benefits="Next street quieter too",
        lessons_learned="Work with licensing early",
    )
    problem.refresh_from_db()
    assert problem.lessons_learned == "Work with licensing early"
    assert set(_events("problems.problem.assessment_updated")[0].detail) >= {"lessons_learned", "displacement"}


# --- controllers and hypotheses -------------------------------------------------------------------


def test_controller_add_update_remove_each_audited(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    officer = world.users["officer"]
    controller = services.controller_add(actor=officer, problem=problem, kind="manager", who=" Parade landlord ")
    assert (controller.who, controller.engaged) == ("Parade landlord", False)
    services.controller_update(actor=officer, controller=controller, engaged=True)
    controller.refresh_from_db()
    assert controller.engaged is True
    services.controller_remove(actor=officer, controller=controller)
    assert not Controller.objects.exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="problems.controller.").order_by("id").values_list("verb", flat=True)
    )
    assert verbs == ["problems.controller.added", "problems.controller.updated", "problems.controller.removed"]


def test_controller_needs_a_kind_and_who(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    with pytest.raises(ValidationError) as refused:
        services.controller_add(actor=world.users["officer"], problem=problem, kind="landlord", who="  ")
    assert refused.value.message_dict == {
        "kind": [services.CONTROLLER_KIND_INVALID],
        "who": [services.CONTROLLER_WHO_REQUIRED],
    }


def test_hypothesis_add_update_remove(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    officer = world.users["officer"]
    hypothesis = services.hypothesis_add(actor=officer, problem=problem, statement="Cheap cans draw drinkers")
    assert hypothesis.status == "untested"
    services.hypothesis_update(actor=officer, hypothesis=hypothesis, status="supported", evidence="Till receipts")
    hypothesis.refresh_from_db()
    assert (hypothesis.status, hypothesis.evidence) == ("supported", "Till receipts")
    with pytest.raises(ValidationError) as refused:
        services.hypothesis_update(actor=officer, hypothesis=hypothesis, status="maybe", statement="")
    assert refused.value.message_dict == {
        "statement": [services.HYPOTHESIS_STATEMENT_REQUIRED],
        "status": [services.HYPOTHESIS_STATUS_INVALID],
    }
    services.hypothesis_remove(actor=officer, hypothesis=hypothesis)
    assert not Hypothesis.objects.exists()
    assert len(AuditEvent.objects.filter(verb__startswith="problems.hypothesis.")) == 3


# --- objectives -----------------------------------------------------------------------------------


def test_objective_needs_description_measure_target_and_date(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    with pytest.raises(ValidationError) as refused:
        services.objective_add(
            actor=world.users["officer"], problem=problem, description="", measure="", target="", target_date=None
        )
    assert refused.value.message_dict == {
        "description": [services.OBJECTIVE_DESCRIPTION_REQUIRED],
        "measure": [services.OBJECTIVE_MEASURE_REQUIRED],
        "target": [services.OBJECTIVE_TARGET_REQUIRED],
        "target_date": [services.OBJECTIVE_TARGET_DATE_REQUIRED],
    }
    assert not Objective.objects.exists()


def test_objective_result_only_in_assessment(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    objective = ObjectiveFactory(problem=problem)
    with pytest.raises(ValidationError) as refused:
        services.objective_update(actor=world.users["officer"], objective=objective, result="12 calls", met=True)
    assert refused.value.message_dict == {"result": [services.OBJECTIVE_RESULT_NOT_YET]}
    Problem.objects.filter(pk=problem.pk).update(stage=Stage.ASSESSMENT)
    objective.problem.refresh_from_db()
    services.objective_update(actor=world.users["officer"], objective=objective, result="12 calls", met=True)
    objective.refresh_from_db()
    assert (objective.result, objective.met) == ("12 calls", True)
    assert AuditEvent.objects.get(verb="problems.objective.updated").detail["met"] == {"before": None, "after": True}


def test_objective_add_and_remove_are_audited(world: World) -> None:
    problem = _problem(world, Stage.ANALYSIS)
    objective = services.objective_add(
        actor=world.users["officer"],
        problem=problem,
        description="Fewer ASB calls",
        measure="Calls",
        baseline="34",
        target="15",
        target_date=TODAY,
    )
    services.objective_remove(actor=world.users["officer"], objective=objective)
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="problems.objective.").order_by("id")] == [
        "problems.objective.added",
        "problems.objective.removed",
    ]


# --- response actions -----------------------------------------------------------------------------


def _add_action(world: World, problem: Problem, **overrides: Any) -> ResponseAction:
    fields: dict[str, Any] = {
        "description": "Fit new lighting",
        "intervention_kind": "environmental_design",
        "responsible_organisation": world.partner,
        "responsible_person": "Street lighting team",
        "due_date": TODAY,
    }
    fields.update(overrides)
    return services.action_add(actor=world.users["officer"], problem=problem, **fields)


def test_action_with_a_partner_organisation_and_its_user(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    action = _add_action(world, problem, responsible_person="", responsible_user=world.users["partner_member"])
    assert action.responsible_user == world.users["partner_member"]
    assert action.status == ActionStatus.PLANNED
    assert action.completed_at is None
    assert AuditEvent.objects.filter(verb="problems.action.added", target_id=str(action.pk)).exists()


def test_action_is_refused_with_an_inactive_organisation_or_a_user_from_elsewhere(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    closed_down = OrganisationFactory(name="Old Charity", active=False)
    with pytest.raises(ValidationError) as refused:
        _add_action(world, problem, responsible_organisation=closed_down)
    assert refused.value.message_dict == {
        "responsible_organisation": [services.ACTION_ORGANISATION_INACTIVE.format(name="Old Charity")]
    }
    with pytest.raises(ValidationError) as wrong_user:
        _add_action(world, problem, responsible_user=world.users["unrelated_partner"])
    assert list(wrong_user.value.message_dict) == ["responsible_user"]
    with pytest.raises(ValidationError) as nobody:
        _add_action(world, problem, responsible_person="")
    assert nobody.value.message_dict == {"responsible_person": [services.ACTION_RESPONSIBLE_REQUIRED]}
    assert not ResponseAction.objects.exists()


def test_the_owning_force_is_always_a_valid_responsible_organisation(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    world.force.active = False
    world.force.save()
    action = _add_action(world, problem, responsible_organisation=world.force)
    assert action.responsible_organisation == world.force


def test_cancelling_needs_a_reason_and_done_sets_completed_at(world: World) -> None:
    problem = _problem(world, Stage.RESPONSE)
    action = ResponseActionFactory(problem=problem)
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as refused:
        services.action_update(actor=officer, action=action, status=ActionStatus.CANCELLED, cancel_reason=" ")
    assert refused.value.message_dict == {"cancel_reason": [services.ACTION_CANCEL_REASON_REQUIRED]}
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED

    before = timezone.now()
    services.action_update(actor=officer, action=action, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.completed_at is not None
    assert action.completed_at >= before

    services.action_update(actor=officer, action=action, status=ActionStatus.CANCELLED, cancel_reason="Council did it")
    action.refresh_from_db()
    assert (action.status, action.cancel_reason, action.completed_at) == ("cancelled", "Council did it", None)

    services.action_update(actor=officer, action=action, status=ActionStatus.IN_PROGRESS)
    action.refresh_from_db()
    assert (action.status, action.cancel_reason) == ("in_progress", "")
    assert AuditEvent.objects.filter(verb="problems.action.updated").count() == 3


def test_action_added_as_done_is_stamped_complete(world: World) -> None:
    action = _add_action(world, _problem(world, Stage.RESPONSE), status=ActionStatus.DONE)
    assert action.completed_at is not None


def test_a_child_of_another_problem_is_written_through_its_own_problem(world: World) -> None:
    """The service checks the right on the child's problem, not on one the caller names."""
    theirs = problem_at(Stage.ANALYSIS, ready=False, force=world.force)
    hypothesis = HypothesisFactory(problem=theirs)
    with pytest.raises(PermissionDenied):
        services.hypothesis_remove(actor=world.users["officer"], hypothesis=hypothesis)
    assert Hypothesis.objects.filter(pk=hypothesis.pk).exists()


def test_changing_content_after_sign_off_voids_the_sign_off(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    problem.signed_off_by = world.users["supervisor"]
    problem.signed_off_at = timezone.now()
    problem.save()
    services.problem_assessment_update(actor=world.users["officer"], problem=problem, lessons_learned="Rewritten")
    problem.refresh_from_db()
    assert problem.signed_off_at is None
    assert problem.signed_off_by is None
    event = AuditEvent.objects.get(verb="problems.problem.assessment_updated")
    assert event.detail["sign_off_cleared"] is True


def test_saving_unchanged_content_keeps_the_sign_off(world: World) -> None:
    problem = _problem(world, Stage.ASSESSMENT)
    objective = ObjectiveFactory(problem=problem, result="12 calls", met=True)
    problem.signed_off_by = world.users["supervisor"]
    problem.signed_off_at = timezone.now()
    problem.save()
    services.objective_update(actor=world.users["officer"], objective=objective, result="12 calls", met=True)
    problem.refresh_from_db()
    assert problem.signed_off_by == world.users["supervisor"]
