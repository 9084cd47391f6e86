"""The demo's crime data: imported through the import service, and the worked example shows a
before/after result (a drop in the target area against the comparison area)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from evaluation.models import CrimeImportRun, CrimeRecord, CrimeUnitCost, ImportState
from evaluation.selectors.before_after import before_after_for_problem
from problems.demo.worked_example import WORKED_EXAMPLE
from problems.models import Problem

pytestmark = pytest.mark.django_db


def test_the_worked_example_shows_a_drop_against_the_comparison_area() -> None:
    call_command("seed_demo", stdout=io.StringIO())

    run = CrimeImportRun.objects.get(file_name__startswith="demo-")
    problem = Problem.objects.get(title=WORKED_EXAMPLE)
    result = before_after_for_problem(problem=problem)

    assert run.state == ImportState.DONE
    assert run.error_count == 0
    # As if the demo analyst had uploaded it: their home page lists it.
    assert (run.organisation.name, run.started_by.email) == ("Northshire Police", "analyst@police.example")
    assert 1500 < CrimeRecord.objects.count() < 4000
    assert CrimeRecord.objects.filter(key__startswith="asb-", crime_type="Anti-social behaviour").exists()
    assert result is not None
    assert result.comparison is not None
    assert result.buffer is not None
    assert result.target.after < result.target.before * 0.7
    assert result.relative_effect is not None
    assert result.relative_effect > 1.4
    assert result.level == 3
    # Unit costs are listed for an analyst to fill in, never made up.
    assert CrimeUnitCost.objects.exists()
    assert not CrimeUnitCost.objects.filter(cost__isnull=False).exists()
