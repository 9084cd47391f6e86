"""The award entry carries the measured evaluation, drawn from the records, on its page and in its
PDF: each objective's baseline, target and result; before/after counts in the target area, the
displacement buffer and the comparison area; the relative effect size; the weighted displacement
quotient; the Maryland level; EMMIE; and the cost-benefit. A figure that cannot be given says why.

The worked example is the issue's published one: 69 -> 19 in the target area, 60 -> 58 in the
comparison area, and 30 -> 24 in the displacement buffer (burglaries; three months either side of
a response that began in January 2026):
- RES = (69 x 58) / (19 x 60) = 4002 / 1140 = 3.51; relative change 1/3.5105 - 1 = -72%.
- WDQ = (24/58 - 30/60) / (19/58 - 69/60) = -0.0862 / -0.8224 = 0.10 (diffusion of benefits).
- Target change -50 (-72.5%), buffer -6 (-20.0%), comparison -2 (-3.3%).
- Cost-benefit: expected after = 69 x 58/60 = 66.70; prevented 66.70 - 19 = 47.70; at £1,000 a
  burglary £47,700.00. Costs 10 h x £30 + 5 h x £20 + £100 = £500.00; net £47,200.00;
  £95.40 for each £1.
- Maryland level 3 (a comparison area), as the design suggests."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from evaluation.models import CrimeUnitCost, EmmieAssessment
from evaluation.selectors.award import (
    EFFECT_NO_COMPARISON,
    LEVEL_NOT_SET,
    NO_BASELINE,
    NO_BUFFER,
    NO_COMPARISON,
    NO_COST_BENEFIT,
    NO_DESIGN,
    NO_EMMIE,
    NO_RESULT,
    WDQ_NO_BUFFER,
    WDQ_NO_COMPARISON,
    award_evidence_for,
    award_problem_queryset,
)
from problems.models import Problem, Stage
from tests.conftest import sign_in
from tests.evaluation.factories_crime import (
    EXAMPLE_COMPARISON_LSOA,
    LAT,
    LON,
    crimes_at,
    design_for,
    published_example_crimes,
)
from tests.problems.factories_sara import ObjectiveFactory, problem_at

pytestmark = pytest.mark.django_db

DEC, JAN = date(2025, 12, 1), date(2026, 1, 1)
COMPARISON_LSOA = EXAMPLE_COMPARISON_LSOA


def _published_example(world: Any) -> Problem:
    """A closed problem at (LAT, LON), radius 200 m, buffer 200 m, comparison LSOA 100 km away."""
    problem = problem_at(
        Stage.CLOSED,
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    problem.objectives.update(
        description="Cut burglary on the estate",
        measure="Recorded burglaries on the estate",
        baseline="69 burglaries in the three months before",
        target="Fewer than 35 in three months",
        result="19 burglaries in the three months after",
        met=True,
    )
    # One month either side: the example's crimes are all in December and January, so the periods
    # hold no month without crime data (which would withhold the effect size).
    design_for(
        problem,
        actor=world.users["analyst"],
        response_start=JAN,
        months_before=1,
        months_after=1,
        crime_types=["Burglary"],
        buffer_m=200,
        comparison_lsoa_codes=COMPARISON_LSOA,
        officer_hours=10,
        officer_hourly_cost=30,
        partner_hours=5,
        partner_hourly_cost=20,
        money_spent=100,
    )
    published_example_crimes(before=DEC, after=JAN)
    CrimeUnitCost.objects.update_or_create(crime_type="Burglary", defaults={"cost": Decimal("1000.00")})
    EmmieAssessment.objects.create(
        problem=problem,
        effect="Burglary fell by more than two thirds against the comparison area.",
        effect_rating=2,
        mechanism="Target hardening removed the easy entry points.",
        updated_by=world.users["analyst"],
    )
    return problem


def _text(markup: str) -> str:
    """The words a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _pdf_text(content: bytes) -> str:
    """The PDF's text on one line, without the "Page n of m" footers (a page break may fall inside a
    figure's line)."""
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))
    return re.sub(r" ?Page \d+ of \d+ ?", " ", text)


