"""An objective's baseline and target are the yardstick of the assessment: from the response on,
changing either is a recorded revision with a reason (issue 20: they could still be rewritten after
the response, leaving nothing to show what the problem was first measured against)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from problems.models import Objective, ObjectiveRevision, Stage
from problems.services.retention import problem_dispose
from problems.services.sara import objective_update
from problems.services.sara.common import OBJECTIVE_REVISION_REASON_REQUIRED
from tests.conftest import World, sign_in
from tests.problems.factories_retention import closed_problem
from tests.problems.factories_sara import ObjectiveFactory, problem_at

pytestmark = pytest.mark.django_db


def _objective(world: World, stage: str) -> Objective:
    problem = problem_at(stage, ready=False, force=world.force, owner=world.users["officer"])
    return ObjectiveFactory(problem=problem, baseline="34 calls a quarter", target="Fewer than 15 calls a quarter")


def test_in_analysis_the_baseline_and_target_change_freely(world: World) -> None:
    objective = _objective(world, Stage.ANALYSIS)
    objective_update(actor=world.users["officer"], objective=objective, target="Fewer than 10 calls a quarter")
    objective.refresh_from_db()
    assert objective.target == "Fewer than 10 calls a quarter"
    assert not ObjectiveRevision.objects.exists()


def test_after_the_response_starts_a_new_target_without_a_reason_is_refused_and_changes_nothing(
    world: World,
) -> None:
    objective = _objective(world, Stage.RESPONSE)
    with pytest.raises(ValidationError) as refused:
        objective_update(actor=world.users["officer"], objective=objective, target="Fewer than 30 calls a quarter")
    assert refused.value.message_dict == {"revision_reason": [OBJECTIVE_REVISION_REASON_REQUIRED]}
    objective.refresh_from_db()
    assert objective.target == "Fewer than 15 calls a quarter"
    assert not ObjectiveRevision.objects.exists()
    assert not AuditEvent.objects.filter(verb="problems.objective.updated").exists()


def test_a_revision_keeps_both_values_who_when_and_why(world: World) -> None:
    objective = _objective(world, Stage.RESPONSE)
    supervisor = world.users["supervisor"]
    objective_update(
        actor=supervisor,
        objective=objective,
        baseline="40 calls a quarter",
        target="Fewer than 20 calls a quarter",
        revision_reason="The baseline missed calls logged as street drinking.",
    )
    revision = ObjectiveRevision.objects.get(objective=objective)
    assert (revision.baseline_before, revision.baseline_after) == ("34 calls a quarter", "40 calls a quarter")
    assert (revision.target_before, revision.target_after) == (
        "Fewer than 15 calls a quarter",
        "Fewer than 20 calls a quarter",
    )
    assert (revision.by, revision.reason) == (supervisor, "The baseline missed calls logged as street drinking.")
    event = AuditEvent.objects.get(verb="problems.objective.updated")
    assert event.detail["revision_reason"] == revision.reason


def test_other_changes_after_the_response_need_no_reason(world: World) -> None:
    objective = _objective(world, Stage.RESPONSE)
    objective_update(actor=world.users["officer"], objective=objective, measure="Calls and reports to the council")
    objective.refresh_from_db()
    assert objective.measure == "Calls and reports to the council"
    assert not ObjectiveRevision.objects.exists()


def test_the_edit_page_asks_for_the_reason_keeps_what_was_typed_and_lists_the_revisions(world: World) -> None:
    objective = _objective(world, Stage.RESPONSE)
    client = sign_in(Client(), world.users["officer"])
    url = reverse("objective-edit", args=[objective.pk])
    page = client.get(url).content.decode()
    assert "Reason for revising the baseline or target" in page
    data = {
        "description": objective.description,
        "measure": objective.measure,
        "baseline": objective.baseline,
        "target": "Fewer than 25 calls a quarter",
        "target_date": objective.target_date.isoformat(),
        "revision_reason": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "There is a problem" in text
    assert OBJECTIVE_REVISION_REASON_REQUIRED.replace("'", "&#x27;") in text
    assert 'value="Fewer than 25 calls a quarter"' in text
    objective.refresh_from_db()
    assert objective.target == "Fewer than 15 calls a quarter"

    saved = client.post(url, {**data, "revision_reason": "The council's figures arrived late."})
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    assert "Revisions of the baseline and target" in page
    assert "The council&#x27;s figures arrived late." in page


def test_disposal_erases_the_reasons_of_revisions(world: World) -> None:
    problem = closed_problem(world)
    objective = ObjectiveFactory(problem=problem)
    ObjectiveRevision.objects.create(
        objective=objective,
        baseline_before="34",
        baseline_after="40",
        target_before="15",
        target_after="20",
        reason="Ms Example's complaints were missed.",
        by=world.users["officer"],
    )
    problem_dispose(actor=world.users["supervisor"], problem=problem, confirmed=True)
    revision = ObjectiveRevision.objects.get(objective=objective)
    assert revision.reason == ""
