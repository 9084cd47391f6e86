"""Retention of closed problems (DESIGN.md section 5): the review date set on closing and by the
backfill, the due list, retaining with a reason and a new date, disposal that leaves the metadata
record and no personal text anywhere (every text column of every row that pointed to the problem,
the pages and the search), the decision log's narrow disposal path, and the monthly sweep."""

from __future__ import annotations

import datetime
import importlib
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.db_roles import app_role_grant
from core.models import AuditEvent, Notification, Reminder
from core.reminders import reminders_send, sweep_run
from evaluation.models import AwardDraft, EmmieAssessment
from problems.models import (
    ActionStatus,
    Controller,
    DecisionConfirmation,
    DecisionLogEntry,
    Handover,
    HandoverKind,
    Hypothesis,
    Objective,
    Problem,
    ProblemDisposal,
    ProblemTeamMember,
    ProblemUpdate,
    ResponseAction,
    RetentionOutcome,
    RetentionReview,
    ReviewEntry,
    Stage,
    StageTransition,
)
from problems.retention_reminders import RETENTION_KIND
from problems.selectors.access import (
    PROBLEM_DISPOSED,
    can_contribute_to_problem,
    can_edit_problem_sections,
    can_record_decision,
)
from problems.services.retention import (
    DISPOSE_NOT_ALLOWED,
    DISPOSE_NOT_CONFIRMED,
    RETAIN_DATE_NOT_FUTURE,
    RETAIN_REASON_REQUIRED,
    RETENTION_ALREADY_DISPOSED,
    problem_dispose,
    problem_retention_retain,
)
from problems.services.stages import problem_advance_stage, problem_reopen
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import design_for
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_contributions import attachment
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

SECRET = "Jane-Doe-of-14-Acacia-Avenue"


def _today() -> datetime.date:
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def closed_problem(world: World, *, due: datetime.date | None = None, **fields: Any) -> Problem:
    return ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        stage=Stage.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=6 * 366),
        retention_review_date=due if due is not None else _days(-1),
        **fields,
    )


# --- The review date ---------------------------------------------------------------------------


def test_closing_a_problem_sets_its_retention_review_six_years_on_by_default(world: World) -> None:
    supervisor = world.users["supervisor"]
    problem = problem_at(Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"])

    problem = problem_advance_stage(actor=supervisor, problem=problem)

    closed_on = timezone.localtime(problem.closed_at).date()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)
    problem.refresh_from_db()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)


def test_the_longest_of_the_default_category_and_risk_periods_applies(world: World, settings: Any) -> None:
    settings.RETENTION_PERIODS = {"default": 6, "risk": {"high": 8}, "category": {"asb": 10}}
    supervisor = world.users["supervisor"]
    high = problem_at(
        Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"], risk_level="high"
    )
    assert problem_advance_stage(actor=supervisor, problem=high).retention_review_date.year == _today().year + 10
    settings.RETENTION_PERIODS = {"default": 6, "risk": {"high": 8}, "category": {}}
    other = problem_at(
        Stage.ASSESSMENT, signed_off_by=supervisor, force=world.force, owner=world.users["officer"], risk_level="high"
    )
    assert problem_advance_stage(actor=supervisor, problem=other).retention_review_date.year == _today().year + 8


def test_reopening_a_closed_problem_clears_its_retention_review(world: World) -> None:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"])
    Problem.objects.filter(pk=problem.pk).update(retention_review_date=_days(100))
    problem.refresh_from_db()

    problem_reopen(actor=world.users["supervisor"], problem=problem, to_stage=Stage.ASSESSMENT, reason="More data")

    problem.refresh_from_db()
    assert problem.retention_review_date is None


def test_the_backfill_dates_problems_closed_before_retention_existed(world: World) -> None:
    migration = importlib.import_module("problems.migrations.0014_retention_backfill_and_disposal_path")
    closed_at = timezone.make_aware(datetime.datetime(2020, 3, 15, 12, 0))
    old = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED, closed_at=closed_at)
    still_open = ProblemFactory(force=world.force, owner=world.users["officer"])

    migration.backfill(apps, None)

    old.refresh_from_db()
    still_open.refresh_from_db()
    assert old.retention_review_date == datetime.date(2026, 3, 15)
    assert still_open.retention_review_date is None


