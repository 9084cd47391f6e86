"""Journey in a real browser: an analyst uploads a data.police.uk file, watches the progress bar
(polled by htmx) finish while a real Celery worker imports it, then opens a problem whose
before/after panel draws its chart. axe-core finds no accessibility violations on any page
visited, and no console (CSP) error is logged."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import CrimeRecord
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.core.test_celery_worker import celery_worker_process  # noqa: F401  (the fixture)
from tests.evaluation.factories_crime import LAT, LON, build_fixed_data, crime_id, crime_row, design_for, police_csv
from tests.problems.factories import ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROWS = 3000


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_analyst_uploads_a_crime_file_and_watches_the_import_finish(
    page: Page,
    live_server: Any,
    world: World,
    celery_worker_process: subprocess.Popen[str],  # noqa: F811
    tmp_path: Path,
) -> None:
    rows = [crime_row(crime_id=crime_id(n), crime_type="Burglary") for n in range(1, ROWS - 99)]
    rows += [crime_row(month=f"2026-{n % 12 + 1:02d}") for n in range(100)]
    rows.insert(10, crime_row(crime_id=crime_id(999_999), month="March"))  # line 12: malformed
    path = tmp_path / "2026-03-northshire-street.csv"
    path.write_bytes(police_csv(rows))
    analyst = world.users["analyst"]

    sign_in_browser(page, analyst)
    page.goto("/crime/import/")
    expect(page.get_by_role("heading", name="Import crime data", level=1)).to_be_visible()
    _checked(page)

    page.get_by_label("Street-level crime file (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("heading", name=f"Import of {path.name}", level=1)).to_be_visible()
    progress = page.locator("#import-progress-bar")
    expect(progress).to_be_visible()

    # htmx polls the progress fragment until the worker has finished.
    expect(page.locator("[data-import-result]")).to_contain_text("Import finished", timeout=90_000)
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("[data-import-result]")).to_contain_text(
        f"{ROWS:,} new rows imported; 0 already held; 1 malformed"
    )
    expect(page.get_by_role("table", name="Rows not imported")).to_contain_text("Line 12")
    _checked(page)
    assert CrimeRecord.objects.count() == ROWS

    # The unit costs of crime, linked from the import page: an analyst enters one with its source.
    page.get_by_role("link", name="Import crime data").click()
    page.get_by_role("link", name="Unit costs of crime").click()
    expect(page.get_by_role("heading", name="Unit costs of crime", level=1)).to_be_visible()
    _checked(page)
    page.get_by_label("Cost of one crime of Burglary (£)").fill("100.00")
    page.get_by_label("Source of the cost of Burglary").fill("Force finance (test figure)")
    page.get_by_role("button", name="Save Burglary").click()
    expect(page.get_by_text("Unit cost of Burglary saved.")).to_be_visible()
    _checked(page)

    # The file's results feed a problem's before/after panel, whose chart is drawn.
    build_fixed_data()
    problem = ProblemFactory(
        force=world.force,
        owner=world.users["officer"],
        latitude=Decimal(str(LAT)),
        longitude=Decimal(str(LON)),
        radius_m=200,
    )
    design_for(
        problem, actor=analyst, crime_types=["Burglary", "Robbery"], buffer_m=200, comparison_lsoa_codes="E01000009"
    )
    # The problem is still in scanning: its assessment section (where the evaluation is) opens
    # from the link to it, as after saving the design.
    page.goto(f"/problems/{problem.pk}/#evaluation-heading")
    expect(page.get_by_role("heading", name="Evaluation", level=2)).to_be_visible()
    expect(page.locator("#before-after-chart")).to_have_attribute("data-drawn", "true")
    _checked(page)
