"""Retention test data: a closed problem due for its retention review, and one whose every part
holds personal text (SECRET), as a person's name and address would be."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import Notification, Reminder
from evaluation.models import AwardDraft, EmmieAssessment
from problems.models import (
    ActionStatus,
    Controller,
    DecisionConfirmation,
    DecisionLogEntry,
    DemandSourceKind,
    Handover,
    HandoverKind,
    Hypothesis,
    Objective,
    Problem,
    ProblemUpdate,
    ResponseAction,
    ReviewEntry,
    Stage,
    StageTransition,
)
from tests.conftest import World
from tests.evaluation.factories_crime import design_for
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

SECRET = "Jane-Doe-of-14-Acacia-Avenue"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def closed_problem(world: World, *, due: datetime.date | None = None, **fields: Any) -> Problem:
    return ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        stage=Stage.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=6 * 366),
        retention_review_date=due if due is not None else days(-1),
        **fields,
    )


def problem_with_every_part(world: World) -> Problem:
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
        demand_note=text,
        perceived_problem=text,
        problem_statement=text,
        defined_problem=text,
        cheers_community=text,
        evidence_sources=text,
        pat_offender=text,
        pat_victim=text,
        pat_location=text,
        perceived_aim=text,
        defined_aim=text,
        aim_evaluation=text,
        process_evaluation=text,
        lessons_learned=text,
    )
    # The kinds of demand: no text (kept at disposal).
    problem.demand_sources.create(kind=DemandSourceKind.RESIDENT_COMPLAINT)
    shared = share(world, problem=Problem.objects.get(pk=problem.pk))
    shared.end_reason = text
    shared.save()
    StageTransition.objects.create(
        problem=problem, kind="advance", from_stage="assessment", to_stage="closed", note=text, by=officer
    )
    ReviewEntry.objects.create(problem=problem, reviewed_by=supervisor, notes=text, next_review_date=today())
    Controller.objects.create(problem=problem, kind="handler", who=text, notes=text)
    Hypothesis.objects.create(problem=problem, statement=text, evidence=text)
    Objective.objects.create(
        problem=problem, description=text, measure=text, target=text, target_date=today(), result=text, met=True
    )
    ResponseAction.objects.create(
        problem=problem,
        description=text,
        intervention_kind="support",
        responsible_organisation=world.force,
        responsible_person=text,
        due_date=today(),
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
        handover_date=today(),
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
        due_date=today(),
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