# --- The due list ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "dpo"])
def test_the_due_list_shows_the_forces_closed_problems_due_and_nothing_else(world: World, persona: str) -> None:
    due = closed_problem(world, due=_days(0))
    overdue = closed_problem(world, due=_days(-30))
    later = closed_problem(world, due=_days(1))
    disposed = closed_problem(world, due=_days(-5))
    problem_dispose(actor=world.users["dpo"], problem=disposed, confirmed=True)
    other_force = ProblemFactory(
        force=PoliceForceFactory(), stage=Stage.CLOSED, closed_at=timezone.now(), retention_review_date=_days(-1)
    )

    response = _client(world, persona).get(reverse("retention-list"))

    assert response.status_code == 200
    shown = [problem.reference for problem in response.context["page"]]
    assert shown == [overdue.reference, due.reference]
    assert later.reference not in response.text
    assert other_force.reference not in response.text
    # The list names problems by metadata only: never their titles.
    assert due.title not in response.text
    assert [record.reference for record in response.context["disposed"]] == [disposed.reference]


def test_the_due_list_keeps_the_same_query_count_with_1_and_with_5_problems(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "dpo")

    def count_queries(rows: int) -> None:
        while Problem.objects.filter(retention_review_date__isnull=False).count() < rows:
            closed_problem(world)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the count of the
        # problems due (capped), 5 the page of them with category and neighbourhood, 6 the force's
        # latest disposal records with who disposed of them.
        with django_assert_num_queries(6):
            response = client.get(reverse("retention-list"))
        assert len(response.context["page"]) == rows

    count_queries(1)
    count_queries(5)


def test_the_dpo_and_supervisor_home_pages_count_the_reviews_due(world: World) -> None:
    closed_problem(world)
    closed_problem(world)
    closed_problem(world, due=_days(10))
    for persona in ("dpo", "supervisor"):
        response = _client(world, persona).get(reverse("home"))
        assert response.context["retention_due_count"] == 2
        assert response.text.count('data-retention-due-count="2"') == 1
        assert reverse("retention-list") in response.text


# --- Retain ------------------------------------------------------------------------------------


