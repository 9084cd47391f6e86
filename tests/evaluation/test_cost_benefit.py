"""Cost-benefit against hand-computed values (fixed data set in tests/evaluation/factories_crime.py),
and the unit costs table's rules. The unit cost below is a test figure, not a published one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from evaluation.models import POLICE_CRIME_TYPES, CrimeUnitCost
from evaluation.selectors.cost_benefit import cost_benefit_for_problem, cost_benefit_for_problems
from evaluation.selectors.crime import crime_change_for_problems
from evaluation.services.assessment import SOURCE_REQUIRED, unit_cost_save, unit_costs_ensure
from problems.models import Problem
from tests.conftest import World
from tests.evaluation.factories_crime import LAT, LON, build_fixed_data, design_for
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db
TEST_BURGLARY_COST = Decimal("1000.00")


def _costed_problem(world: World) -> Problem:
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    design_for(
        problem,
        actor=world.users["analyst"],
        crime_types=["Burglary", "Robbery"],
        buffer_m=200,
        comparison_lsoa_codes="E01000009",
        officer_hours=10,
        officer_hourly_cost=30,
        partner_hours=5,
        partner_hourly_cost=20,
        money_spent=250,
    )
    return problem


@pytest.fixture
def costed(world: World) -> Problem:
    build_fixed_data()
    CrimeUnitCost.objects.create(crime_type="Burglary", cost=TEST_BURGLARY_COST, source="Test figure", year=2026)
    CrimeUnitCost.objects.create(crime_type="Robbery")  # no figure entered
    return _costed_problem(world)


def test_costs_benefits_and_net_match_the_hand_calculation(costed: Problem) -> None:
    result = cost_benefit_for_problem(problem=costed)

    assert result is not None
    # Comparison ratio 18 / 20 = 0.9. Burglary: 6 x 0.9 = 5.4 expected, 3 seen, 2.4 prevented.
    # Robbery: 4 x 0.9 = 3.6 expected, 2 seen, 1.6 prevented (no unit cost: not valued).
    assert result.comparison_ratio == Decimal("0.9000")
    burglary, robbery = result.lines
    assert (burglary.expected_after, burglary.prevented, burglary.value) == (
        Decimal("5.40"),
        Decimal("2.40"),
        Decimal("2400.00"),
    )
    assert (robbery.prevented, robbery.unit_cost, robbery.value) == (Decimal("1.60"), None, None)
    assert result.missing_unit_costs == ["Robbery"]
    # Costs: 10 h x £30 + 5 h x £20 + £250 = £650. Benefit £2,400; net £1,750; 2400/650 = 3.69.
    assert (result.officer_cost, result.partner_cost, result.money_spent) == (
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("250.00"),
    )
    assert result.total_cost == Decimal("650.00")
    assert result.total_benefit == Decimal("2400.00")
    assert result.net_benefit == Decimal("1750.00")
    assert result.benefit_per_pound == Decimal("3.69")
    assert result.crimes_prevented == Decimal("4.00")


def test_many_problems_add_up_in_three_queries(costed: Problem, world: World, django_assert_num_queries: Any) -> None:
    second = _costed_problem(world)

    # 1. the designs with their problems' locations; 2. the grouped crime counts; 3. unit costs.
    with django_assert_num_queries(3):
        each, totals = cost_benefit_for_problems(problems_qs=Problem.objects.filter(pk__in=[costed.pk, second.pk]))

    assert each[costed.pk].total_benefit == Decimal("2400.00")
    assert (totals.problems, totals.total_cost, totals.total_benefit) == (2, Decimal("1300.00"), Decimal("4800.00"))
    assert totals.net_benefit == Decimal("3500.00")
    assert totals.missing_unit_costs == ["Robbery"]


def test_without_a_comparison_area_the_expected_count_is_the_count_before(world: World) -> None:
    build_fixed_data()
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    design_for(problem, actor=world.users["analyst"], crime_types=["Burglary"])

    result = cost_benefit_for_problem(problem=problem)

    assert result is not None
    assert result.comparison_ratio == Decimal("1.0000")
    assert [(line.expected_after, line.prevented) for line in result.lines] == [(Decimal("6.00"), Decimal("3.00"))]


def test_an_analyst_sets_a_unit_cost_with_its_source_and_year(world: World) -> None:
    unit = unit_cost_save(
        actor=world.users["analyst"], crime_type="Burglary", cost=Decimal("123.45"), source="Force finance", year=2025
    )

    assert (unit.cost, unit.source, unit.year) == (Decimal("123.45"), "Force finance", 2025)
    assert AuditEvent.objects.filter(verb="evaluation.unit_cost.saved", target_id=str(unit.pk)).exists()


def test_a_unit_cost_needs_a_source(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        unit_cost_save(actor=world.users["supervisor"], crime_type="Burglary", cost=Decimal("1"), source=" ", year=None)

    assert error.value.message_dict == {"source": [SOURCE_REQUIRED.format(crime_type="Burglary")]}
    assert not CrimeUnitCost.objects.exists()


def test_an_officer_cannot_change_unit_costs(world: World) -> None:
    with pytest.raises(PermissionDenied):
        unit_cost_save(actor=world.users["officer"], crime_type="Burglary", cost=None, source="", year=None)


def test_the_crime_types_are_listed_with_no_figure_entered() -> None:
    added = unit_costs_ensure(crime_types=list(POLICE_CRIME_TYPES))

    assert added == len(POLICE_CRIME_TYPES)
    assert set(CrimeUnitCost.objects.values_list("cost", flat=True)) == {None}
    assert unit_costs_ensure(crime_types=list(POLICE_CRIME_TYPES)) == 0


def test_many_problems_reuse_given_crime_changes_and_read_only_unit_costs(
    costed: Problem, world: World, django_assert_num_queries: Any
) -> None:
    second = _costed_problem(world)
    problems = Problem.objects.filter(pk__in=[costed.pk, second.pk])
    changes = crime_change_for_problems(problems_qs=problems)

    # 1. unit costs (the designs and the crime counts come with the changes).
    with django_assert_num_queries(1):
        each, totals = cost_benefit_for_problems(problems_qs=problems, crime_changes=changes)

    assert each[costed.pk].total_benefit == Decimal("2400.00")
    assert (totals.problems, totals.total_cost, totals.total_benefit) == (2, Decimal("1300.00"), Decimal("4800.00"))
