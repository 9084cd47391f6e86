"""Before/after, comparison and displacement figures against hand-computed values for the fixed
data set in tests/evaluation/factories_crime.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from evaluation.models import MarylandLevel
from evaluation.selectors.before_after import before_after_for_problem
from evaluation.selectors.crime import crime_change_for_problems
from problems.models import Problem
from tests.conftest import World
from tests.evaluation.factories_crime import LAT, LON, build_fixed_data, design_for
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db
TYPES = ["Burglary", "Robbery"]


def _problem(world: World, **fields: Any) -> Problem:
    defaults: dict[str, Any] = {"latitude": Decimal(str(LAT)), "longitude": Decimal(str(LON)), "radius_m": 200}
    defaults.update(fields)
    return ProblemFactory(force=world.force, owner=world.users["officer"], **defaults)


@pytest.fixture
def fixed_data(db: None) -> None:
    build_fixed_data()


def _lsoa_comparison(world: World) -> Problem:
    problem = _problem(world)
    design_for(
        problem, actor=world.users["analyst"], crime_types=TYPES, buffer_m=200, comparison_lsoa_codes="E01000009"
    )
    return problem


def test_target_comparison_and_buffer_counts_match_the_hand_count(world: World, fixed_data: None) -> None:
    result = before_after_for_problem(problem=_lsoa_comparison(world))

    assert result is not None
    assert result.months == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        *[date(2026, m, 1) for m in (1, 2, 3)],
    ]
    assert result.target.monthly == [4, 3, 3, 2, 2, 1]
    assert (result.target.before, result.target.after, result.target.change) == (10, 5, -5)
    assert result.target.percent_change == -50.0
    assert result.target.by_type == {"Burglary": (6, 3), "Robbery": (4, 2)}
    assert result.buffer is not None
    assert result.buffer.monthly == [2, 1, 1, 2, 2, 2]
    assert result.buffer.percent_change == 50.0
    assert result.comparison is not None
    assert (result.comparison.before, result.comparison.after) == (20, 18)


def test_relative_effect_size_is_ad_over_bc(world: World, fixed_data: None) -> None:
    result = before_after_for_problem(problem=_lsoa_comparison(world))

    # (a x d) / (b x c) = (10 x 18) / (5 x 20) = 1.8; relative change 1/1.8 - 1 = -44.4%.
    assert result is not None
    assert result.relative_effect == pytest.approx(1.8)
    assert result.relative_change_percent == pytest.approx(-44.444, abs=0.001)


def test_weighted_displacement_quotient_matches_the_hand_value(world: World, fixed_data: None) -> None:
    result = before_after_for_problem(problem=_lsoa_comparison(world))

    # (Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb) = (6/18 - 4/20) / (5/18 - 10/20) = (2/15) / (-2/9) = -0.6.
    assert result is not None
    assert result.wdq == pytest.approx(-0.6)
    assert any("some displacement into the buffer" in line for line in result.reading())


def test_a_comparison_ring_counts_crimes_between_its_radii(world: World, fixed_data: None) -> None:
    problem = _problem(world)
    design_for(
        problem, actor=world.users["analyst"], crime_types=TYPES, comparison_inner_m=400, comparison_outer_m=1000
    )

    result = before_after_for_problem(problem=problem)

    # Only the rows 600 m north: 3 in November, 2 in February. RES = (10 x 2) / (5 x 3) = 4/3.
    assert result is not None
    assert result.comparison is not None
    assert result.buffer is None
    assert (result.comparison.before, result.comparison.after) == (3, 2)
    assert result.relative_effect == pytest.approx(4 / 3)


def test_a_problem_without_a_location_uses_its_lsoa_codes(world: World, fixed_data: None) -> None:
    problem = _problem(world, latitude=None, longitude=None, radius_m=None, lsoa_code="E01000005")
    design_for(problem, actor=world.users["analyst"], crime_types=TYPES, comparison_lsoa_codes="E01000009")

    result = before_after_for_problem(problem=problem)

    # Target and buffer rows share LSOA E01000005: 10 + 4 before, 5 + 6 after.
    assert result is not None
    assert result.buffer is None
    assert (result.target.before, result.target.after) == (14, 11)
    assert result.relative_effect == pytest.approx((14 * 18) / (11 * 20))


def test_maryland_level_is_suggested_from_the_design_and_can_be_set_with_a_reason(
    world: World, fixed_data: None
) -> None:
    without = _problem(world)
    design_for(without, actor=world.users["analyst"], crime_types=TYPES)
    overridden = _problem(world)
    design_for(
        overridden,
        actor=world.users["analyst"],
        comparison_lsoa_codes="E01000009",
        maryland_level=MarylandLevel.LEVEL_2,
        maryland_reason="The comparison area had a new estate built during the period.",
    )

    plain = before_after_for_problem(problem=without)
    set_by_analyst = before_after_for_problem(problem=overridden)

    assert plain is not None
    assert (plain.suggested_level, plain.level) == (2, 2)
    assert any("cannot show that the response caused" in line for line in plain.reading())
    assert set_by_analyst is not None
    assert (set_by_analyst.suggested_level, set_by_analyst.level) == (3, 2)
    assert set_by_analyst.level_reason.startswith("The comparison area had a new estate")


def test_no_design_and_no_start_date_gives_no_result(world: World) -> None:
    assert before_after_for_problem(problem=_problem(world)) is None


def _three_problems(world: World) -> QuerySet[Problem]:
    _lsoa_comparison(world)
    ring = _problem(world)
    design_for(ring, actor=world.users["analyst"], crime_types=TYPES, comparison_inner_m=400, comparison_outer_m=1000)
    by_lsoa = _problem(world, latitude=None, longitude=None, radius_m=None, lsoa_code="E01000005")
    design_for(by_lsoa, actor=world.users["analyst"], crime_types=TYPES, comparison_lsoa_codes="E01000009")
    return Problem.objects.all()


def test_crime_change_for_many_problems_agrees_with_each_problem(world: World, fixed_data: None) -> None:
    problems = _three_problems(world)

    changes = crime_change_for_problems(problems_qs=problems)

    assert len(changes) == 3
    for problem in problems:
        single = before_after_for_problem(problem=problem)
        assert single is not None
        change = changes[problem.pk]
        assert (change.target_before, change.target_after) == (single.target.before, single.target.after)
        if single.comparison is not None:
            assert (change.comparison_before, change.comparison_after) == (
                single.comparison.before,
                single.comparison.after,
            )
        assert change.relative_effect == single.relative_effect
        assert {k: tuple(v) for k, v in change.by_type["target"].items()} == single.target.by_type


def test_crime_change_for_problems_takes_the_same_queries_for_one_or_three(
    world: World, fixed_data: None, django_assert_num_queries: Any
) -> None:
    one = Problem.objects.filter(pk=_lsoa_comparison(world).pk)
    # 1. the designs with their problems' locations; 2. the grouped crime counts.
    with django_assert_num_queries(2):
        crime_change_for_problems(problems_qs=one)
    three = _three_problems(world)
    with django_assert_num_queries(2):
        crime_change_for_problems(problems_qs=three)