def test_retaining_records_the_reason_and_moves_the_review_date(world: World) -> None:
    problem = closed_problem(world)
    was = problem.retention_review_date
    client = _client(world, "dpo")

    response = client.post(
        reverse("retention-review", args=[problem.pk]),
        {"reason": "Linked to an ongoing court case.", "next_review_date": _days(365).isoformat()},
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.retention_review_date == _days(365)
    review = RetentionReview.objects.get(problem=problem)
    assert (review.outcome, review.reason, review.review_date_was) == (
        RetentionOutcome.RETAINED,
        "Linked to an ongoing court case.",
        was,
    )
    event = AuditEvent.objects.get(verb="problems.problem.retention_retained", target_id=str(problem.pk))
    assert event.actor == world.users["dpo"]
    assert event.detail["reason"] == "Linked to an ongoing court case."
    assert problem.reference not in [p.reference for p in client.get(reverse("retention-list")).context["page"]]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "", "next_review_date": "2099-01-01"}, "reason", RETAIN_REASON_REQUIRED),
        ({"reason": "Still needed", "next_review_date": "today"}, "next_review_date", None),
        ({"reason": "Still needed", "next_review_date": "1999-02-30"}, "next_review_date", None),
    ],
)
def test_retaining_without_a_reason_or_a_real_date_shows_errors_and_changes_nothing(
    world: World, data: dict[str, str], field: str, message: str | None
) -> None:
    problem = closed_problem(world)
    was = problem.retention_review_date

    response = _client(world, "supervisor").post(reverse("retention-review", args=[problem.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    if message:
        assert message in response.context["form"].errors[field]
    assert 'class="alert alert-danger error-summary"' in response.text
    # What was typed is kept.
    assert data["reason"] in response.text
    problem.refresh_from_db()
    assert problem.retention_review_date == was
    assert not RetentionReview.objects.exists()


def test_retaining_needs_a_date_after_today(world: World) -> None:
    problem = closed_problem(world)
    with pytest.raises(ValidationError) as refused:
        problem_retention_retain(
            actor=world.users["dpo"], problem=problem, reason="Still needed", next_review_date=_today()
        )
    assert refused.value.message_dict == {"next_review_date": [RETAIN_DATE_NOT_FUTURE]}


def test_an_officer_of_the_force_may_not_retain_or_dispose(world: World) -> None:
    problem = closed_problem(world)
    with pytest.raises(PermissionDenied, match=DISPOSE_NOT_ALLOWED):
        problem_retention_retain(
            actor=world.users["officer"], problem=problem, reason="Keep", next_review_date=_days(10)
        )
    with pytest.raises(PermissionDenied, match=DISPOSE_NOT_ALLOWED):
        problem_dispose(actor=world.users["officer"], problem=problem, confirmed=True)
    another_forces_dpo = UserFactory(role="dpo", organisation=PoliceForceFactory())
    with pytest.raises(PermissionDenied):
        problem_dispose(actor=another_forces_dpo, problem=problem, confirmed=True)


def test_the_dpo_review_page_shows_metadata_and_counts_never_the_case_text(world: World) -> None:
    problem = closed_problem(world, title=f"Title {SECRET}", description=f"About {SECRET}")
    ProblemUpdate.objects.create(
        problem=problem, author=world.users["officer"], organisation=world.force, text=f"Saw {SECRET}"
    )

    dpo_page = _client(world, "dpo").get(reverse("retention-review", args=[problem.pk]))
    supervisor_page = _client(world, "supervisor").get(reverse("retention-review", args=[problem.pk]))

    assert SECRET not in dpo_page.text
    assert problem.reference in dpo_page.text
    assert dict(dpo_page.context["counts"])["Updates"] == 1
    assert reverse("problem-detail", args=[problem.pk]) not in dpo_page.text
    assert reverse("problem-detail", args=[problem.pk]) in supervisor_page.text


@pytest.mark.parametrize(("name", "own_queries"), [("retention-review", 1), ("retention-dispose", 0)])
def test_the_review_and_dispose_pages_keep_the_same_query_count_with_1_and_with_5_entries(
    world: World,
    name: str,
    own_queries: int,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    problem = closed_problem(world)
    client = _client(world, "dpo")
    url = reverse(name, args=[problem.pk])

    def count_queries(rows: int) -> None:
        while problem.updates.count() < rows:
            ProblemUpdate.objects.create(
                problem=problem, author=world.users["officer"], organisation=world.force, text="An update"
            )
            RetentionReview.objects.create(
                problem=problem,
                outcome=RetentionOutcome.RETAINED,
                reason="Keep",
                next_review_date=_days(1),
                reviewed_by=world.users["dpo"],
            )
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the problem with
        # its category, neighbourhood and disposal record; then one count per part of the problem
        # (14 of problems: stage moves, reviews, controllers, hypotheses, objectives, actions,
        # decisions, confirmations, updates, attachments, handovers, shares, followers,
        # notifications; 3 of evaluation: before/after design, EMMIE, award entry draft), and on
        # the review page the retention reviews so far with who made them.
        with django_assert_num_queries(4 + 17 + own_queries):
            response = client.get(url)
        assert dict(response.context["counts"])["Updates"] == rows

    count_queries(1)
    count_queries(5)


# --- Dispose ------------------------------------------------------------------------------------


def _problem_with_every_part(world: World) -> Problem:
    """A closed problem whose every part holds SECRET, as a person's name and address would be."""
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    text = f"Reported by {SECRET}"
    problem = closed_problem(
        world,
        title=f"Street drinking outside {SECRET}",
        description=text,
        address=text,
        latitude=Decimal("52.1"),
        longitude=Decimal("-1.2"),
        radius_m=200,
        problem_statement=text,
        cheers_community=text,
        evidence_sources=text,
        pat_offender=text,
        pat_victim=text,
        pat_location=text,
        process_evaluation=text,
        lessons_learned=text,
    )
    shared = share(world, problem=Problem.objects.get(pk=problem.pk))
    shared.end_reason = text
    shared.save()
    StageTransition.objects.create(
        problem=problem, kind="advance", from_stage="assessment", to_stage="closed", note=text, by=officer
    )
    ReviewEntry.objects.create(problem=problem, reviewed_by=supervisor, notes=text, next_review_date=_today())
    Controller.objects.create(problem=problem, kind="handler", who=text, notes=text)
    Hypothesis.objects.create(problem=problem, statement=text, evidence=text)
    Objective.objects.create(
        problem=problem, description=text, measure=text, target=text, target_date=_today(), result=text, met=True
    )
    ResponseAction.objects.create(
        problem=problem,
        description=text,
        intervention_kind="support",
        responsible_organisation=world.force,
        responsible_person=text,
        due_date=_today(),
        status=ActionStatus.CANCELLED,
        cancel_reason=text,
    )
    entry = DecisionLogEntry.objects.create(
        problem=problem,
        author=officer,
        information=text,
        threat_and_risk=text,
        powers_and_policy=text,
        options=text,
        decision_and_action=text,
        review=text,
        code_of_ethics=text,
        is_joint=True,
    )
    DecisionConfirmation.objects.create(
        entry=entry, organisation=world.partner, confirmed_by=world.users["partner_lead"], note=text
    )
    ProblemUpdate.objects.create(problem=problem, author=officer, organisation=world.force, text=text)
    Handover.objects.create(
        problem=problem,
        kind=HandoverKind.HANDOVER,
        from_user=officer,
        to_user=officer,
        note=text,
        outstanding_items=text,
        known_risks=text,
        handover_date=_today(),
        made_by=officer,
    )
    problem.followers.create(user=supervisor)
    Notification.objects.create(
        recipient=supervisor,
        kind="problems.updated",
        title=f"{problem.reference} {problem.title}: updated",
        target_type="problems.problem",
        target_id=str(problem.pk),
    )
    Reminder.objects.create(
        kind="problems.updated",
        target_type="problems.problem",
        target_id=str(problem.pk),
        due_date=_today(),
        recipient=supervisor,
        template="problem_news",
        title=f"{problem.reference} {problem.title}: updated",
        link=f"/problems/{problem.pk}/",
    )
    design_for(problem, actor=officer, costs_notes=text, maryland_reason=text, missing_months_reason=text)
    EmmieAssessment.objects.create(problem=problem, effect=text, mechanism=text, effect_rating=2, updated_by=officer)
    AwardDraft.objects.create(problem=problem, summary=text, sara_description=text, updated_by=officer)
    problem.refresh_from_db()
    return problem


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
    problem = _problem_with_every_part(world)
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
    assert problem.title.startswith(f"Disposed on {_today().day} {_today():%B %Y}: metadata only")
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


def test_after_disposal_no_page_or_search_shows_the_personal_text(world: World) -> None:
    problem = _problem_with_every_part(world)
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
    assert again.value.messages == [RETENTION_ALREADY_DISPOSED.format(date=f"{_today().day} {_today():%B %Y}")]
    with pytest.raises(ValidationError):
        problem_retention_retain(
            actor=world.users["supervisor"], problem=problem, reason="Keep", next_review_date=_days(10)
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
    assert RETENTION_ALREADY_DISPOSED.format(date=f"{_today().day} {_today():%B %Y}") in refused.text
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


# --- The monthly sweep --------------------------------------------------------------------------


def test_the_monthly_sweep_tells_the_forces_supervisors_and_dpo_once_a_month(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = datetime.date(2027, 3, 1)
    due = closed_problem(world, due=datetime.date(2027, 2, 20))
    closed_problem(world, due=datetime.date(2027, 6, 1))
    other_force = PoliceForceFactory()
    other_supervisor = UserFactory(role="supervisor", organisation=other_force)

    def run(on: datetime.date) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            sweep_run("problems.retention_reviews", today=on)
        reminders_send(reminder_ids=list(Reminder.objects.filter(kind=RETENTION_KIND).values_list("pk", flat=True)))

    run(first)
    run(first)
    run(first + datetime.timedelta(days=14))

    recipients = sorted(Reminder.objects.filter(kind=RETENTION_KIND).values_list("recipient__email", flat=True))
    assert recipients == sorted([world.users["supervisor"].email, world.users["dpo"].email])
    assert other_supervisor.email not in recipients
    assert sorted(m.to[0] for m in mail.outbox) == recipients
    message = mail.outbox[0]
    assert message.subject == "Retention reviews due: 1 closed problem"
    assert due.reference in message.body
    assert due.title not in message.body
    assert reverse("retention-list") in message.body
    assert Notification.objects.filter(kind=RETENTION_KIND).count() == 2

    # The next month is a new message.
    run(datetime.date(2027, 4, 1))
    assert len(mail.outbox) == 4


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


def test_beat_runs_the_retention_sweep_on_the_first_of_each_month(settings: Any) -> None:
    from core.reminders import registered_sweeps

    entry = settings.CELERY_BEAT_SCHEDULE["reminders-retention-reviews"]
    assert entry["task"] == "core.tasks.run_reminder_sweep"
    assert entry["args"] == ["problems.retention_reviews"]
    assert "problems.retention_reviews" in registered_sweeps()
    assert entry["schedule"].day_of_month == {1}


# --- Demo data ------------------------------------------------------------------------------------


def test_the_demo_has_one_closed_problem_due_for_its_retention_review() -> None:
    import io

    from accounts import demo as accounts_demo
    from accounts.models import User
    from partnerships.demo import neighbourhoods as demo_neighbourhoods
    from partnerships.demo import organisations as demo_organisations
    from problems.demo import problems as demo_problems
    from problems.demo import retention as demo_retention
    from problems.selectors.retention import retention_list_due_for

    for module in (demo_organisations, accounts_demo, demo_neighbourhoods, demo_problems, demo_retention):
        module.seed(stdout=io.StringIO())
    demo_retention.seed(stdout=io.StringIO())

    for email in ("dpo@police.example", "supervisor@police.example"):
        due = list(retention_list_due_for(user=User.objects.get(email=email)))
        assert [problem.title for problem in due] == [demo_retention.RETENTION_DUE_EXAMPLE]
    problem = due[0]
    assert problem.closed_at is not None
    closed_on = timezone.localtime(problem.closed_at).date()
    assert problem.retention_review_date == closed_on.replace(year=closed_on.year + 6)


# Every model that points to a problem, and what disposal does with it. A model added later that
# points to a problem fails the test below until it is listed here, and, if it holds text about the
# case, registered with problems.retention_parts.
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
    "problems.ProblemTeamMember": "kept: who worked it (no text)",
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
