"""Disposal of a closed problem (DESIGN.md section 5): it leaves the metadata record and no personal
text anywhere (every text column of every row that pointed to the problem, the pages and the
search), cannot be undone, and blanks the append-only decision log through its one narrow path."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from core.audit import audit_record
from core.db_roles import app_role_grant
from core.models import AuditEvent, Notification, Reminder
from evaluation.models import AwardDraft, EmmieAssessment
from problems.models import (
    DecisionConfirmation,
    DecisionLogEntry,
    Objective,
    Problem,
    ProblemDisposal,
    ProblemTeamMember,
    Stage,
)
from problems.selectors.access import (
    PROBLEM_DISPOSED,
    can_contribute_to_problem,
    can_edit_problem_sections,
    can_record_decision,
)
from problems.services.retention import (
    DISPOSE_NOT_CONFIRMED,
    RETENTION_ALREADY_DISPOSED,
    problem_dispose,
    problem_retention_retain,
)
from problems.services.stages import problem_reopen
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory
from tests.problems.factories_contributions import attachment
from tests.problems.factories_retention import SECRET, closed_problem, days, problem_with_every_part, today

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _rows_pointing_to(problem: Problem) -> list[models.Model]:
    """Every row of every model with a foreign key (or one-to-one) to the problem, the decision
    confirmations (through their entry) and the notifications and reminders about it, and the
    problem itself."""
    rows: list[models.Model] = [Problem.objects.get(pk=problem.pk)]
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Problem:
                rows.extend(model._default_manager.filter(**{field.name: problem.pk}))
    rows.extend(DecisionConfirmation.objects.filter(entry__problem=problem))
    target = {"target_type": "problems.problem", "target_id": str(problem.pk)}
    rows.extend(Notification.objects.filter(**target))
    rows.extend(Reminder.objects.filter(**target))
    return rows


def _text_holding(rows: list[models.Model], needle: str) -> list[str]:
    found = []
    for row in rows:
        for field in row._meta.concrete_fields:
            text_column = isinstance(field, models.TextField | models.CharField | models.JSONField | models.FileField)
            if text_column and needle in str(field.value_from_object(row)):
                found.append(f"{row._meta.label}.{field.name}")
    return found


def test_disposal_leaves_the_metadata_record_and_no_personal_text_anywhere(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = problem_with_every_part(world)
    file = attachment(problem=problem, actor=world.users["officer"], description=f"Photo of {SECRET}")
    stored = file.file.name
    storage = file.file.storage
    assert set(_text_holding(_rows_pointing_to(problem), SECRET)) >= {
        "problems.Problem.title",
        "problems.DecisionLogEntry.information",
        "problems.DecisionConfirmation.note",
        "problems.ProblemUpdate.text",
        "problems.ProblemAttachment.description",
        "evaluation.EmmieAssessment.effect",
        "evaluation.AwardDraft.summary",
        "core.Notification.title",
        "core.Reminder.title",
    }

    earlier = audit_record(
        actor=world.users["officer"],
        verb="problems.problem.updated",
        target=problem,
        detail={"title": {"before": "Street drinking", "after": problem.title}},
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(world, "dpo").post(reverse("retention-dispose", args=[problem.pk]), {"confirm": "on"})

    assert response.status_code == 302
    assert _text_holding(_rows_pointing_to(problem), SECRET) == []
    assert not storage.exists(stored)
    problem.refresh_from_db()
    assert problem.disposed_at is not None
    assert problem.title == problem.disposed_label
    assert problem.title.startswith(f"Disposed on {today().day} {today():%B %Y}: metadata only")
    assert (problem.latitude, problem.longitude, problem.radius_m, problem.address) == (None, None, None, "")
    # The metadata record.
    disposal = ProblemDisposal.objects.get(problem=problem)
    assert (disposal.reference, disposal.category, disposal.risk_level, disposal.opened_on) == (
        problem.reference,
        problem.category.name,
        problem.risk_level,
        problem.opened_on,
    )
    assert disposal.outcome["objectives_met"] == 1
    assert disposal.outcome["actions_cancelled"] == 1
    assert disposal.counts["Decisions"] == 1
    assert disposal.counts["Updates"] == 1
    assert disposal.counts["Attachments"] == 1
    assert "evaluation" in disposal.figures
    # What stays: the rows that describe the record, without their text.
    assert DecisionLogEntry.objects.filter(problem=problem).count() == 1
    assert Objective.objects.get(problem=problem).met is True
    assert EmmieAssessment.objects.get(problem=problem).effect_rating == 2
    assert not problem.updates.exists()
    assert not problem.attachments.exists()
    assert not AwardDraft.objects.filter(problem=problem).exists()
    # The email about it that was still to be sent is withdrawn.
    assert not Reminder.objects.filter(target_type="problems.problem", target_id=str(problem.pk)).exists()
    # Partners' access ended with it.
    assert not problem.shares.filter(ended_at__isnull=True).exists()
    # The disposal is audited, with metadata and counts only, and the audit chain still holds.
    event = AuditEvent.objects.get(verb="problems.problem.disposed", target_id=str(problem.pk))
    assert event.actor == world.users["dpo"]
    assert SECRET not in str(event.detail)
    # Past events are not rewritten (README, "Retention"): their snapshots stay, and the chain holds.
    assert SECRET in str(AuditEvent.objects.get(pk=earlier.pk).detail)
    call_command("verify_audit")


DEFINITION_FIELDS = (
    "demand_note",
    "perceived_problem",
    "defined_problem",
    "perceived_aim",
    "defined_aim",
    "aim_evaluation",
)


def test_disposal_erases_the_demand_the_problem_as_perceived_and_defined_and_the_aims(world: World) -> None:
    """Issue 20's fields: the demand notes and the perceived problem may name the people who
    complained and those complained of; every one of them goes, the kinds of demand stay."""
    problem = problem_with_every_part(world)
    assert all(SECRET in getattr(problem, name) for name in DEFINITION_FIELDS)
    problem_dispose(actor=world.users["dpo"], problem=problem, confirmed=True)
    problem.refresh_from_db()
    assert {name: getattr(problem, name) for name in DEFINITION_FIELDS} == dict.fromkeys(DEFINITION_FIELDS, "")
    assert list(problem.demand_sources.values_list("kind", flat=True)) == ["resident_complaint"]


def test_after_disposal_no_page_or_search_shows_the_personal_text(world: World) -> None:
    problem = problem_with_every_part(world)
    problem_dispose(actor=world.users["dpo"], problem=problem, confirmed=True)
    problem.refresh_from_db()
    label = problem.disposed_label

    officer, supervisor, dpo = (_client(world, p) for p in ("officer", "supervisor", "dpo"))
    assert list(officer.get(reverse("problem-list"), {"q": problem.reference}).context["page"]) == [problem]
    searched = officer.get(reverse("problem-list"), {"q": "Acacia"})
    assert list(searched.context["page"]) == []
    listed = officer.get(reverse("problem-list"))
    assert label in listed.text
    for client, url in [
        (officer, reverse("problem-detail", args=[problem.pk])),
        (officer, reverse("problem-list")),
        (officer, reverse("home")),
        (supervisor, reverse("home")),
        (supervisor, reverse("retention-list")),
        (supervisor, reverse("retention-review", args=[problem.pk])),
        (dpo, reverse("retention-review", args=[problem.pk])),
        (dpo, reverse("retention-dispose", args=[problem.pk])),
        (supervisor, reverse("notification-list")),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.text, url
    page = officer.get(reverse("problem-detail", args=[problem.pk]))
    assert label in page.text
    assert "cannot be undone" in page.text


def test_disposal_cannot_be_undone_or_repeated_and_the_problem_cannot_change(world: World) -> None:
    problem = closed_problem(world)
    problem_dispose(actor=world.users["dpo"], problem=problem, confirmed=True)
    problem.refresh_from_db()

    with pytest.raises(ValidationError) as again:
        problem_dispose(actor=world.users["supervisor"], problem=problem, confirmed=True)
    assert again.value.messages == [RETENTION_ALREADY_DISPOSED.format(date=f"{today().day} {today():%B %Y}")]
    with pytest.raises(ValidationError):
        problem_retention_retain(
            actor=world.users["supervisor"], problem=problem, reason="Keep", next_review_date=days(10)
        )
    # No reopening: the lead and the supervisors are refused, by the page and by the service.
    response = _client(world, "supervisor").get(reverse("problem-reopen", args=[problem.pk]))
    assert response.status_code == 403
    assert PROBLEM_DISPOSED in response.text
    with pytest.raises(PermissionDenied):
        problem_reopen(actor=world.users["supervisor"], problem=problem, to_stage=Stage.ASSESSMENT, reason="Undo")
    # Nobody may change any part of it: not its lead, a supervisor or its team.
    colleague = UserFactory(role="officer", organisation=world.force)
    ProblemTeamMember.objects.create(problem=problem, user=colleague, added_by=world.users["supervisor"])
    for user in (world.users["officer"], world.users["supervisor"], colleague):
        assert not can_edit_problem_sections(user, problem)
        assert not can_contribute_to_problem(user, problem)
        assert not can_record_decision(user, problem)
    # The dispose page says so and offers no form; a POST is refused.
    client = _client(world, "dpo")
    page = client.get(reverse("retention-dispose", args=[problem.pk]))
    assert "cannot be undone" in page.text
    assert "<form" not in page.text.split("<main", 1)[-1]
    refused = client.post(reverse("retention-dispose", args=[problem.pk]), {"confirm": "on"})
    assert refused.status_code == 200
    assert RETENTION_ALREADY_DISPOSED.format(date=f"{today().day} {today():%B %Y}") in refused.text
    assert ProblemDisposal.objects.filter(problem=problem).count() == 1


def test_disposal_needs_the_confirmation(world: World) -> None:
    problem = closed_problem(world, title=f"About {SECRET}")

    response = _client(world, "dpo").post(reverse("retention-dispose", args=[problem.pk]), {})

    assert response.status_code == 200
    assert DISPOSE_NOT_CONFIRMED in response.text
    assert "cannot be undone" in response.text
    problem.refresh_from_db()
    assert problem.disposed_at is None
    assert SECRET in problem.title


def test_an_open_problem_cannot_be_disposed_of(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    response = _client(world, "dpo").get(reverse("retention-review", args=[problem.pk]))
    assert response.status_code == 404


# --- The decision log's narrow disposal path (PostgreSQL) ------------------------------------------


def _entry(world: World, problem: Problem) -> DecisionLogEntry:
    return DecisionLogEntry.objects.create(
        problem=problem,
        author=world.users["officer"],
        information="Who",
        threat_and_risk="Risk",
        powers_and_policy="Powers",
        options="Options",
        decision_and_action="Decision",
        code_of_ethics="Ethics",
    )


def _refused(sql: str, params: list[Any], match: str = "append-only", *, disposal: int | None = None) -> bool:
    """Whether the statement is refused, with a message containing `match`; with `disposal`, run
    after setting commonground.disposal to that problem id for the transaction (SET LOCAL)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if disposal is not None:
                cursor.execute("SELECT set_config('commonground.disposal', %s, true)", [str(disposal)])
            cursor.execute(sql, params)
    except DatabaseError as error:
        return match in str(error)
    return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's")
