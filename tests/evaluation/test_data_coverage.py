"""Data coverage: a before/after whose periods include months with no crime data held says so (on
the design form, the problem page, the impact report and the award entry) and gives no effect size
until the periods are shortened or the design records, with a reason, that those months were zero."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from evaluation.models import EvaluationDesign
from evaluation.selectors.areas import add_months
from evaluation.selectors.award import EFFECT_WITHHELD
from evaluation.selectors.before_after import before_after_for_problem, missing_months_of_designs
from evaluation.services.assessment import MISSING_ZERO_REASON_REQUIRED
from problems.models import Problem, Stage
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import design_for, record
from tests.evaluation.factories_impact import impact_world, report_params
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
# Data is held from January 2025 to June 2026: the last six months of a 12-month after-period
# (July to December 2026) have none.
HELD = [add_months(date(2025, 1, 1), n) for n in range(18)]
MISSING = [add_months(date(2026, 7, 1), n) for n in range(6)]


def _rows() -> None:
    """Target LSOA E01000001: 2 a month before, 1 a month after; comparison E01000002: 3 a month."""
    for month in HELD:
        for _ in range(2 if month < START else 1):
            record(month=month, latitude=None, longitude=None, lsoa_code="E01000001")
        for _ in range(3):
            record(month=month, latitude=None, longitude=None, lsoa_code="E01000002")


def _problem(world: World, **fields: Any) -> Problem:
    fields.setdefault("owner", world.users["officer"])
    return ProblemFactory(force=world.force, latitude=None, longitude=None, radius_m=None, **fields)


def _gap_design(world: World, problem: Problem | None = None, **fields: Any) -> Problem:
    _rows()
    problem = problem or _problem(world)
    design_for(
        problem,
        actor=world.users["analyst"],
        response_start=START,
        months_before=12,
        months_after=12,
        target_lsoa_codes="E01000001",
        comparison_lsoa_codes="E01000002",
        **fields,
    )
    return problem


def _design_post(problem: Problem, **changes: str) -> dict[str, Any]:
    data = {
        "response_start": "2026-01-01",
        "months_before": "12",
        "months_after": "12",
        "target_lsoa_codes": "E01000001",
        "comparison_lsoa_codes": "E01000002",
    }
    data.update(changes)
    return data


def test_twelve_months_either_side_over_a_gap_names_the_months_and_withholds_the_effect(world: World) -> None:
    result = before_after_for_problem(problem=_gap_design(world))

    assert result is not None
    assert result.missing_months == MISSING
    assert result.effect_withheld
    # The counts stand (the missing months count as zero): 24 before, 6 after.
    assert (result.target.before, result.target.after) == (24, 6)
    assert result.relative_effect is None
    assert result.relative_effect_interval is None
    assert result.relative_change_percent is None
    assert result.target.percent_change is None
    assert result.comparison is not None
    assert result.comparison.percent_change is None
    assert any("No crime data is held for 6 months of the periods (July 2026" in line for line in result.reading())
    assert not any("relative effect size 4" in line for line in result.reading())


def test_the_design_form_and_the_problem_page_warn_and_show_no_effect_size(world: World) -> None:
    problem = _gap_design(world)
    client = sign_in(Client(), world.users["analyst"])

    form_page = client.get(reverse("assessment-design", kwargs={"pk": problem.pk})).content.decode()
    problem_page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()

    for page in (form_page, problem_page):
        assert "data-coverage-warning" in page
        assert "No crime data is held for 6 months of the periods:" in page
        assert "July 2026, August 2026, September 2026, October 2026, November 2026, December 2026" in page
    assert "data-relative-effect>Withheld: months with no crime data held</dd>" in problem_page
    assert "data-relative-effect-interval" not in problem_page
    assert "data-cost-benefit-withheld" in problem_page
    # RES with the gap counted as zero would be (24 x 18) / (6 x 36) = 2.00.
    assert "data-relative-effect>2.00" not in problem_page


def test_recording_the_missing_months_as_zero_with_a_reason_restores_the_effect(world: World) -> None:
    problem = _gap_design(world)
    client = sign_in(Client(), world.users["analyst"])
    reason = "The force confirmed these months were published late with no crime recorded in the LSOA."

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        _design_post(problem, missing_months_are_zero="on", missing_months_reason=reason),
    )

    assert response.status_code == 302
    design = EvaluationDesign.objects.get(problem=problem)
    assert (design.missing_months_are_zero, design.missing_months_reason) == (True, reason)
    event = AuditEvent.objects.filter(verb="evaluation.design.saved", target_id=str(problem.pk)).latest("pk")
    assert "missing_months_are_zero" in str(event.detail)
    result = before_after_for_problem(problem=problem)
    assert result is not None
    assert result.missing_months == MISSING
    assert not result.effect_withheld
    assert result.relative_effect == pytest.approx((24 * 18) / (6 * 36))
    assert result.relative_effect_interval is not None
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "data-coverage-recorded" in page
    assert reason in page
    assert "data-coverage-warning" not in page
    assert "data-relative-effect>2.00 " in page


def test_recording_the_months_as_zero_without_a_reason_is_refused_with_a_clear_message(world: World) -> None:
    problem = _gap_design(world)
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(
        reverse("assessment-design", kwargs={"pk": problem.pk}),
        _design_post(problem, missing_months_are_zero="on", missing_months_reason="   ", months_before="11"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "data-error-summary" in page
    assert MISSING_ZERO_REASON_REQUIRED in page
    design = EvaluationDesign.objects.get(problem=problem)
    assert (design.missing_months_are_zero, design.months_before) == (False, 12)


def test_shortening_the_periods_to_the_months_held_restores_the_effect(world: World) -> None:
    problem = _gap_design(world)
    client = sign_in(Client(), world.users["analyst"])

    client.post(reverse("assessment-design", kwargs={"pk": problem.pk}), _design_post(problem, months_after="6"))

    result = before_after_for_problem(problem=problem)
    assert result is not None
    assert result.missing_months == []
    assert (result.target.after, result.comparison.after) == (6, 18)  # type: ignore[union-attr]
    assert result.relative_effect == pytest.approx((24 * 18) / (6 * 36))
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "data-coverage-warning" not in page


def test_months_held_count_rows_of_any_type_in_the_areas_not_only_the_chosen_types(world: World) -> None:
    # Only burglary is counted, and the rows are all anti-social behaviour: every month is held,
    # and the counts are zero (truly none of the chosen type), with no warning.
    for month in HELD:
        record(month=month, latitude=None, longitude=None, lsoa_code="E01000001", crime_type="Anti-social behaviour")
    problem = _problem(world)
    design_for(problem, actor=world.users["analyst"], response_start=START, target_lsoa_codes="E01000001")
    design = EvaluationDesign.objects.get(problem=problem)
    design.crime_types = ["Burglary"]
    design.save()

    result = before_after_for_problem(problem=problem)

    assert result is not None
    assert result.missing_months == []
    assert (result.target.before, result.target.after) == (0, 0)


def test_the_months_held_of_many_designs_take_one_query(world: World, django_assert_num_queries: Any) -> None:
    _rows()
    problems = [_problem(world) for _ in range(3)]
    for index, problem in enumerate(problems):
        design_for(
            problem,
            actor=world.users["analyst"],
            response_start=START,
            months_before=12,
            months_after=6 + 6 * (index % 2),
            target_lsoa_codes="E01000001",
        )
    designs = list(EvaluationDesign.objects.select_related("problem").order_by("problem_id"))

    with django_assert_num_queries(1):
        gaps = missing_months_of_designs(designs)

    assert gaps == {problems[0].pk: [], problems[1].pk: MISSING, problems[2].pk: []}


def test_designs_by_lsoa_and_by_location_have_their_months_held_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    # On PostgreSQL a design by LSOA codes is probed month by month and one with a location reads
    # its box's distinct months: both kinds in one query, each with its own gap.
    _rows()
    centre = {"latitude": Decimal("52.1"), "longitude": Decimal("-1.1"), "radius_m": 300}
    for month in HELD[:12]:  # around the location: January to December 2025 only
        record(month=month, latitude=52.1001, longitude=-1.1001)
    by_lsoa, by_location = _problem(world), ProblemFactory(force=world.force, owner=world.users["officer"], **centre)
    for problem in (by_lsoa, by_location):
        design_for(problem, actor=world.users["analyst"], response_start=START, months_before=12, months_after=12)
    EvaluationDesign.objects.filter(problem=by_lsoa).update(target_lsoa_codes="E01000001")
    designs = list(EvaluationDesign.objects.select_related("problem").order_by("problem_id"))

    with django_assert_num_queries(1):
        gaps = missing_months_of_designs(designs)

    assert gaps == {by_lsoa.pk: MISSING, by_location.pk: [add_months(START, n) for n in range(12)]}


def test_the_impact_report_page_and_csv_name_the_gap_and_withhold_the_effect(client: Client, world: World) -> None:
    data = impact_world(world)
    problem = data.problems["P2"]  # Eastgate, response stage
    _gap_design(world, problem=problem)
    sign_in(client, world.users["supervisor"])

    page = client.get("/reports/impact/", report_params(data.eastgate)).content.decode()
    csv_text = client.get("/reports/impact/csv/", report_params(data.eastgate)).content.decode()

    assert "data-coverage-warning" in page
    assert f"{problem.reference}: {problem.title}: Jul 2026, Aug 2026" in page
    assert "withheld (months with no crime data held)" in page
    assert "crime,relative effect size,value,\r\n" in csv_text
    assert "crime,effect size,withheld,yes: months with no crime data held" in csv_text
    assert [
        "crime",
        f"{problem.reference}: {problem.title}",
        "months with no crime data held",
        "2026-07; 2026-08; 2026-09; 2026-10; 2026-11; 2026-12",
    ] in list(csv.reader(io.StringIO(csv_text)))


def test_the_award_entry_tells_the_gap_and_gives_no_effect_size(client: Client, world: World) -> None:
    problem = _problem(world, stage=Stage.CLOSED)
    _gap_design(world, problem=problem, officer_hours=Decimal("1"))
    sign_in(client, world.users["officer"])

    page = client.get(f"/problems/{problem.pk}/award-entry/").content.decode()

    assert "data-coverage-warning" in page
    assert "No crime data is held for 6 months of the periods (July 2026" in page
    target_row = page[page.index('data-area="target"') :].split("</tr>")[0]
    assert ">24<" in target_row
    assert ">6<" in target_row
    assert "\u221218" in target_row
    assert EFFECT_WITHHELD in page
    assert "95% confidence interval" not in page
