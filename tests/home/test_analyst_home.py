"""The analyst's home page: "Crime data" (the organisation's latest imports and the months of crime
held), "Before and after" (the force's problems with a design, and those in assessment with none)
and "Reports" (the analyst's own background impact reports), each only what the analyst may see,
with a query count that does not grow with the number of items."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CrimeImportRun, EvaluationDesign, ImportState, ReportRun, ReportState
from problems.models import Problem, Stage
from tests.conftest import World, sign_in
from tests.evaluation.factories_crime import design_for
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _home(world: World) -> str:
    response = sign_in(Client(), world.users["analyst"]).get(reverse("home"))
    assert response.status_code == 200
    return response.text


def _part(text: str, marker: str) -> str:
    """The list after `marker` (a data- attribute), up to its end."""
    assert marker in text, f"{marker} not on the page"
    return text.split(marker, 1)[1].split("</ul>", 1)[0]


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _import(world: World, name: str, **fields: object) -> CrimeImportRun:
    fields.setdefault("organisation", world.force)
    fields.setdefault("started_by", world.users["analyst"])
    return CrimeImportRun.objects.create(file_name=name, **fields)


def _designed(world: World, title: str, *, changed_days_ago: int, **fields: object) -> Problem:
    fields.setdefault("owner", world.users["officer"])
    problem = ProblemFactory(force=world.force, title=title, **fields)
    design = design_for(problem, actor=world.users["analyst"])
    EvaluationDesign.objects.filter(pk=design.pk).update(updated_at=_ago(changed_days_ago))
    return problem


def _in_assessment(world: World, title: str, *, changed_days_ago: int, **fields: object) -> Problem:
    fields.setdefault("owner", world.users["officer"])
    problem = ProblemFactory(force=world.force, title=title, stage=Stage.ASSESSMENT, **fields)
    Problem.objects.filter(pk=problem.pk).update(updated_at=_ago(changed_days_ago))
    return problem


def _run(world: World, title: str, **fields: object) -> ReportRun:
    fields.setdefault("requested_by", world.users["analyst"])
    fields.setdefault("format", "pdf")
    return ReportRun.objects.create(title=title, **fields)


# --- Crime data ---------------------------------------------------------------------------------


def test_crime_panel_lists_the_organisations_imports_with_their_counts_and_links(world: World) -> None:
    done = _import(
        world,
        "2026-03-northshire-street.csv",
        state=ImportState.DONE,
        rows_loaded=2999,
        rows_skipped=12,
        error_count=1,
    )
    running = _import(world, "2026-04-northshire-street.csv", state=ImportState.RUNNING, rows_total=200, rows_done=50)
    other_force = ProblemFactory().owning_organisation  # another police force
    _import(world, "faraway-street.csv", organisation=other_force, started_by=None)
    text = _home(world)
    imports = _part(text, "data-crime-imports")
    assert imports.index("2026-04-northshire-street.csv") < imports.index("2026-03-northshire-street.csv")
    assert f'href="{reverse("crime-import-detail", args=[done.pk])}"' in imports
    assert f'href="{reverse("crime-import-detail", args=[running.pk])}"' in imports
    assert "Finished" in imports
    assert "2999 rows added, 12 already held, 1 malformed." in imports
    assert "Importing" in imports
    assert "25% done." in imports
    assert "faraway-street.csv" not in text
    assert f'href="{reverse("crime-import")}">Import a crime data file</a>' in text
    assert "See every recent import" not in text


def test_crime_panel_says_which_months_of_crime_are_held(world: World) -> None:
    # Held: what finished imports brought; a failed one and one that added nothing do not count.
    for first, last in (
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
        (datetime.date(2025, 7, 1), datetime.date(2026, 2, 1)),
    ):
        _import(world, f"{first}.csv", state=ImportState.DONE, rows_loaded=10, first_month=first, last_month=last)
    _import(
        world,
        "failed.csv",
        state=ImportState.FAILED,
        first_month=datetime.date(2020, 1, 1),
        last_month=datetime.date(2027, 1, 1),
    )
    _import(
        world,
        "again.csv",
        state=ImportState.DONE,
        rows_loaded=0,
        rows_skipped=10,
        first_month=datetime.date(2023, 1, 1),
        last_month=datetime.date(2023, 1, 1),
    )
    text = _home(world)
    assert (
        "Crime data is held from <strong>March 2024</strong> to <strong>February 2026</strong>, a span of 24 months."
    ) in text


def test_crime_panel_links_to_the_import_page_when_there_are_more_imports_than_it_shows(world: World) -> None:
    for n in range(6):
        _import(world, f"file-{n}.csv", state=ImportState.DONE)
    text = _home(world)
    imports = _part(text, "data-crime-imports")
    assert imports.count("<li>") == 5
    assert "file-0.csv" not in imports  # the oldest
    assert f'<a href="{reverse("crime-import")}">See every recent import</a>' in text


def test_crime_panel_says_when_nothing_is_held_or_imported(world: World) -> None:
    text = _home(world)
    assert "No crime data is held yet" in text
    assert "Your organisation has not imported any crime data yet." in text
    assert "data-crime-imports" not in text
    assert f'href="{reverse("crime-import")}">Import a crime data file</a>' in text


# --- Before and after ---------------------------------------------------------------------------


def test_before_after_panel_lists_the_forces_designs_most_recently_changed_first(world: World) -> None:
    older = _designed(world, "Burglary on the estate", changed_days_ago=10, stage=Stage.CLOSED)
    newer = _designed(world, "Robbery by the station", changed_days_ago=1, stage=Stage.ASSESSMENT)
    design_for(ProblemFactory(title="Another force's design"), actor=world.users["analyst"])
    hidden = _designed(world, "Restricted with a design", changed_days_ago=2, restricted=True)
    named = _designed(world, "Restricted, analyst named", changed_days_ago=3, restricted=True)
    named.named_users.add(world.users["analyst"])
    ProblemFactory(force=world.force, title="No design, in response", stage=Stage.RESPONSE)
    text = _home(world)
    designs = _part(text, "data-designed-problems")
    assert designs.index("Robbery") < designs.index("analyst named") < designs.index("Burglary")
    assert f'href="{reverse("assessment-design", args=[newer.pk])}">{newer.reference}: Robbery by the station</a>' in (
        designs
    )
    assert f'href="{reverse("assessment-design", args=[older.pk])}"' in designs
    assert f'href="{reverse("problem-detail", args=[older.pk])}#evaluation-heading">results' in designs
    assert "(Closed)" in designs
    assert "Another force" not in text
    assert hidden.title not in text
    assert "No design, in response" not in text


def test_before_after_panel_lists_problems_in_assessment_that_need_a_design(world: World) -> None:
    waiting = _in_assessment(world, "Drug dealing in the park", changed_days_ago=20)
    recent = _in_assessment(world, "Speeding on Mill Lane", changed_days_ago=2)
    _designed(world, "Already designed", changed_days_ago=1, stage=Stage.ASSESSMENT)
    ProblemFactory(force=world.force, title="Still in response", stage=Stage.RESPONSE)
    ProblemFactory(title="Another force in assessment", stage=Stage.ASSESSMENT)
    restricted = _in_assessment(world, "Restricted in assessment", changed_days_ago=5, restricted=True)
    text = _home(world)
    needing = _part(text, "data-problems-needing-design")
    assert needing.index("Drug dealing in the park") < needing.index("Speeding on Mill Lane")
    assert f'href="{reverse("assessment-design", args=[waiting.pk])}"' in needing
    assert f'href="{reverse("assessment-design", args=[recent.pk])}"' in needing
    assert world.users["officer"].full_name in needing
    assert "Already designed" not in needing
    assert "Still in response" not in text
    assert "Another force in assessment" not in text
    assert restricted.title not in text
    assert "See every problem in assessment" not in text


def test_before_after_panel_shows_five_of_each_and_links_to_the_problems_in_assessment(world: World) -> None:
    for n in range(6):
        _designed(world, f"Designed {n}", changed_days_ago=n)
        _in_assessment(world, f"Waiting {n}", changed_days_ago=n)
    text = _home(world)
    assert _part(text, "data-designed-problems").count("<li>") == 5
    assert "Designed 5" not in text  # the least recently changed
    assert "Only the 5 most recently changed are shown." in text
    assert _part(text, "data-problems-needing-design").count("<li>") == 5
    assert "Waiting 0" not in text  # the most recently changed
    assert f'<a href="{reverse("problem-list")}?stage=assessment">See every problem in assessment</a>' in text


def test_before_after_panel_says_when_there_is_nothing(world: World) -> None:
    text = _home(world)
    assert "None of your force's problems has a before/after design yet." in text
    assert "Every problem in assessment has a before/after design." in text


# --- Reports ------------------------------------------------------------------------------------


def test_reports_panel_lists_the_analysts_own_runs_most_recent_first(world: World) -> None:
    ready = _run(world, "Impact report: Eastgate, 01 Jan 2026 to 30 Jun 2026", state=ReportState.DONE, result="r.pdf")
    ReportRun.objects.filter(pk=ready.pk).update(created_at=_ago(3))
    queued = _run(world, "Impact report: Westfield, 01 Jan 2026 to 30 Jun 2026", format="csv")
    expired = _run(world, "Impact report: Old one", state=ReportState.DONE)
    ReportRun.objects.filter(pk=expired.pk).update(created_at=_ago(40))
    _run(world, "Impact report: the sergeant's", requested_by=world.users["supervisor"])
    text = _home(world)
    runs = _part(text, "data-report-runs")
    assert runs.index("Westfield") < runs.index("Eastgate") < runs.index("Old one")
    assert (
        f'href="{reverse("impact-report-run", args=[queued.pk])}">'
        "Impact report: Westfield, 01 Jan 2026 to 30 Jun 2026 (CSV)</a>: Waiting to start"
    ) in runs
    assert f'href="{reverse("impact-report-run", args=[ready.pk])}"' in runs
    assert "(PDF)</a>: Ready" in runs
    assert "Old one (PDF)</a>: File deleted" in runs
    assert "sergeant" not in text
    assert f'<a href="{reverse("impact-report")}">Open the impact report</a>' in text


def test_reports_panel_says_when_there_is_no_run(world: World) -> None:
    _run(world, "Impact report: the sergeant's", requested_by=world.users["supervisor"])
    text = _home(world)
    assert "You have not asked for an impact report to be prepared in the background." in text
    assert "data-report-runs" not in text
    assert f'<a href="{reverse("impact-report")}">Open the impact report</a>' in text


# --- Queries ------------------------------------------------------------------------------------


def test_analyst_home_keeps_the_same_query_count_with_1_and_with_5_items_in_each_list(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = sign_in(Client(), world.users["analyst"])

    def count_queries(rows: int) -> None:
        while CrimeImportRun.objects.count() < rows:
            n = CrimeImportRun.objects.count()
            month = datetime.date(2025, n + 1, 1)
            _import(
                world, f"file-{n}.csv", state=ImportState.DONE, rows_loaded=n + 1, first_month=month, last_month=month
            )
            # Each problem with a new owner, so a lazy owner lookup would show as extra queries.
            _designed(world, f"Designed {n}", changed_days_ago=n, owner=ProblemFactory(force=world.force).owner)
            _in_assessment(world, f"Waiting {n}", changed_days_ago=n, owner=ProblemFactory(force=world.force).owner)
            _run(world, f"Impact report {n}")
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the organisation's
        # latest imports with who started them, 5 the force's problems with a design (joined),
        # 6 those in assessment with no design with their owners, 7 the analyst's report runs,
        # 8 the earliest and latest month of crime held (one aggregate over the import runs).
        with django_assert_num_queries(8):
            response = client.get(reverse("home"))
        context = response.context
        assert len(context["crime_imports"]) == rows
        assert len(context["designed_problems"]) == rows
        assert len(context["problems_needing_design"]) == rows
        assert len(context["report_runs"]) == rows
        assert context["crime_months"].span_months == rows

    count_queries(1)
    count_queries(5)