def test_the_decision_log_still_refuses_every_other_update(world: World) -> None:
    problem = closed_problem(world)
    entry = _entry(world, problem)
    blank = "UPDATE problems_decisionlogentry SET information = '', threat_and_risk = '', powers_and_policy = '', "
    blank += "options = '', decision_and_action = '', review = '', code_of_ethics = '' WHERE id = %s"

    # An ordinary UPDATE, even one that only blanks the text.
    assert _refused("UPDATE problems_decisionlogentry SET information = 'Changed' WHERE id = %s", [entry.pk])
    assert _refused(blank, [entry.pk])
    # With the setting for another problem, or changing anything but blanking the text.
    other = closed_problem(world)
    assert _refused(blank, [entry.pk], disposal=other.pk)
    changes_author = blank.replace("WHERE", ", author_id = %s WHERE")
    assert _refused(changes_author, [world.users["supervisor"].pk, entry.pk], disposal=problem.pk)
    rewrites = "UPDATE problems_decisionlogentry SET information = 'Rewritten' WHERE id = %s"
    assert _refused(rewrites, [entry.pk], disposal=problem.pk)
    # DELETE is refused even with the setting.
    assert _refused("DELETE FROM problems_decisionlogentry WHERE id = %s", [entry.pk], disposal=problem.pk)
    # With the setting, blanking the text is the one UPDATE let through (what the function does).
    assert not _refused(blank, [entry.pk], disposal=problem.pk)
    # The erasing function refuses a problem with no disposal record.
    other_entry = _entry(world, other)
    assert _refused("SELECT problems_decisions_erase_for_disposal(%s)", [other.pk], "no disposal record")
    other_entry.refresh_from_db()
    assert other_entry.information == "Who"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's")
