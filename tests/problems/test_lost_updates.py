"""No lost updates on a problem (issue 19, DESIGN.md section 6): two people editing the same record
or SARA part at once, each from the page they loaded. The first save wins; the second is refused
(200, the form again) with what they typed kept, the first person's saved version shown beside it,
and the conflict named; the database keeps the first change and the audit log credits it, once, to
the first person. Two stage moves from the same page end in one move and the second is told; so do
two changes of the same share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse

from core.concurrency import EDITED_BY_SOMEONE_ELSE, StateConflict, when
from core.models import AuditEvent
from problems.forms.problems import PROBLEM_FORM_FIELDS
from problems.models import ActionStatus, Problem, Stage, StageTransition
from problems.services import sara as sara_services
from problems.services.contributions import action_complete_by_partner
from problems.services.sharing import SHARE_ALREADY_SHARED, SHARE_ENDED_BY_SOMEONE_ELSE
from problems.services.stages import STAGE_MOVED_BY_SOMEONE_ELSE, problem_advance_stage
from tests.conftest import World, sign_in
from tests.partnerships.factories_agreements import category
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import active_agreement, share
from tests.two_editors import escaped, posted, seen

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _post_data(obj: models.Model, fields: tuple[str, ...], version: str) -> dict[str, Any]:
    """What the edit form posts for `obj` unchanged (foreign keys by id, many-to-many by ids)."""
    data: dict[str, Any] = {"lock_version": version}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = [str(pk) for pk in getattr(obj, name).values_list("pk", flat=True)]
        elif isinstance(field, models.BooleanField):
            if getattr(obj, name):
                data[name] = "on"
        else:
            data[name] = posted(getattr(obj, name))
    if "met" in data:
        data["met"] = {True: "yes", False: "no"}.get(obj.met, "")
    return data


def _problem(world: World) -> Problem:
    return problem_at(Stage.ASSESSMENT, force=world.force, owner=world.users["officer"])


# (url name, what it edits, its form's fields, the field both people change, its audit verb)
EDITS: list[tuple[str, Callable[[Problem], models.Model], tuple[str, ...], str, str]] = [
    (
        "problem-edit",
        lambda p: p,
        PROBLEM_FORM_FIELDS,
        "description",
        "problems.problem.updated",
    ),
    (
        "problem-scanning",
        lambda p: p,
        sara_services.SCANNING_FIELDS,
        "problem_statement",
        "problems.problem.scanning_updated",
    ),
    (
        "problem-analysis",
        lambda p: p,
        sara_services.ANALYSIS_FIELDS,
        "pat_offender",
        "problems.problem.analysis_updated",
    ),
    (
        "problem-assessment",
        lambda p: p,
        sara_services.ASSESSMENT_FIELDS,
        "lessons_learned",
        "problems.problem.assessment_updated",
    ),
    (
        "controller-edit",
        lambda p: p.controllers.first(),
        sara_services.CONTROLLER_FIELDS,
        "who",
        "problems.controller.updated",
    ),
    (
        "hypothesis-edit",
        lambda p: p.hypotheses.first(),
        sara_services.HYPOTHESIS_FIELDS,
        "statement",
        "problems.hypothesis.updated",
    ),
    (
        "objective-edit",
        lambda p: p.objectives.first(),
        sara_services.OBJECTIVE_FIELDS,
        "description",
        "problems.objective.updated",
    ),
    ("action-edit", lambda p: p.actions.first(), sara_services.ACTION_FIELDS, "description", "problems.action.updated"),
]


@pytest.mark.parametrize(("url_name", "target", "fields", "changed", "verb"), EDITS, ids=[e[0] for e in EDITS])
def test_the_second_of_two_saves_is_refused_keeping_what_was_typed_and_showing_the_first(
    world: World,
    url_name: str,
    target: Callable[[Problem], models.Model],
    fields: tuple[str, ...],
    changed: str,
    verb: str,
) -> None:
    obj = target(_problem(world))
    url = reverse(url_name, kwargs={"pk": obj.pk})
    officer, supervisor = _client(world, "officer"), _client(world, "supervisor")
    officer_saw, supervisor_saw = seen(officer.get(url)), seen(supervisor.get(url))

    first = officer.post(url, {**_post_data(obj, fields, officer_saw), changed: "Olivia's change, saved first"})
    assert first.status_code == 302
    second = supervisor.post(url, {**_post_data(obj, fields, supervisor_saw), changed: "Sam typed this second"})

    # Refused: the form again (200), the error summary naming who saved and when.
    assert second.status_code == 200
    event = AuditEvent.objects.get(verb=verb)
    message = EDITED_BY_SOMEONE_ELSE.format(
        name=world.users["officer"].full_name, what=type(obj)._meta.verbose_name, when=when(event.created_at)
    )
    assert "There is a problem" in second.text
    assert escaped(message) in second.text
    # What Sam typed is kept in the form; Olivia's saved text is shown beside it, read-only.
    assert "Sam typed this second" in second.text
    assert "data-edit-conflict" in second.text
    assert escaped("Olivia's change, saved first") in second.text
    # The database holds Olivia's change; the audit log has one event, hers.
    obj.refresh_from_db()
    assert getattr(obj, changed) == "Olivia's change, saved first"
    assert event.actor == world.users["officer"]
    # Saving again from the refused page (having seen both) is deliberate, and keeps Sam's text.
    again = supervisor.post(url, {**_post_data(obj, fields, seen(second)), changed: "Sam typed this second"})
    assert again.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, changed) == "Sam typed this second"
    assert list(AuditEvent.objects.filter(verb=verb).order_by("seq").values_list("actor", flat=True)) == [
        world.users["officer"].pk,
        world.users["supervisor"].pk,
    ]


def test_an_action_marked_done_by_its_partner_is_not_undone_by_an_officer_editing_it(world: World) -> None:
    problem = _problem(world)
    action = problem.actions.first()
    assert action is not None
    url = reverse("action-edit", kwargs={"pk": action.pk})
    officer = _client(world, "officer")
    saw = seen(officer.get(url))
    action.responsible_organisation = world.force
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    action_complete_by_partner(actor=world.users["supervisor"], action=action)

    response = officer.post(url, {**_post_data(action, sara_services.ACTION_FIELDS, saw), "status": "in_progress"})

    assert response.status_code == 200
    assert "data-edit-conflict" in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def _ready_for_two_moves(world: World) -> Problem:
    """A problem in scanning whose analysis is complete too: without the seen stage, two clicks
    would carry it to response."""
    problem = problem_at(Stage.ANALYSIS, ready=True, force=world.force, owner=world.users["officer"])
    Problem.objects.filter(pk=problem.pk).update(stage=Stage.SCANNING)
    problem.refresh_from_db()
    return problem


def test_two_advances_from_the_same_page_move_the_problem_once_and_the_second_is_told(world: World) -> None:
    problem = _ready_for_two_moves(world)
    detail = reverse("problem-detail", kwargs={"pk": problem.pk})
    advance = reverse("problem-advance", kwargs={"pk": problem.pk})
    officer, supervisor = _client(world, "officer"), _client(world, "supervisor")
    officer_saw, supervisor_saw = seen(officer.get(detail), "seen_stage"), seen(supervisor.get(detail), "seen_stage")
    assert officer_saw == supervisor_saw == Stage.SCANNING

    assert officer.post(advance, {"seen_stage": officer_saw, "note": ""}).status_code == 302
    second = supervisor.post(advance, {"seen_stage": supervisor_saw, "note": "Ready to move on"})

    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    assert StageTransition.objects.filter(problem=problem).count() == 1
    assert AuditEvent.objects.filter(verb="problems.problem.stage_advanced").count() == 1
    transition = StageTransition.objects.get(problem=problem)
    message = STAGE_MOVED_BY_SOMEONE_ELSE.format(
        stage="Analysis", name=world.users["officer"].full_name, when=when(transition.at)
    )
    assert second.status_code == 200
    assert escaped(message) in second.text
    # The note is kept, and the page now carries the stage as it is: moving on again is deliberate.
    assert "Ready to move on" in second.text
    assert seen(second, "seen_stage") == Stage.ANALYSIS


def test_a_reopen_from_a_page_showing_an_older_stage_is_refused(world: World) -> None:
    problem = _problem(world)
    reopen = reverse("problem-reopen", kwargs={"pk": problem.pk})
    officer, supervisor = _client(world, "officer"), _client(world, "supervisor")
    officer_saw, supervisor_saw = seen(officer.get(reopen), "seen_stage"), seen(supervisor.get(reopen), "seen_stage")

    assert (
        officer.post(
            reopen, {"seen_stage": officer_saw, "to_stage": "analysis", "reason": "More to find out"}
        ).status_code
        == 302
    )
    second = supervisor.post(
        reopen, {"seen_stage": supervisor_saw, "to_stage": "response", "reason": "Actions slipped"}
    )

    assert second.status_code == 200
    assert "This problem was already moved to Analysis by" in second.text
    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    assert AuditEvent.objects.filter(verb="problems.problem.reopened").count() == 1


def test_a_sign_off_from_a_page_showing_assessment_is_refused_once_the_problem_has_moved(world: World) -> None:
    problem = problem_at(Stage.ASSESSMENT, ready=True, force=world.force, owner=world.users["officer"])
    detail = reverse("problem-detail", kwargs={"pk": problem.pk})
    supervisor = _client(world, "supervisor")
    saw = seen(supervisor.get(detail), "seen_stage")
    reopened = _client(world, "officer").post(
        reverse("problem-reopen", kwargs={"pk": problem.pk}),
        {"seen_stage": Stage.ASSESSMENT, "to_stage": "response", "reason": "One action is not done"},
    )
    assert reopened.status_code == 302

    refused = supervisor.post(
        reverse("problem-sign-off", kwargs={"pk": problem.pk}), {"seen_stage": saw, "confirm": "on"}
    )

    assert refused.status_code == 200
    assert "This problem was already moved to Response by" in refused.text
    problem.refresh_from_db()
    assert problem.signed_off_at is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="watches PostgreSQL's lock waits")
@pytest.mark.django_db(transaction=True)
def test_two_advances_racing_on_two_connections_end_in_one_move(world: World) -> None:
    """Real concurrency (PostgreSQL): the first move holds the problem's row until it commits, and
    the second is seen waiting on that lock before the first commits; it then finds the stage
    moved on and is refused."""
    problem = _ready_for_two_moves(world)
    first_moved, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                problem_advance_stage(actor=world.users["officer"], problem=problem, seen_stage=Stage.SCANNING)
                first_moved.set()
                assert release.wait(timeout=120)
            outcome["first"] = "moved"
        except BaseException as error:
            outcome["first"] = error
            first_moved.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            assert first_moved.wait(timeout=120)
            problem_advance_stage(actor=world.users["supervisor"], problem=problem, seen_stage=Stage.SCANNING)
            outcome["second"] = "moved"
        except BaseException as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_moved.wait(timeout=120)
    _wait_until_a_backend_waits_on_a_lock()
    release.set()
    for thread in threads:
        thread.join(timeout=120)

    assert outcome["first"] == "moved"
    assert isinstance(outcome["second"], StateConflict)
    assert "This problem was already moved to Analysis by" in outcome["second"].messages[0]
    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    assert StageTransition.objects.filter(problem=problem).count() == 1


def _wait_until_a_backend_waits_on_a_lock() -> None:
    """Wait (a condition, not a sleep of a guessed length) until another connection of this test
    database is blocked on a row lock."""
    deadline = time.monotonic() + 120
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second move never waited on the first's lock")


def test_two_revocations_of_a_share_at_once_end_it_once_and_the_second_is_told(world: World) -> None:
    shared = share(world)
    url = reverse("share-revoke", kwargs={"pk": shared.pk})
    officer, supervisor = _client(world, "officer"), _client(world, "supervisor")
    assert officer.get(url).status_code == supervisor.get(url).status_code == 200

    assert officer.post(url, {"reason": "The work is finished"}).status_code == 302
    second = supervisor.post(url, {"reason": "No longer needed"})

    shared.refresh_from_db()
    message = SHARE_ENDED_BY_SOMEONE_ELSE.format(name=world.users["officer"].full_name, when=when(shared.ended_at))
    assert second.status_code == 200
    assert escaped(message) in second.text
    assert shared.end_reason == "The work is finished"
    assert AuditEvent.objects.filter(verb="problems.share.revoked").count() == 1


def test_two_shares_with_the_same_partner_at_once_make_one_and_the_second_is_told(world: World) -> None:
    problem = problem_at(Stage.SCANNING, force=world.force, owner=world.users["officer"])
    agreement = active_agreement(world.force, world.partner)
    url = reverse("problem-share", kwargs={"pk": problem.pk})
    officer, supervisor = _client(world, "officer"), _client(world, "supervisor")
    assert officer.get(url).status_code == supervisor.get(url).status_code == 200
    data = {
        "organisation": world.partner.pk,
        "access_level": "view",
        "agreement": agreement.pk,
        "data_categories": [category("asb-reports").pk],
    }

    assert officer.post(url, data).status_code == 302
    second = supervisor.post(url, {**data, "access_level": "contribute"})

    assert second.status_code == 200
    assert escaped(SHARE_ALREADY_SHARED.format(organisation=world.partner.name)) in second.text
    assert problem.shares.get().access_level == "view"
