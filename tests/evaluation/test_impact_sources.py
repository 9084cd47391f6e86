"""The impact report's panels drawn from the other parts of the app (crime change, costs and
benefits, engagement and seldom-heard coverage, trust and confidence), against hand-counted data
added to the fixed data set of factories_impact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from evaluation.models import CrimeUnitCost
from evaluation.selectors.impact import impact_scope_for
from evaluation.selectors.impact_report import impact_chart_data, impact_report_build
from evaluation.services.survey_templates import TRUST_CONFIDENCE
from partnerships.models import SeldomHeardGroup
from tests.conftest import sign_in
from tests.engagement.factories import make_event
from tests.evaluation.factories_crime import design_for, record
from tests.evaluation.factories_impact import END, START, ImpactWorld, d, impact_world, report_params
from tests.evaluation.factories_surveys import add_response, make_survey

pytestmark = pytest.mark.django_db


def _crime(world: Any, data: ImpactWorld) -> None:
    """P2's response began March 2026 (in the period), two months either side, by LSOA:
    target E01000001 before 6 (Jan 3, Feb 3), after 3 (Mar 2, Apr 1); comparison E01000002
    before 10, after 8. Outside the window: December and May. P1's began October 2025 (before
    the period): not counted. Costs: 10 officer hours at £30, 5 partner hours at £20, £100."""
    supervisor = world.users["supervisor"]
    design_for(
        data.problems["P2"],
        actor=supervisor,
        response_start=d(2026, 3, 1),
        months_before=2,
        months_after=2,
        target_lsoa_codes="E01000001",
        comparison_lsoa_codes="E01000002",
        officer_hours=10,
        officer_hourly_cost=30,
        partner_hours=5,
        partner_hourly_cost=20,
        money_spent=100,
    )
    design_for(data.problems["P1"], actor=supervisor, response_start=d(2025, 10, 1), target_lsoa_codes="E01000001")
    for month, target, comparison in (
        (d(2025, 12, 1), 1, 0),
        (d(2026, 1, 1), 3, 5),
        (d(2026, 2, 1), 3, 5),
        (d(2026, 3, 1), 2, 4),
        (d(2026, 4, 1), 1, 4),
        (d(2026, 5, 1), 1, 0),
    ):
        for _ in range(target):
            record(month=month, latitude=None, longitude=None, lsoa_code="E01000001")
        for _ in range(comparison):
            record(month=month, latitude=None, longitude=None, lsoa_code="E01000002")
    CrimeUnitCost.objects.update_or_create(crime_type="Burglary", defaults={"cost": Decimal("1000.00")})


def _scope(user: Any, area: Any) -> Any:
    kind = "neighbourhood" if area.__class__.__name__ == "Neighbourhood" else "partnership"
    return impact_scope_for(user=user, area=f"{kind}-{area.pk}", start=START, end=END)


def test_crime_change_and_costs_over_problems_whose_response_started_in_the_period(world: Any) -> None:
    data = impact_world(world)
    _crime(world, data)
    sources = impact_report_build(_scope(world.users["supervisor"], data.eastgate)).sources

    crime = sources["crime"]
    assert (crime.problems, crime.target_before, crime.target_after) == (1, 6, 3)
    assert (crime.comparison_before, crime.comparison_after) == (10, 8)
    assert crime.target_change == -50.0
    assert crime.comparison_change == -20.0
    assert crime.relative_effect == pytest.approx(1.6)  # (6 x 8) / (3 x 10)

    costs = sources["costs"]
    assert costs.problems == 1
    assert costs.total_cost == Decimal("500.00")  # 300 + 100 + 100
    # Expected after = 6 x 8/10 = 4.8; prevented 4.8 - 3 = 1.8; x £1,000.
    assert costs.crimes_prevented == Decimal("1.80")
    assert costs.total_benefit == Decimal("1800.00")
    assert costs.net_benefit == Decimal("1300.00")


def test_engagement_events_attendees_and_seldom_heard_coverage(world: Any) -> None:
    data = impact_world(world)
    young = SeldomHeardGroup.objects.order_by("order").first()
    assert young is not None
    by = world.users["officer"]
    make_event(data.eastgate, by=by, held_on=d(2026, 2, 10), attendees=30, groups_represented=[young])
    make_event(data.eastgate, by=by, held_on=d(2026, 3, 10), attendees=20)
    make_event(data.eastgate, by=by, held_on=d(2026, 4, 10), kind="street_briefing")
    make_event(data.eastgate, by=by, held_on=d(2026, 8, 1), attendees=50)  # after the period
    make_event(data.westfield, by=by, held_on=d(2026, 3, 1), attendees=40)  # another area

    engagement = impact_report_build(_scope(world.users["supervisor"], data.eastgate)).sources["engagement"]
    assert [(k.kind, k.events, k.attendees) for k in engagement.by_kind] == [
        ("public_meeting", 2, 50),
        ("street_briefing", 1, 0),
    ]
    assert (engagement.events, engagement.attendees) == (3, 50)
    reached = {g.group: (g.reached_in, g.neighbourhoods) for g in engagement.coverage}
    assert reached[young.name] == (1, 1)
    assert engagement.groups_reached == 1


def test_trust_and_confidence_rounds_that_opened_in_the_period(world: Any) -> None:
    data = impact_world(world)
    supervisor = world.users["supervisor"]
    spring = make_survey(
        supervisor,
        title="Eastgate spring round",
        template=TRUST_CONFIDENCE,
        neighbourhood=data.eastgate,
        opens_on=d(2026, 3, 1),
        closes_on=d(2026, 3, 31),
    )
    make_survey(
        supervisor,
        title="Eastgate autumn round",
        template=TRUST_CONFIDENCE,
        neighbourhood=data.eastgate,
        opens_on=d(2026, 9, 1),
        closes_on=d(2026, 9, 30),
    )
    items = [q for q in spring.questions.all() if q.kind == "agreement" and q.item_key]
    # Three answers to every item: agree strongly, agree, disagree strongly -> net (2 - 1)/3 = 33.3.
    for value in (5, 4, 1):
        add_response(spring, dict.fromkeys(items, value))

    trust = impact_report_build(_scope(supervisor, data.eastgate)).sources["trust"]
    assert [(r.survey, r.responses, r.overall) for r in trust.rounds] == [("Eastgate spring round", 3, 33.3)]
    charts = impact_chart_data(impact_report_build(_scope(supervisor, data.eastgate)))
    assert charts["trust"]["datasets"][0]["data"] == [33.3]


def test_partner_lead_crime_panel_counts_shared_problems_only(world: Any) -> None:
    data = impact_world(world)
    _crime(world, data)
    # P2 is shared with the council; give P3 (not shared) a design in the period too.
    design_for(
        data.problems["P3"],
        actor=world.users["supervisor"],
        response_start=d(2026, 4, 1),
        target_lsoa_codes="E01000001",
    )
    police = impact_report_build(_scope(world.users["supervisor"], data.eastgate)).sources["crime"]
    partner = impact_report_build(_scope(world.users["partner_lead"], data.partnership)).sources["crime"]
    assert police.problems == 2
    assert partner.problems == 1


def test_report_page_and_csv_show_the_source_panels(client: Client, world: Any) -> None:
    data = impact_world(world)
    _crime(world, data)
    sign_in(client, world.users["supervisor"])
    page = client.get("/reports/impact/", report_params(data.eastgate)).content.decode()
    assert "Crime in problem areas" in page
    assert 'data-impact-chart="crime"' in page
    assert "£1800.00" in page
    csv_text = client.get("/reports/impact/csv/", report_params(data.eastgate)).content.decode()
    assert "crime,relative effect size,value,1.60" in csv_text
    assert "costs and benefits,net benefit,GBP,1300.00" in csv_text