def test_disposal_blanks_only_its_own_problems_decisions(world: World) -> None:
    problem, other = closed_problem(world), closed_problem(world)
    mine, theirs = _entry(world, problem), _entry(world, other)

    problem_dispose(actor=world.users["dpo"], problem=problem, confirmed=True)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.information, mine.code_of_ethics, mine.author_id) == ("", "", world.users["officer"].pk)
    assert theirs.information == "Who"
    # The setting does not outlive the function.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('commonground.disposal', true)")
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_the_application_role_disposes_through_the_function_and_still_cannot_update_the_log(world: World) -> None:
    """As a role given only the application's privileges (core.db_roles: SELECT and INSERT on the
    decision log), disposal still blanks the decisions, through the SECURITY DEFINER function."""
    problem = closed_problem(world)
    entry = _entry(world, problem)
    role = f"cg_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    app_role_grant(connection=connection, role=role)
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    try:
        assert _refused(
            "UPDATE problems_decisionlogentry SET information = '' WHERE id = %s", [entry.pk], "permission denied"
        )
        problem_dispose(actor=world.users["dpo"], problem=problem, confirmed=True)
        entry.refresh_from_db()
        assert entry.information == ""
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


POINTS_TO_A_PROBLEM = {
    "problems.StageTransition": "text blanked",
    "problems.ReviewEntry": "text blanked",
    "problems.Controller": "text blanked",
    "problems.Hypothesis": "text blanked",
    "problems.Objective": "text blanked",
    "problems.ResponseAction": "text blanked",
    "problems.DecisionLogEntry": "text blanked by the disposal function",
    "problems.ProblemUpdate": "deleted",
    "problems.ProblemAttachment": "deleted, with its file",
    "problems.Handover": "text blanked",
    "problems.ProblemShare": "ended, text blanked",
    "problems.ProblemFollower": "deleted",
    "problems.ProblemStakeholder": "deleted (the controllers' links with it)",
    "problems.AgendaItem": "minutes blanked (its joint decisions are decision log entries)",
    "problems.Referral": "text blanked, outcome kept",
    "problems.ProblemTeamMember": "kept: who worked it (no text)",
    "problems.ProblemDemandSource": "kept: the kinds of demand (no text)",
    "problems.StageInterval": "kept: when it entered and left each stage (no text)",
    "problems.ProblemUserObjectPermission": "kept: no text",
    "problems.ProblemGroupObjectPermission": "removed with the shares",
    "problems.RetentionReview": "kept: the retention history",
    "problems.ProblemDisposal": "the metadata record",
    "evaluation.EvaluationDesign": "text blanked, figures kept",
    "evaluation.EmmieAssessment": "text blanked, ratings kept",
    "evaluation.AwardDraft": "deleted",
    "evaluation.Survey": "kept: its own record (README, Retention)",
}


def test_every_model_that_points_to_a_problem_has_a_disposal_rule() -> None:
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Problem
    }
    assert pointing == set(POINTS_TO_A_PROBLEM)
