"""The relative effect size's 95% confidence interval (log-odds variance, Farrington and Welsh),
the plain-English reading of whether the change could be chance, and the weighted displacement
quotient's reading (Bowers and Johnson 2003)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from evaluation.selectors.before_after import (
    before_after_for_problem,
    relative_effect_interval,
    relative_effect_size,
    weighted_displacement_quotient,
)
from evaluation.selectors.readings import displacement_reading, relative_effect_reading
from tests.conftest import World

MINUS = "\u2212"


def test_the_interval_for_69_19_60_58_is_what_the_formula_gives() -> None:
    # a, b: the target before and after; c, d: the comparison before and after; RES = ad / bc.
    a, b, c, d = 69, 19, 60, 58
    res = (a * d) / (b * c)  # 4002 / 1140 = 3.5105...
    half_width = 1.96 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)

    low, high = relative_effect_interval(a, b, c, d)  # type: ignore[misc]

    assert relative_effect_size(a, b, c, d) == pytest.approx(res)
    assert low == pytest.approx(math.exp(math.log(res) - half_width))
    assert high == pytest.approx(math.exp(math.log(res) + half_width))
    assert (round(low, 2), round(high, 2)) == (1.88, 6.55)


@pytest.mark.parametrize("counts", [(0, 19, 60, 58), (69, 0, 60, 58), (69, 19, 0, 58), (69, 19, 60, 0)])
def test_a_zero_count_gives_no_interval(counts: tuple[int, int, int, int]) -> None:
    assert relative_effect_interval(*counts) is None


def test_an_interval_above_one_reads_as_better_beyond_chance() -> None:
    line = relative_effect_reading(3.51, (2.01, 6.14), against="the comparison area")

    assert "relative effect size 3.51, 95% confidence interval 2.01 to 6.14" in line
    assert "did better than the comparison area by more than chance alone would readily give" in line


def test_an_interval_below_one_reads_as_worse_beyond_chance() -> None:
    line = relative_effect_reading(0.5, (0.3, 0.8), against="the comparison area")

    assert "changed by +100.0%" in line
    assert "did worse than the comparison area by more than chance" in line


def test_an_interval_that_includes_one_reads_as_could_be_chance() -> None:
    line = relative_effect_reading(1.8, (0.95, 3.4), against="the comparison area")

    assert "the interval includes 1 (no difference), so the change could be chance" in line
    assert f"changed by {MINUS}44.4%" in line


def test_no_effect_reads_as_not_computable() -> None:
    assert "cannot be computed" in relative_effect_reading(None, None, against="the comparison area")


@pytest.mark.parametrize(
    ("target", "buffer", "comparison", "expected_wdq", "reading"),
    [
        # Target 100 -> 50 against a steady comparison (100 -> 100): success = -0.5.
        ((100, 50), (100, 120), (100, 100), -0.4, "some displacement into the buffer, smaller than the benefit"),
        ((100, 50), (100, 200), (100, 100), -2.0, "displacement into the buffer larger than the benefit"),
        ((100, 50), (100, 80), (100, 100), 0.4, "diffusion of benefits: the buffer improved too"),
        ((100, 50), (100, 20), (100, 100), 1.6, "diffusion of benefits: the buffer improved by more than the target"),
        ((100, 50), (100, 100), (100, 100), 0.0, "neither displacement into the buffer nor diffusion"),
        # The target did not improve relative to the comparison: no WDQ, and the reading says why.
        ((100, 120), (100, 100), (100, 100), None, "only where the target area improved relative"),
    ],
)
def test_the_displacement_quotient_reads_per_bowers_and_johnson(
    target: tuple[int, int], buffer: tuple[int, int], comparison: tuple[int, int], expected_wdq: Any, reading: str
) -> None:
    wdq = weighted_displacement_quotient(target=target, buffer=buffer, comparison=comparison)

    assert wdq == (None if expected_wdq is None else pytest.approx(expected_wdq))
    assert reading in displacement_reading(wdq)


@pytest.mark.django_db
def test_the_problem_page_figures_carry_the_interval(world: World) -> None:
    from tests.evaluation.factories_crime import build_fixed_data
    from tests.evaluation.test_before_after import _lsoa_comparison

    build_fixed_data()
    result = before_after_for_problem(problem=_lsoa_comparison(world))

    # Fixed data: a, b, c, d = 10, 5, 20, 18; RES 1.8.
    assert result is not None
    low, high = result.relative_effect_interval  # type: ignore[misc]
    half_width = 1.96 * math.sqrt(1 / 10 + 1 / 5 + 1 / 20 + 1 / 18)
    assert (low, high) == (pytest.approx(1.8 * math.exp(-half_width)), pytest.approx(1.8 * math.exp(half_width)))
    reading = result.reading()
    assert any("95% confidence interval 0.52 to 6.27" in line and "could be chance" in line for line in reading)
    assert any("The weighted displacement quotient is \u22120.60" in line for line in result.reading())