# Each figure as the entry words it, the same on the page and in the PDF.
MINUS = "\u2212"
WORKED_EXAMPLE_FIGURES = (
    "Cut burglary on the estate",
    "69 burglaries in the three months before",  # the objective's baseline
    "Fewer than 35 in three months",  # its target
    "Met: 19 burglaries in the three months after",  # its result
    # Figures as core.numbers writes them everywhere (a real minus sign, percentages to one place).
    f"Target area within 200 metres of the problem's location 69 19 {MINUS}50 ({MINUS}72.5%)",
    f"Displacement buffer from 200 to 400 metres 30 24 {MINUS}6 ({MINUS}20.0%)",
    f"Comparison area LSOA {COMPARISON_LSOA} 60 58 {MINUS}2 ({MINUS}3.3%)",
    "Relative effect size 3.51, 95% confidence interval 1.88 to 6.55 (crime in the target area changed by",
    "Weighted displacement quotient 0.10",
    "Level 3: before and after in target and comparison areas",
    "Burglary fell by more than two thirds against the comparison area.",
    "(evidence: Moderate)",
    "Cost of the response £500.00",
    "Crimes prevented 47.70",
    "Value of the crimes prevented £47700.00",
    "Net benefit £47200.00 (£95.40 of benefit for each £1 spent)",
)


def test_evidence_of_the_worked_example_matches_the_hand_computed_figures(world: Any) -> None:
    problem = award_problem_queryset().get(pk=_published_example(world).pk)
    evidence = award_evidence_for(problem)

    [objective] = evidence.objectives
    assert (objective.baseline, objective.target, objective.outcome) == (
        "69 burglaries in the three months before",
        "Fewer than 35 in three months",
        "Met",
    )
    assert [(a.area, a.counts.before, a.counts.after) for a in evidence.areas if a.counts] == [
        ("target", 69, 19),
        ("buffer", 30, 24),
        ("comparison", 60, 58),
    ]
    assert evidence.relative_effect == pytest.approx(4002 / 1140)
    assert evidence.wdq == pytest.approx((24 / 58 - 30 / 60) / (19 / 58 - 69 / 60))
    assert evidence.maryland_level == 3
    assert evidence.cost_benefit is not None
    assert evidence.cost_benefit.crimes_prevented == Decimal("47.70")
    assert evidence.cost_benefit.total_benefit == Decimal("47700.00")
    assert evidence.cost_benefit.benefit_per_pound == Decimal("95.40")
    assert evidence.emmie is not None
    for missing in (evidence.crime_missing, evidence.relative_effect_missing, evidence.wdq_missing):
        assert missing == ""


def test_award_page_shows_each_figure_of_the_worked_example(client: Client, world: Any) -> None:
    problem = _published_example(world)
    sign_in(client, world.users["officer"])
    page = _text(client.get(f"/problems/{problem.pk}/award-entry/").content.decode())
    for figure in WORKED_EXAMPLE_FIGURES:
        assert figure in page


def test_award_pdf_shows_each_figure_of_the_worked_example(client: Client, world: Any) -> None:
    problem = _published_example(world)
    sign_in(client, world.users["supervisor"])
    response = client.get(f"/problems/{problem.pk}/award-entry/pdf/")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for figure in WORKED_EXAMPLE_FIGURES:
        assert figure in text


def test_a_reader_who_may_see_the_problem_reads_the_figures_but_cannot_edit(client: Client, world: Any) -> None:
    problem = _published_example(world)
    sign_in(client, world.users["analyst"])
    page = client.get(f"/problems/{problem.pk}/award-entry/")
    assert page.status_code == 200
    assert "Weighted displacement quotient 0.10" in _text(page.content.decode())
    assert page.context["can_edit"] is False


def test_missing_figures_are_said_in_plain_words_on_the_page_and_in_the_pdf(client: Client, world: Any) -> None:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"])
    problem.objectives.update(baseline="", result="", met=None)
    sign_in(client, world.users["officer"])
    page = _text(client.get(f"/problems/{problem.pk}/award-entry/").content.decode())
    pdf = _pdf_text(client.get(f"/problems/{problem.pk}/award-entry/pdf/").content)
    for text in (page, pdf):
        assert NO_DESIGN in text
        assert f"Maryland Scientific Methods Scale {LEVEL_NOT_SET}" in text
        assert NO_EMMIE in text
        assert NO_COST_BENEFIT in text
        assert NO_BASELINE in text
        assert f"Not assessed: {NO_RESULT}" in text


