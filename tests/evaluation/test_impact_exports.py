"""The impact report's exports (CSV, PDF), its query count, and the background run's plumbing."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from core.audit import recipient_of
from core.models import AuditEvent
from core.numbers import percent_change
from evaluation.models import ReportRun, ReportState
from evaluation.services.reports import EXPORTED_VERB, report_run_generate
from evaluation.services.reports_render import REFUSED, static_only_url_fetcher
from problems.models import Problem
from tests.conftest import sign_in
from tests.evaluation.factories_crime import (
    EXAMPLE_COMPARISON_LSOA,
    LAT,
    LON,
    crimes_at,
    design_for,
    published_example_crimes,
)
from tests.evaluation.factories_impact import (
    ImpactWorld,
    d,
    done_action,
    impact_world,
    moves,
    report_params,
    report_problem,
)
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item", "measure", "value"]
    return {(section, item, measure): value for section, item, measure, value in rows[1:]}


def test_csv_export_carries_the_hand_counted_figures(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/csv/", report_params(data.eastgate))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="impact-eastgate-20260101-20260630.csv"' in response["Content-Disposition"]
    figures = _csv(response)
    assert figures[("problems", "all categories", "opened")] == "5"
    assert figures[("problems", "all categories", "closed")] == "2"
    assert figures[("problems by category", "Drugs", "opened")] == "2"
    assert figures[("days in stage", "Analysis", "median days")] == "4.0"
    assert figures[("reviews", "overdue reviews", "count")] == "2"
    assert figures[("objectives", "met", "count")] == "1"
    assert figures[("partner contributions", "Northshire City Council", "actions done")] == "2"
    event = AuditEvent.objects.get(verb=EXPORTED_VERB, actor=world.users["supervisor"])
    # The export is a disclosure: its event names who received it (DPA 2018 s.62).
    assert event.detail["format"] == "csv"
    assert event.detail["recipient"] == recipient_of(world.users["supervisor"])


def test_pdf_export_is_a_real_pdf_with_the_report_text(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/pdf/", report_params(data.eastgate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Impact report: Eastgate" in text
    assert "Northshire City Council" in text
    assert "Median days in each stage" in text


def test_partner_lead_pdf_does_not_name_problems_that_are_not_shared(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["partner_lead"])
    response = client.get("/reports/impact/csv/", report_params(data.partnership))
    figures = _csv(response)
    assert figures[("problems", "all categories", "opened")] == "2"
    listing = client.get("/reports/impact/problems/", {**report_params(data.partnership), "figure": "opened"})
    shown = {p.reference for p in listing.context["page"]}
    assert shown == {data.problems["P1"].reference, data.problems["P2"].reference}
    assert data.problems["P7"].reference not in listing.content.decode()


def test_invalid_export_request_returns_to_the_form(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/pdf/", {**report_params(data.eastgate), "end": "nonsense"})
    assert response.status_code == 302
    assert response["Location"].startswith("/reports/impact/?")


def test_pdf_fetcher_refuses_anything_but_our_static_files() -> None:
    with pytest.raises(ValueError, match=REFUSED):
        static_only_url_fetcher("https://example.org/tracker.png")
    with pytest.raises(ValueError, match=REFUSED):
        static_only_url_fetcher("file:///etc/passwd")
    fetched = static_only_url_fetcher("https://commonground.invalid/static/css/app.css")
    assert b"impact-chart" in fetched.read()


def _area_with(world: Any, count: int) -> Any:
    area = NeighbourhoodFactory(name=f"Area of {count}", organisation=world.force)
    for index in range(count):
        problem = report_problem(world, opened=d(2026, 2, 1 + index), neighbourhood=area.name)
        moves(problem, d(2026, 3, 1 + index))
        done_action(problem, world.partner, d(2026, 3, 2 + index))
    return area


def test_report_query_count_does_not_grow_with_the_number_of_problems(
    client: Client, world: Any, django_assert_num_queries: Any
) -> None:
    one, ten = _area_with(world, 1), _area_with(world, 10)
    sign_in(client, world.users["supervisor"])
    client.get("/reports/impact/")  # warm the session
    # 1 session, 2 user, 3 OTP device, 4 the user's neighbourhoods (form choices), 5 the
    # partnerships (form choices), 6 the chosen neighbourhood, 7 whether the area is large
    # (a COUNT of at most IMPACT_REPORT_SYNC_MAX_PROBLEMS + 1), 8 problems by category and stage,
    # 9 stays in each stage (percentile_cont), 10 open and overdue, 11 objectives, 12 partner
    # contributions, 13 evaluation designs (crime change; the grouped crime query runs only when
    # some exist), 14 engagement events by kind, 15 coverage neighbourhoods, 16 seldom-heard
    # groups, 17 groups reached at events, 18 groups reached by surveys, 19 trust-and-confidence
    # rounds (their answers are counted only when some exist), 20 unit costs (the costs reuse the
    # designs and counts of 13).
    with django_assert_num_queries(20):
        client.get("/reports/impact/", report_params(one, d(2026, 1, 1), d(2026, 6, 30)))
    with django_assert_num_queries(20):
        response = client.get("/reports/impact/", report_params(ten, d(2026, 1, 1), d(2026, 6, 30)))
    assert response.context["report"].flow.opened == 10


def test_large_report_goes_to_the_background_and_is_made_by_the_service(
    client: Client, world: Any, settings: Any
) -> None:
    data = impact_world(world)
    settings.IMPACT_REPORT_SYNC_MAX_PROBLEMS = 1
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/pdf/", report_params(data.eastgate))
    assert response.status_code == 200
    assert b"prepared in the background" in response.content

    created = client.post("/reports/impact/runs/", {**report_params(data.eastgate), "format": "csv"})
    run = ReportRun.objects.get()
    assert created["Location"] == f"/reports/impact/runs/{run.pk}/"
    assert run.state == ReportState.QUEUED
    # The worker's service (the real worker is exercised in test_impact_worker.py).
    assert report_run_generate(run_id=run.pk) == ReportState.DONE
    assert report_run_generate(run_id=run.pk) == ReportState.DONE  # a second delivery changes nothing
    progress = client.get(f"/reports/impact/runs/{run.pk}/progress/").json()
    assert progress["state"] == "done"
    assert progress["progress"] == 100
    download = client.get(progress["download_url"])
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert b"problems,all categories,opened,5" in body
    # Taking the file away is an export like a report made within the request, naming the run
    # and who received it.
    exported = AuditEvent.objects.get(verb=EXPORTED_VERB, target_id=str(run.pk))
    assert exported.target_type == "evaluation.reportrun"
    assert exported.detail == {"format": "csv", **run.parameters, "recipient": recipient_of(world.users["supervisor"])}


def test_someone_elses_run_is_404(client: Client, world: Any) -> None:
    data = impact_world(world)
    run = ReportRun.objects.create(
        requested_by=world.users["supervisor"], format="pdf", parameters=report_params(data.eastgate)
    )
    sign_in(client, world.users["analyst"])
    assert client.get(f"/reports/impact/runs/{run.pk}/").status_code == 404
    assert client.get(f"/reports/impact/runs/{run.pk}/progress/").status_code == 404
    assert client.get(f"/reports/impact/runs/{run.pk}/download/").status_code == 404


def test_a_run_for_an_area_the_user_can_no_longer_see_fails_with_a_message(world: Any) -> None:
    data = impact_world(world)
    run = ReportRun.objects.create(
        requested_by=world.users["partner_member"], format="pdf", parameters=report_params(data.partnership)
    )
    assert report_run_generate(run_id=run.pk) == ReportState.FAILED
    run.refresh_from_db()
    assert "no longer see" in run.error
    assert not run.result


def test_large_area_page_shows_the_problem_panels_and_leaves_the_rest_to_the_background(
    client: Client, world: Any, settings: Any
) -> None:
    data = impact_world(world)
    settings.IMPACT_REPORT_SYNC_MAX_PROBLEMS = 1
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/", report_params(data.eastgate))
    report = response.context["report"]
    assert report.flow.opened == 5
    assert report.sources == {}
    assert 'id="large-report"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "explanation"),
    [
        ("officer", "own a problem, and you own none yet"),
        ("unrelated_partner", "Faraway"),
    ],
)
def test_a_user_offered_the_report_but_with_no_area_is_told_why(
    client: Client, world: Any, persona: str, explanation: str
) -> None:
    sign_in(client, world.users[persona])

    response = client.get("/reports/impact/")

    assert response.status_code == 200
    assert "There is no area for you to report on yet." in response.text
    assert explanation in response.text
    assert "Show report" not in response.text  # no form to fill in
    assert client.get("/reports/impact/csv/", {"start": "2026-01-01", "end": "2026-03-31"}).status_code == 404


def test_a_partner_member_still_gets_404_from_the_report(client: Client, world: Any) -> None:
    sign_in(client, world.users["partner_member"])

    assert client.get("/reports/impact/").status_code == 404


def test_a_background_report_asked_for_with_the_queue_down_fails_with_a_message(
    client: Client, world: Any, broker_down: None, django_capture_on_commit_callbacks: Any
) -> None:
    from core.queueing import QUEUE_UNAVAILABLE

    data = impact_world(world)
    sign_in(client, world.users["supervisor"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/impact/runs/", {**report_params(data.eastgate), "format": "pdf"})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert (run.state, run.error) == (ReportState.FAILED, QUEUE_UNAVAILABLE)
    assert QUEUE_UNAVAILABLE in client.get(response["Location"]).text


# --- buffer counts and the displacement quotient of each evaluated problem -----------------------


def _at_the_example_location(problem: Problem) -> None:
    Problem.objects.filter(pk=problem.pk).update(latitude=Decimal(str(LAT)), longitude=Decimal(str(LON)), radius_m=200)
    problem.refresh_from_db()


def _evaluated(world: Any, data: ImpactWorld) -> tuple[Problem, Problem]:
    """P2 holds the issue's published example (tests/evaluation/factories_crime.py): response in
    March 2026, one month either side; target 69 -> 19, buffer 30 -> 24, comparison 60 -> 58;
    RES (69 x 58) / (19 x 60) = 3.51, WDQ (24/58 - 30/60) / (19/58 - 69/60) = 0.10. P3 is
    evaluated by LSOA alone (target E01000007, 4 -> 2): no buffer, no comparison."""
    p2, p3 = data.problems["P2"], data.problems["P3"]
    _at_the_example_location(p2)
    common = {"response_start": d(2026, 3, 1), "months_before": 1, "months_after": 1, "crime_types": ["Burglary"]}
    design_for(p2, actor=world.users["analyst"], buffer_m=200, comparison_lsoa_codes=EXAMPLE_COMPARISON_LSOA, **common)
    design_for(p3, actor=world.users["analyst"], target_lsoa_codes="E01000007", **common)
    published_example_crimes(before=d(2026, 2, 1), after=d(2026, 3, 1))
    crimes_at(4, d(2026, 2, 1), latitude=52.5, longitude=-1.5, lsoa="E01000007", tag="p3")
    crimes_at(2, d(2026, 3, 1), latitude=52.5, longitude=-1.5, lsoa="E01000007", tag="p3")
    return p2, p3


def _words(markup: str) -> str:
    """The text a reader sees: links kept inline, other tags as spaces, whitespace collapsed."""
    inline = re.sub(r"</?a\b[^>]*>", "", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def test_report_csv_gives_each_evaluated_problems_buffer_counts_and_displacement_quotient(
    client: Client, world: Any
) -> None:
    data = impact_world(world)
    p2, p3 = _evaluated(world, data)
    sign_in(client, world.users["supervisor"])
    figures = _csv(client.get("/reports/impact/csv/", report_params(data.eastgate)))
    by_problem = "crime by problem"
    assert figures[(by_problem, p2.reference, "title")] == p2.title
    assert figures[(by_problem, p2.reference, "target before")] == "69"
    assert figures[(by_problem, p2.reference, "target after")] == "19"
    assert figures[(by_problem, p2.reference, "buffer before")] == "30"
    assert figures[(by_problem, p2.reference, "buffer after")] == "24"
    assert figures[(by_problem, p2.reference, "comparison before")] == "60"
    assert figures[(by_problem, p2.reference, "comparison after")] == "58"
    assert figures[(by_problem, p2.reference, "relative effect size")] == "3.51"
    assert figures[(by_problem, p2.reference, "weighted displacement quotient")] == "0.10"
    # P3's design has neither a buffer nor a comparison: empty cells, not zeros.
    assert figures[(by_problem, p3.reference, "target before")] == "4"
    assert figures[(by_problem, p3.reference, "buffer before")] == ""
    assert figures[(by_problem, p3.reference, "weighted displacement quotient")] == ""
    # The buffers over every problem that has one.
    assert figures[("crime", "problems with a displacement buffer", "count")] == "1"
    assert figures[("crime", "displacement buffers", "before")] == "30"
    assert figures[("crime", "displacement buffers", "after")] == "24"


def test_a_negative_displacement_quotient_stays_a_number_in_the_csv(client: Client, world: Any) -> None:
    data = impact_world(world)
    p2, _ = _evaluated(world, data)
    # Six more burglaries in the buffer after: (30/58 - 30/60) / (19/58 - 69/60) = -0.02.
    crimes_at(6, d(2026, 3, 1), latitude=LAT + 300 / 111_320, longitude=LON, lsoa="E01000005", tag="more")
    sign_in(client, world.users["supervisor"])
    figures = _csv(client.get("/reports/impact/csv/", report_params(data.eastgate)))
    assert figures[("crime by problem", p2.reference, "buffer after")] == "30"
    # Written as a number, not as text with a quote before it (core.csv_export guards text only).
    assert figures[("crime by problem", p2.reference, "weighted displacement quotient")] == "-0.02"


EXAMPLE_ROW = "{ref}: {title} 69 19 30 24 60 58 3.51 0.10"
LSOA_ONLY_ROW = (
    "{ref}: {title} 4 2 No buffer set No comparison area Not measurable Needs a buffer and a comparison area"
)


def test_report_page_and_pdf_show_each_evaluated_problems_buffer_and_displacement_quotient(
    client: Client, world: Any
) -> None:
    data = impact_world(world)
    p2, p3 = _evaluated(world, data)
    sign_in(client, world.users["supervisor"])
    page = client.get("/reports/impact/", report_params(data.eastgate)).content.decode()
    pdf = client.get("/reports/impact/pdf/", report_params(data.eastgate))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    for text in (_words(page), pdf_text):
        assert EXAMPLE_ROW.format(ref=p2.reference, title=p2.title) in text
        assert LSOA_ONLY_ROW.format(ref=p3.reference, title=p3.title) in text
        assert f"Displacement buffers (1 problem with one) 30 24 {percent_change(-20.0)}" in text
    assert f'href="/problems/{p2.pk}/"' in page


def _evaluated_area(world: Any, count: int) -> Any:
    area = NeighbourhoodFactory(name=f"Evaluated area of {count}", organisation=world.force)
    for index in range(count):
        problem = report_problem(world, opened=d(2026, 2, 1 + index), neighbourhood=area.name)
        _at_the_example_location(problem)
        design_for(
            problem,
            actor=world.users["analyst"],
            response_start=d(2026, 3, 1),
            months_before=1,
            months_after=1,
            buffer_m=200,
            comparison_lsoa_codes=EXAMPLE_COMPARISON_LSOA,
        )
    return area


def test_report_query_count_with_evaluated_problems_does_not_grow_with_their_number(
    client: Client, world: Any, django_assert_num_queries: Any
) -> None:
    published_example_crimes(before=d(2026, 2, 1), after=d(2026, 3, 1))
    one, five = _evaluated_area(world, 1), _evaluated_area(world, 5)
    sign_in(client, world.users["supervisor"])
    client.get("/reports/impact/")  # warm the session
    # The 20 queries of test_report_query_count_does_not_grow_with_the_number_of_problems, and
    # 21 the grouped crime count (it runs once some evaluation designs exist), 22 the months of
    # crime data held in their periods (one query for every design). Each problem's reference and
    # title for its line come with the designs (13), not a query each.
    with django_assert_num_queries(22):
        response = client.get("/reports/impact/", report_params(one, d(2026, 1, 1), d(2026, 6, 30)))
    assert [line.wdq_rounded for line in response.context["report"].sources["crime"].lines] == [Decimal("0.10")]
    with django_assert_num_queries(22):
        response = client.get("/reports/impact/", report_params(five, d(2026, 1, 1), d(2026, 6, 30)))
    lines = response.context["report"].sources["crime"].lines
    assert [(line.buffer_before, line.buffer_after) for line in lines] == [(30, 24)] * 5
