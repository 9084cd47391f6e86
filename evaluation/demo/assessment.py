"""Demo assessment: the worked example's before/after design (the parade against Riverside, with a
displacement buffer), the costs of its response and its EMMIE record, written through the services
by the demo analyst. Unit costs are left empty: no figure is made up (an analyst enters them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from evaluation.demo.crime import RESPONSE_MONTHS_AGO
from evaluation.models import EmmieAssessment, EmmieRating, EvaluationDesign
from evaluation.selectors.areas import add_months, month_start
from evaluation.services.assessment import emmie_save, evaluation_costs_save, evaluation_design_save
from problems.demo.worked_example import WORKED_EXAMPLE
from problems.models import Problem

ANALYST = "analyst@police.example"


def seed_records(*, stdout: Any) -> None:
    problem = Problem.objects.filter(title=WORKED_EXAMPLE).first()
    analyst = User.objects.filter(email=ANALYST).first()
    if problem is None or analyst is None:
        return
    if not EvaluationDesign.objects.filter(problem=problem).exists():
        evaluation_design_save(
            actor=analyst,
            problem=problem,
            response_start=add_months(month_start(timezone.localdate()), -RESPONSE_MONTHS_AGO),
            crime_types=["Anti-social behaviour", "Public order"],
            # Equal periods either side, so that the changes compare like with like.
            months_before=RESPONSE_MONTHS_AGO,
            months_after=RESPONSE_MONTHS_AGO,
            target_lsoa_codes="",
            comparison_lsoa_codes="E01099201\nE01099202",
            buffer_m=250,
            maryland_level=None,
            maryland_reason="",
        )
        evaluation_costs_save(
            actor=analyst,
            problem=problem,
            officer_hours=Decimal("120"),
            officer_hourly_cost=Decimal("0"),
            partner_hours=Decimal("60"),
            partner_hourly_cost=Decimal("0"),
            money_spent=Decimal("0"),
            costs_notes="Hours from the officers' and partners' diaries; hourly costs to be entered by finance.",
        )
    if not EmmieAssessment.objects.filter(problem=problem).exists():
        emmie_save(
            actor=analyst,
            problem=problem,
            effect="Anti-social behaviour and public order offences near the parade roughly halved against Riverside.",
            effect_rating=EmmieRating.MODERATE,
            mechanism="Removing cheap high-strength lager and moving the benches took away the reasons to gather.",
            mechanism_rating=EmmieRating.MODERATE,
            moderators="Depended on the licensee's agreement; outreach reached the street homeless drinkers.",
            moderators_rating=EmmieRating.LIMITED,
            implementation="Delivered as planned, except the second bench, removed a month late.",
            implementation_rating=EmmieRating.STRONG,
            economics="Officer and partner hours recorded; unit costs of crime not yet entered.",
            economics_rating=None,
        )
