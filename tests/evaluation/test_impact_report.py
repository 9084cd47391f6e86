"""The impact report's numbers against a fixed data set counted by hand
(tests/evaluation/factories_impact.py lists it), and who sees which report."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.test import Client

from evaluation.selectors.impact import impact_areas_for, impact_scope_for
from evaluation.selectors.impact_report import impact_report_build
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.evaluation.factories_impact import END, START, d, impact_world, report_params, report_problem

pytestmark = pytest.mark.django_db


def _report(user: Any, area: Any) -> Any:
    kind = "neighbourhood" if area.__class__.__name__ == "Neighbourhood" else "partnership"
    scope = impact_scope_for(user=user, area=f"{kind}-{area.pk}", start=START, end=END)
    return impact_report_build(scope)


def _by_name(rows: list[Any]) -> dict[str, tuple[int, int]]:
    return {row.name: (row.opened, row.closed) for row in rows}


def test_supervisor_report_counts_match_the_records(world: Any) -> None:
    data = impact_world(world)
    report = _report(world.users["supervisor"], data.eastgate)

    # Opened in the period: P1, P2, P3, P7 (restricted: a supervisor sees it), P8.
    assert report.flow.opened == 5
    # Closed in the period: P1 and P4 (opened before the period).
    assert report.flow.closed == 2
    assert _by_name(report.flow.by_category) == {"Anti-social behaviour": (3, 2), "Drugs": (2, 0)}
    assert {s.stage: s.count for s in report.flow.by_stage} == {
        "scanning": 2,  # P7, P8
        "analysis": 1,  # P3
        "response": 1,  # P2
        "assessment": 0,
        "closed": 1,  # P1
    }


def test_a_problem_with_no_neighbourhood_is_on_a_line_of_its_own_never_dropped(client: Client, world: Any) -> None:
    data = impact_world(world)
    unplaced = report_problem(world, opened=d(2026, 4, 20), neighbourhood=None, title="Logged with no area")
    report_problem(world, opened=d(2025, 4, 20), neighbourhood=None, title="Before the period")
    supervisor = world.users["supervisor"]

    for area, lines in (
        (data.eastgate, [("Eastgate", 5, 2), ("No neighbourhood recorded", 1, 0)]),
        (data.partnership, [("Eastgate", 5, 2), ("No neighbourhood recorded", 1, 0)]),
    ):
        report = _report(supervisor, area)
        assert [(a.name, a.opened, a.closed) for a in report.flow.by_area] == lines
        # In no area's figures: the area's own counts are as counted by hand.
        assert (report.flow.opened, report.flow.closed) == (5, 2)

    sign_in(client, supervisor)
    page = client.get("/reports/impact/", report_params(data.eastgate)).content.decode()
    table = page.split('id="table-areas"', 1)[1].split("</table>", 1)[0]
    assert "No neighbourhood recorded" in table
    assert "figure=unplaced" in table
    csv_text = client.get("/reports/impact/csv/", report_params(data.eastgate)).content.decode()
    assert "problems by neighbourhood,No neighbourhood recorded,opened,1" in csv_text
    listed = client.get("/reports/impact/problems/", {**report_params(data.eastgate), "figure": "unplaced"})
    assert [p.pk for p in listed.context["page"]] == [unplaced.pk]
    # A partner lead counts only what is shared with them: nothing unplaced here.
    lead_report = _report(world.users["partner_lead"], data.partnership)
    assert lead_report.flow.unplaced is not None
    assert lead_report.flow.unplaced.opened == 0


def test_median_days_in_each_stage_are_computed_over_stays_ending_in_the_period(world: Any) -> None:
    data = impact_world(world)
    durations = {d.stage: (d.median_days, d.stays) for d in _report(world.users["supervisor"], data.eastgate).durations}

    # Scanning: P1 10, P2 6, P3 20 (P4's 4-day stay ended before the period) -> median 10.
    # Analysis: P1 4, P2 2, P4 97 (began before the period, ended in it) -> median 4.
    assert durations == {
        "scanning": (pytest.approx(10.0), 3),
        "analysis": (pytest.approx(4.0), 3),
        "response": (pytest.approx(59.0), 1),
        "assessment": (pytest.approx(25.0), 1),
    }


def test_median_of_an_even_number_of_stays_is_the_mean_of_the_middle_two(world: Any) -> None:
    data = impact_world(world)
    # Only P2 and P3 for the analyst? No: restrict the period to March-April, where the scanning
    # stays that ended are P2's (6 days, 7 March) and P3's (20 days, 21 April).
    import datetime

    scope = impact_scope_for(
        user=world.users["supervisor"],
        area=f"neighbourhood-{data.eastgate.pk}",
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 4, 30),
    )
    durations = {d.stage: d.median_days for d in impact_report_build(scope).durations}
    assert durations["scanning"] == pytest.approx(13.0)


def test_reviews_objectives_and_partner_contributions_match_the_records(world: Any) -> None:
    data = impact_world(world)
    report = _report(world.users["supervisor"], data.eastgate)

    # Open today: P2, P3, P6, P7, P8; overdue today: P3 and P6 (whatever the period).
    assert (report.reviews.open_now, report.reviews.overdue) == (5, 2)
    # Objectives due in the period: P1 met, P2 not met, P2 not assessed (P3's is due in August).
    assert (report.objectives.met, report.objectives.not_met, report.objectives.not_assessed) == (1, 1, 1)
    # Done in the period: the council on P1 and P2, the force on P1. Westfield's and last year's
    # actions and the planned one are not counted.
    assert [(c.organisation, c.actions_done, c.problems) for c in report.contributions] == [
        ("Northshire City Council", 2, 2),
        ("Northshire Police", 1, 1),
    ]


def test_analyst_report_leaves_out_restricted_problems_they_are_not_named_on(world: Any) -> None:
    data = impact_world(world)
    report = _report(world.users["analyst"], data.eastgate)

    assert report.flow.opened == 4
    assert _by_name(report.flow.by_category)["Anti-social behaviour"] == (2, 2)


def test_partner_lead_sees_only_the_problems_shared_with_their_organisation(world: Any) -> None:
    data = impact_world(world)
    report = _report(world.users["partner_lead"], data.partnership)

    # Shared with the council: P1 and P2 only.
    assert (report.flow.opened, report.flow.closed) == (2, 1)
    assert _by_name(report.flow.by_category) == {"Anti-social behaviour": (2, 1)}
    assert (report.reviews.open_now, report.reviews.overdue) == (1, 0)
    assert [(c.organisation, c.actions_done) for c in report.contributions] == [
        ("Northshire City Council", 2),
        ("Northshire Police", 1),
    ]


def test_partner_lead_never_counts_a_restricted_problem_even_if_a_share_row_exists(world: Any) -> None:
    data = impact_world(world)
    # A share row can only be made through the service, which refuses restricted problems; the
    # selector must not count one even if a problem becomes restricted while shared.
    data.problems["P1"].restricted = True
    data.problems["P1"].save()
    report = _report(world.users["partner_lead"], data.partnership)
    assert report.flow.opened == 1


def test_partnership_report_for_police_covers_the_partnership_neighbourhoods(world: Any) -> None:
    data = impact_world(world)
    report = _report(world.users["supervisor"], data.partnership)
    assert report.flow.opened == 5  # Eastgate only: Westfield is not the partnership's.


def test_officer_may_report_on_the_areas_where_they_own_problems_only(world: Any) -> None:
    data = impact_world(world)
    officer = world.users["officer"]
    assert {label for _, label, _ in impact_areas_for(officer)} == {"Eastgate", "Westfield"}
    newcomer = UserFactory(role="officer", organisation=world.force)
    assert impact_areas_for(newcomer) == []
    with pytest.raises(Http404):
        impact_scope_for(user=newcomer, area=f"neighbourhood-{data.eastgate.pk}", start=START, end=END)
    # An officer has no partnership report.
    with pytest.raises(Http404):
        impact_scope_for(user=officer, area=f"partnership-{data.partnership.pk}", start=START, end=END)


@pytest.mark.parametrize(
    ("persona", "menu_page"),
    [("partner_member", 404), ("unrelated_partner", 200), ("administrator", 404)],
)
def test_users_without_a_report_get_404(client: Client, world: Any, persona: str, menu_page: int) -> None:
    # A partner lead reaches the page from the menu and is told why there is no report (200);
    # asking for an area is a 404 for every user without one.
    data = impact_world(world)
    sign_in(client, world.users[persona])
    assert client.get("/reports/impact/").status_code == menu_page
    assert client.get("/reports/impact/", report_params(data.partnership)).status_code == 404


def test_partner_lead_cannot_open_a_neighbourhood_report(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["partner_lead"])
    # The area is not among their choices: the same answer as for an area that does not exist.
    response = client.get("/reports/impact/", report_params(data.eastgate))
    assert response.context["report"] is None
    assert "Choose a neighbourhood or partnership from the list." in response.content.decode()
    with pytest.raises(Http404):
        impact_scope_for(
            user=world.users["partner_lead"], area=f"neighbourhood-{data.eastgate.pk}", start=START, end=END
        )


def test_supervisor_of_another_force_gets_404_for_this_force_area(client: Client, world: Any) -> None:
    from tests.partnerships.factories import PoliceForceFactory

    data = impact_world(world)
    stranger = UserFactory(role="supervisor", organisation=PoliceForceFactory(name="Southshire Police"))
    sign_in(client, stranger)
    assert client.get("/reports/impact/", report_params(data.eastgate)).status_code == 404


def test_report_page_shows_the_figures_with_links_to_their_problems(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/", report_params(data.eastgate))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="impact-chart-data"' in html
    assert "5 opened" in html
    listing = client.get("/reports/impact/problems/", {**report_params(data.eastgate), "figure": "closed"})
    assert listing.status_code == 200
    references = {p.reference for p in listing.context["page"]}
    assert references == {data.problems["P1"].reference, data.problems["P4"].reference}


def test_records_behind_a_category_figure_are_the_ones_counted(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    drugs = data.problems["P3"].category_id
    listing = client.get(
        "/reports/impact/problems/", {**report_params(data.eastgate), "figure": "opened", "category": drugs}
    )
    assert {p.reference for p in listing.context["page"]} == {
        data.problems["P3"].reference,
        data.problems["P8"].reference,
    }


def test_invalid_period_shows_an_error_summary_and_keeps_what_was_typed(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    params = {**report_params(data.eastgate), "start": "2026-06-30", "end": "2026-01-01"}
    response = client.get("/reports/impact/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end of the period must be on or after its start." in html
    assert 'value="2026-06-30"' in html
    assert response.context["report"] is None


def test_nonsense_dates_give_a_message_not_a_server_error(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    response = client.get("/reports/impact/", {**report_params(data.eastgate), "start": "2026-02-31"})
    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def test_officer_report_on_their_own_area_counts_what_they_may_see(client: Client, world: Any) -> None:
    data = impact_world(world)
    sign_in(client, world.users["officer"])
    response = client.get("/reports/impact/", report_params(data.eastgate))
    assert response.status_code == 200
    # The officer owns every problem here, P7 (restricted) included, so sees all five.
    assert response.context["report"].flow.opened == 5
    other = UserFactory(role="officer", organisation=world.force)
    data.problems["P2"].owner = other
    data.problems["P2"].save()
    data.problems["P7"].owner = other
    data.problems["P7"].save()
    # P7 is restricted and no longer theirs: it drops out; P2 is not restricted and stays.
    assert client.get("/reports/impact/", report_params(data.eastgate)).context["report"].flow.opened == 4


def test_a_report_over_an_area_with_no_neighbourhood_has_empty_stage_durations_not_an_error(world: Any) -> None:
    # A partnership working no neighbourhood: the scope's problems compile to "no rows" and the
    # stage durations' raw SQL raised EmptyResultSet, a server error on the page (found by the
    # disclosure canary test).
    import dataclasses

    from evaluation.selectors.impact_panels import stage_durations

    data = impact_world(world)
    scope = impact_scope_for(
        user=world.users["supervisor"], area=f"partnership-{data.partnership.pk}", start=START, end=END
    )
    empty = dataclasses.replace(scope, neighbourhood_ids=(), area_names=())
    assert [(duration.median_days, duration.stays) for duration in stage_durations(empty)] == [(None, 0)] * 4
