"""The engagement demo: events over the last twelve months in three neighbourhoods with coverage
gaps, priorities in every status (one turned into a problem), one co-produced safety plan;
running it again adds nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from engagement.coverage import engagement_reach
from engagement.models import CommunityPriority, EngagementEvent, PriorityStatus, SafetyPlan
from engagement.selectors.coverage import coverage_grid, default_period
from partnerships.models import Neighbourhood, SeldomHeardGroup

pytestmark = pytest.mark.django_db


def test_demo_engagement_has_gaps_every_status_and_a_co_produced_plan_and_is_idempotent() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    counts = (EngagementEvent.objects.count(), CommunityPriority.objects.count(), SafetyPlan.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert (EngagementEvent.objects.count(), CommunityPriority.objects.count(), SafetyPlan.objects.count()) == counts

    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    assert not EngagementEvent.objects.filter(held_on__lt=year_ago).exists()
    assert set(EngagementEvent.objects.values_list("neighbourhood__name", flat=True)) == {
        "Eastgate",
        "Riverside",
        "Northfield",
    }
    assert set(CommunityPriority.objects.values_list("status", flat=True)) == set(PriorityStatus.values)
    assert CommunityPriority.objects.filter(problems__isnull=False).count() == 1

    # The deliberate gaps of the demo's engagement: two groups no event reached anywhere, and
    # Northfield reaching only older people and business owners.
    start, end = default_period()
    reached = set(engagement_reach(list(Neighbourhood.objects.values_list("pk", flat=True)), start, end))
    reached_groups = set(SeldomHeardGroup.objects.filter(pk__in={g for _, g in reached}).values_list("name", flat=True))
    assert not reached_groups & {"LGBTQ+ people", "Gypsy, Roma and Traveller communities"}
    northfield = Neighbourhood.objects.get(name="Northfield")
    northfield_groups = {g for n, g in reached if n == northfield.pk}
    assert set(SeldomHeardGroup.objects.filter(pk__in=northfield_groups).values_list("name", flat=True)) == {
        "Older people",
        "Business owners",
    }
    # Whatever other sources (surveys) reach, the supervisor's grid still shows gaps.
    grid = coverage_grid(user=User.objects.get(email="supervisor@police.example"))
    assert grid.rows_with_gaps

    plan = SafetyPlan.objects.get()
    assert {c.party for c in plan.contributions.all()} >= {"residents", "partner"}
    assert {a.party for a in plan.actions.all()} == {"residents", "partner", "police"}


def test_the_demo_puts_its_events_and_problems_on_the_maps() -> None:
    # The maps (issue 22) show something in the demo: every demo event and every problem of the
    # demo's list (problems.demo.problems; the one opened from a community priority has no place,
    # as such a problem would not) has a place, within a few kilometres of the demo crime data.
    from problems.demo.problems import DEMO_PROBLEMS
    from problems.models import Problem

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert EngagementEvent.objects.exists()
    assert not EngagementEvent.objects.filter(latitude__isnull=True).exists()
    listed = Problem.objects.filter(title__in=[row[0] for row in DEMO_PROBLEMS])
    assert listed.count() == len(DEMO_PROBLEMS) > 10
    assert not listed.filter(latitude__isnull=True).exists()
    for place in (*EngagementEvent.objects.all(), *listed):
        assert 52.10 < float(place.latitude) < 52.22, place
        assert -1.28 < float(place.longitude) < -1.18, place
