"""The evaluation panel on a problem's page and summary, and the design and costs forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from evaluation.models import EvaluationDesign
from evaluation.services.assessment import BAD_LSOA, RING_OVERLAPS
from problems.models import Problem
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import LAT, LON, build_fixed_data, design_for
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db


def _problem(world: World) -> Problem:
    return ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )


def _designed(world: World) -> Problem:
    build_fixed_data()
    problem = _problem(world)
    design_for(
        problem,
        actor=world.users["analyst"],
        crime_types=["Burglary", "Robbery"],
        buffer_m=200,
        comparison_lsoa_codes="E01000009",
        officer_hours=10,
        officer_hourly_cost=30,
    )
    return problem


def test_the_problem_page_shows_the_before_after_panel_with_chart_and_table(world: World) -> None:
    problem = _designed(world)
    client = sign_in(Client(), world.users["supervisor"])

    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()

    assert "data-evaluation-panel" in page
    assert 'id="before-after-data"' in page
    assert 'id="before-after-chart"' in page
    assert "js/before_after_chart.js" in page
    assert '<tr data-area="target">' in page
    assert "1.80 (target \u221244.4% against the comparison area)" in page
    assert "Level 3, as the design suggests" in page
    assert "Change the before/after design" in page
    assert "£300.00" in page  # officer costs: 10 h x £30


def test_a_partner_with_a_view_share_sees_the_panel_read_only(world: World) -> None:
    problem = _designed(world)
    share(world, problem)
    client = sign_in(Client(), world.users["partner_member"])

    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    refused = client.post(reverse("assessment-design", kwargs={"pk": problem.pk}), {"response_start": "2026-02-01"})

    assert "data-evaluation-panel" in page
    assert "Change the before/after design" not in page
    assert "Record the costs" not in page
    assert refused.status_code == 403
    assert EvaluationDesign.objects.get(problem=problem).response_start == date(2026, 1, 1)


def test_the_printable_summary_shows_the_evaluation(world: World) -> None:
    problem = _designed(world)
    client = sign_in(Client(), world.users["officer"])

    page = client.get(reverse("problem-summary", kwargs={"pk": problem.pk})).content.decode()

    assert "data-evaluation-summary" in page
    assert '<tr data-area="comparison">' in page
    assert "No EMMIE record yet." in page


def test_an_analyst_sets_up_the_design(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        {
            "response_start": "2026-01-17",
            "crime_types": ["Burglary", "Robbery"],
            "months_before": "6",
            "months_after": "6",
            "buffer_m": "200",
            "comparison_lsoa_codes": "e01000009\r\n",
        },
    )

    assert response.status_code == 302
    design = EvaluationDesign.objects.get(problem=problem)
    assert (design.response_start, design.crime_types, design.comparison_lsoa_codes) == (
        date(2026, 1, 1),
        ["Burglary", "Robbery"],
        "E01000009",
    )
    assert AuditEvent.objects.filter(verb="evaluation.design.saved", target_id=str(problem.pk)).exists()


def test_a_comparison_ring_inside_the_buffer_is_refused_and_the_form_keeps_the_input(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["officer"])

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        {
            "response_start": "2026-01-01",
            "months_before": "6",
            "months_after": "6",
            "buffer_m": "200",
            "comparison_inner_m": "300",
            "comparison_outer_m": "900",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert RING_OVERLAPS.format(metres=400) in page
    assert 'value="900"' in page
    assert not EvaluationDesign.objects.exists()


def test_setting_the_maryland_level_needs_a_reason(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        {"response_start": "2026-01-01", "months_before": "6", "months_after": "6", "maryland_level": "3"},
    )

    assert "Give the reason for setting the Maryland level yourself." in response.content.decode()
    assert not EvaluationDesign.objects.exists()


def test_costs_are_recorded_on_the_design(world: World) -> None:
    problem = _problem(world)
    design_for(problem, actor=world.users["analyst"])
    client = sign_in(Client(), world.users["officer"])

    response = client.post(
        reverse("assessment-costs", kwargs={"pk": problem.pk}),
        {
            "officer_hours": "40",
            "officer_hourly_cost": "35.50",
            "partner_hours": "12",
            "partner_hourly_cost": "28",
            "money_spent": "1200",
        },
    )

    assert response.status_code == 302
    design = EvaluationDesign.objects.get(problem=problem)
    assert (design.officer_hours, design.officer_hourly_cost, design.money_spent) == (
        Decimal("40"),
        Decimal("35.50"),
        Decimal("1200"),
    )


def test_negative_costs_are_refused(world: World) -> None:
    problem = _problem(world)
    design_for(problem, actor=world.users["analyst"])
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("assessment-costs", kwargs={"pk": problem.pk}),
        {
            "officer_hours": "-1",
            "officer_hourly_cost": "1",
            "partner_hours": "0",
            "partner_hourly_cost": "0",
            "money_spent": "0",
        },
    )

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert EvaluationDesign.objects.get(problem=problem).officer_hours == Decimal("0")


def test_an_officer_who_does_not_own_the_problem_cannot_change_its_design(world: World) -> None:
    problem = _problem(world)
    other = ProblemFactory(force=world.force)  # owned by another officer of the force
    client = sign_in(Client(), world.users["officer"])

    response = client.get(reverse("assessment-design", kwargs={"pk": other.pk}))

    assert response.status_code == 403
    assert client.get(reverse("assessment-design", kwargs={"pk": problem.pk})).status_code == 200


def test_the_panel_queries_do_not_depend_on_the_number_of_crimes(world: World, django_assert_num_queries: Any) -> None:
    from evaluation.selectors.assessment_panels import assessment_panel_context

    problem = _designed(world)

    # 1 the design and EMMIE (one query, two LEFT JOINs), 2 the grouped before/after counts, 3 the
    # months of crime data held in the design's areas (evaluation.selectors.coverage), 4 the unit
    # costs (the access checks use the problem's own fields).
    with django_assert_num_queries(4):
        context = assessment_panel_context(problem=problem, user=world.users["analyst"])

    assert context is not None
    assert context["result"].target.before == 10


def test_every_malformed_comparison_lsoa_code_is_named_and_nothing_is_saved(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["officer"])

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        {
            "response_start": "2026-01-01",
            "months_before": "6",
            "months_after": "6",
            "comparison_lsoa_codes": "E01000009\nX0100001 E0100\nW01000010",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert BAD_LSOA.format(codes="X0100001, E0100") in page
    assert not EvaluationDesign.objects.filter(problem=problem).exists()
