"""One formatter (core.numbers) for percentages, ratios and signed changes: its rules, its template
filters, and the same figure reading the same on the problem page, in the award entry and in the
impact report's page and CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client

from core.csv_export import csv_safe_cell
from core.numbers import Figure, interval, percent, percent_change, ratio, signed_count
from tests.conftest import sign_in
from tests.evaluation.factories_crime import design_for, record
from tests.evaluation.factories_impact import d, impact_world, report_params

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-72.5, f"{MINUS}72.5%"),
        (-72.45, f"{MINUS}72.5%"),  # halves away from zero, on the decimal value
        (5, "+5.0%"),
        (Decimal("0.05"), "+0.1%"),
        (0, "0.0%"),
        (-0.04, "0.0%"),  # rounds to zero: no sign
        (-44.4444, f"{MINUS}44.4%"),
    ],
)
def test_percent_change_has_one_decimal_and_a_sign_on_non_zero(value: Any, expected: str) -> None:
    assert percent_change(value) == expected


def test_ratios_counts_intervals_and_shares() -> None:
    assert ratio(2.1) == "2.10"
    assert ratio(0.125) == "0.13"
    assert ratio(-0.6) == f"{MINUS}0.60"
    assert signed_count(1) == "+1"
    assert signed_count(-3) == f"{MINUS}3"
    assert signed_count(0) == "0"
    assert interval(0.951, 1.4) == "0.95 to 1.40"
    assert percent(12.25) == "12.3%"


def test_a_formatted_figure_goes_into_a_csv_cell_as_it_reads_but_typed_text_is_neutralised() -> None:
    assert isinstance(percent_change(5), Figure)
    assert csv_safe_cell(percent_change(5)) == "+5.0%"
    assert csv_safe_cell(percent_change(-5)) == f"{MINUS}5.0%"
    assert csv_safe_cell("+5.0%") == "'+5.0%"  # typed text starting a formula is still neutralised


def test_the_template_filters_are_the_same_functions() -> None:
    template = Template(
        "{% load figures %}{{ a|percent_change }}|{{ b|ratio }}|{{ c|signed_count }}|{{ b|interval:e }}|{{ n|ratio }}"
    )
    rendered = template.render(Context({"a": -72.5, "b": 2.1, "c": -3, "e": 3, "n": None}))
    assert rendered == f"{MINUS}72.5%|2.10|{MINUS}3|2.10 to 3.00|"


@pytest.mark.django_db
def test_the_same_figures_read_the_same_on_the_page_in_the_award_entry_and_in_the_report(
    client: Client, world: Any
) -> None:
    """P1 (closed, Eastgate), response March 2026, two months either side, by LSOA: target 40
    before, 11 after: (11 - 40) / 40 = -72.5%; comparison 20 and 20; RES = (40 x 20) / (11 x 20)
    = 3.6363..., shown 3.64."""
    data = impact_world(world)
    problem = data.problems["P1"]
    design_for(
        problem,
        actor=world.users["supervisor"],
        response_start=d(2026, 3, 1),
        months_before=2,
        months_after=2,
        target_lsoa_codes="E01000001",
        comparison_lsoa_codes="E01000002",
    )
    for month, target, comparison in ((1, 20, 10), (2, 20, 10), (3, 6, 10), (4, 5, 10)):
        for _ in range(target):
            record(month=d(2026, month, 1), latitude=None, longitude=None, lsoa_code="E01000001")
        for _ in range(comparison):
            record(month=d(2026, month, 1), latitude=None, longitude=None, lsoa_code="E01000002")
    sign_in(client, world.users["supervisor"])
    change, res = f"{MINUS}72.5%", "3.64"

    problem_page = client.get(f"/problems/{problem.pk}/").content.decode()
    award = client.get(f"/problems/{problem.pk}/award-entry/").content.decode()
    report_page = client.get("/reports/impact/", report_params(data.eastgate)).content.decode()
    csv_text = client.get("/reports/impact/csv/", report_params(data.eastgate)).content.decode()

    assert f"<td>{change}</td>" in problem_page
    assert f"data-relative-effect>{res} " in problem_page
    target_row = award[award.index('data-area="target"') :].split("</tr>")[0]
    assert f"{MINUS}29 ({change})" in target_row
    assert f"data-relative-effect>{res}, 95% confidence interval" in award
    assert f'<td class="text-end">{change}</td>' in report_page
    assert f"crime,problem areas,change,{change}" in csv_text
    assert f"crime,relative effect size,value,{res}" in csv_text
