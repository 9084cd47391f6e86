"""The printable summary: the whole problem in SARA order, in a fixed number of queries, with no
inline style or script, and a print stylesheet that hides the navigation."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import PatController
from problems.models import (
    ActionStatus,
    Controller,
    DemandSourceKind,
    Hypothesis,
    HypothesisStatus,
    InterventionKind,
    Objective,
    ProblemDemandSource,
    ResponseAction,
    ReviewEntry,
    Stage,
    StageTransition,
    TransitionKind,
)
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_decisions import decision

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _worked_problem(world: World, rows: int) -> Any:
    """A problem with `rows` of each related part."""
    officer = world.users["officer"]
    problem = ProblemFactory(
        force=world.force,
        owner=officer,
        title="Street drinking around Eastgate parade",
        stage=Stage.ASSESSMENT,
        problem_statement="Groups drink outside the shops every evening.",
        cheers_community="Residents and shop staff.",
        cheers_harm="Intimidation and litter.",
        cheers_expectation="Residents asked the police to act.",
        cheers_events="Forty calls in three months.",
        cheers_recurring="Every evening.",
        cheers_similarity="Same place and time.",
        pat_offender="A group of about eight adults.",
        pat_victim="Shoppers and staff.",
        pat_location="The parade's benches.",
        lessons_learned="Outreach first worked better than dispersal.",
    )
    today = timezone.localdate()
    for kind in DemandSourceKind.values[:rows]:
        ProblemDemandSource.objects.create(problem=problem, kind=kind)
    for n in range(rows):
        partner = OrganisationFactory()
        Controller.objects.create(problem=problem, kind=PatController.MANAGER, who=f"Shop manager {n}", engaged=True)
        Hypothesis.objects.create(
            problem=problem,
            statement=f"Cheap alcohol draws the group, hypothesis {n}",
            status=HypothesisStatus.SUPPORTED,
        )
        Objective.objects.create(
            problem=problem,
            description=f"Reduce calls, objective {n}",
            measure="Calls to the police",
            baseline="40 a quarter",
            target="20 a quarter",
            target_date=today + datetime.timedelta(days=90),
            result="18 a quarter",
            met=True,
        )
        ResponseAction.objects.create(
            problem=problem,
            description=f"Outreach sessions, action {n}",
            intervention_kind=InterventionKind.SUPPORT,
            responsible_organisation=partner,
            responsible_user=world.users["supervisor"],
            due_date=today,
            status=ActionStatus.DONE,
        )
        ReviewEntry.objects.create(
            problem=problem, reviewed_by=world.users["supervisor"], notes=f"Review {n}", next_review_date=today
        )
        StageTransition.objects.create(
            problem=problem, kind=TransitionKind.ADVANCE, from_stage="scanning", to_stage="analysis", by=officer
        )
        entry = decision(problem=problem, author=officer, is_joint=True, partner_organisations=[partner])
        decision(problem=problem, author=officer, corrects=entry)
    return problem


def test_the_summary_shows_the_whole_problem_in_sara_order(world: World) -> None:
    problem = _worked_problem(world, 1)
    response = _client(world, "officer").get(reverse("problem-summary", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    text = response.text
    headings = [
        "Details",
        "Scanning",
        "The CHEERS test",
        "The problem analysis triangle",
        "Controllers",
        "Working hypotheses",
        "Objectives",
        "Response",
        "Assessment",
        "Results against the objectives",
        "Decision log",
        "Reviews",
        "Stage history",
    ]
    positions = [text.index(f">{heading}<") for heading in headings]
    assert positions == sorted(positions)
    for content in (
        "Groups drink outside the shops every evening.",
        "Same place and time.",
        "The parade&#x27;s benches.",
        "Shop manager 0",
        "Cheap alcohol draws the group, hypothesis 0",
        "40 a quarter",
        "Outreach sessions, action 0",
        "18 a quarter",
        "Outreach first worked better than dispersal.",
        "Joint decision",
        "Review 0",
        "Moved on: Scanning to Analysis",
    ):
        assert content in text
    # The summary is for reading and printing: no write links.
    assert "Record a correction" not in text


def test_the_summary_has_no_inline_style_or_script(world: World) -> None:
    problem = _worked_problem(world, 1)
    text = _client(world, "officer").get(reverse("problem-summary", kwargs={"pk": problem.pk})).text
    assert "style=" not in text
    assert "<style" not in text
    assert text.count("<script") == text.count("<script src=")


def test_the_print_stylesheet_hides_the_navigation() -> None:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    section = css.split("/* ---- Problems: printable summary (issue 4) ---- */", 1)[1]
    section = section.split("/* ---- end of problems summary section ---- */", 1)[0]
    assert "@media print" in section
    assert "header" in section
    assert ".no-print" in section


def test_the_summary_query_count_is_the_same_for_one_and_five_rows(
    world: World, django_assert_num_queries: Any
) -> None:
    # 1 session, 2 user, 3 OTP device, 4 the problem with category, organisation and people
    # (access filter and JOINs), 5 controllers, 6 hypotheses, 7 objectives, 8 actions with their
    # organisations and people, 9 reviews with reviewers, 10 stage moves with who moved, 11 decision
    # entries with authors and corrected entries, 12 their partner organisations, 13 corrections,
    # 14 the partners' confirmations of joint decisions with who confirmed, 15 the consultation (an
    # audit INSERT), 16 the evaluation panel's design and EMMIE (problems.panels; one query, none
    # set here), 17 the demand sources (issue 20).
    client = _client(world, "officer")
    small, big = _worked_problem(world, 1), _worked_problem(world, 5)
    with django_assert_num_queries(17):
        client.get(reverse("problem-summary", kwargs={"pk": small.pk}))
    with django_assert_num_queries(17):
        response = client.get(reverse("problem-summary", kwargs={"pk": big.pk}))
    assert response.text.count("Outreach sessions, action") == 5


def test_an_analyst_may_read_the_summary(world: World) -> None:
    problem = _worked_problem(world, 1)
    assert _client(world, "analyst").get(reverse("problem-summary", kwargs={"pk": problem.pk})).status_code == 200


def test_a_partner_gets_404(world: World) -> None:
    problem = _worked_problem(world, 1)
    response = _client(world, "partner_lead").get(reverse("problem-summary", kwargs={"pk": problem.pk}))
    assert response.status_code == 404


def test_a_restricted_problem_is_404_to_another_officer(world: World) -> None:
    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    problem = ProblemFactory(force=world.force, owner=world.users["officer"], restricted=True)
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    response = sign_in(Client(), colleague).get(reverse("problem-summary", kwargs={"pk": problem.pk}))
    assert response.status_code == 404
    assert _client(world, "supervisor").get(reverse("problem-summary", kwargs={"pk": problem.pk})).status_code == 200


def test_post_to_the_summary_is_not_allowed(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    assert _client(world, "officer").post(reverse("problem-summary", kwargs={"pk": problem.pk})).status_code == 405


def test_an_unknown_problem_is_404(world: World) -> None:
    assert _client(world, "officer").get(reverse("problem-summary", kwargs={"pk": 999999})).status_code == 404


def test_an_empty_problem_says_what_is_missing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    text = _client(world, "officer").get(reverse("problem-summary", kwargs={"pk": problem.pk})).text
    for message in ("Not written yet", "No controllers recorded.", "No objectives set.", "No decisions recorded yet."):
        assert message in text