def test_a_design_without_comparison_or_buffer_says_which_figures_cannot_be_given(client: Client, world: Any) -> None:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"], lsoa_code="E01000005")
    design_for(
        problem,
        actor=world.users["analyst"],
        response_start=JAN,
        months_before=1,
        months_after=1,
        crime_types=["Burglary"],
    )
    crimes_at(5, DEC, latitude=LAT, longitude=LON, lsoa="E01000005", tag="target")
    crimes_at(3, JAN, latitude=LAT, longitude=LON, lsoa="E01000005", tag="target")
    evidence = award_evidence_for(award_problem_queryset().get(pk=problem.pk))
    assert (evidence.relative_effect_missing, evidence.wdq_missing) == (EFFECT_NO_COMPARISON, WDQ_NO_COMPARISON)
    assert evidence.maryland_level == 2

    sign_in(client, world.users["officer"])
    page = _text(client.get(f"/problems/{problem.pk}/award-entry/").content.decode())
    assert f"Target area LSOA E01000005 5 3 {MINUS}2 ({MINUS}40.0%)" in page
    assert f"Displacement buffer {NO_BUFFER}" in page
    assert f"Comparison area {NO_COMPARISON}" in page
    assert f"Relative effect size {EFFECT_NO_COMPARISON}" in page
    assert f"Weighted displacement quotient {WDQ_NO_COMPARISON}" in page
    assert "Level 2: before and after in the target area, no comparison" in page


def test_a_comparison_without_a_buffer_has_an_effect_size_but_no_quotient(world: Any) -> None:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"], lsoa_code="E01000005")
    design_for(
        problem,
        actor=world.users["analyst"],
        response_start=JAN,
        months_before=1,
        months_after=1,
        comparison_lsoa_codes=COMPARISON_LSOA,
    )
    crimes_at(10, DEC, latitude=LAT, longitude=LON, lsoa="E01000005", tag="target")
    crimes_at(5, JAN, latitude=LAT, longitude=LON, lsoa="E01000005", tag="target")
    crimes_at(10, DEC, latitude=53.0, longitude=-2.0, lsoa=COMPARISON_LSOA, tag="comparison")
    crimes_at(10, JAN, latitude=53.0, longitude=-2.0, lsoa=COMPARISON_LSOA, tag="comparison")
    evidence = award_evidence_for(award_problem_queryset().get(pk=problem.pk))
    assert evidence.relative_effect == pytest.approx(2.0)  # (10 x 10) / (5 x 10)
    assert evidence.wdq is None
    assert evidence.wdq_missing == WDQ_NO_BUFFER


def test_evidence_query_count_is_fixed_in_the_number_of_objectives(
    client: Client, world: Any, django_assert_num_queries: Any
) -> None:
    problem = _published_example(world)
    sign_in(client, world.users["officer"])
    client.get(f"/problems/{problem.pk}/award-entry/")
    # session, user, OTP device, problem (with category, organisation, owner, draft, design and
    # EMMIE), objectives, hypotheses, actions (with organisations), the grouped crime count, the
    # months of crime data held in the periods, the unit costs.
    with django_assert_num_queries(10):
        first = client.get(f"/problems/{problem.pk}/award-entry/")
    assert len(first.context["evidence"].objectives) == 1
    for _ in range(4):
        ObjectiveFactory(problem=problem)
    with django_assert_num_queries(10):
        fifth = client.get(f"/problems/{problem.pk}/award-entry/")
    assert len(fifth.context["evidence"].objectives) == 5
    # The selector alone, given the problem from its queryset: the crime count, the months held and
    # the unit costs.
    loaded = award_problem_queryset().get(pk=problem.pk)
    with django_assert_num_queries(3):
        award_evidence_for(loaded)
