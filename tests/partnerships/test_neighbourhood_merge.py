"""Merging a neighbourhood into another (a typed name made "to review" by the problems migration is
usually an area already on the list): every record that points at it moves, its LSOA codes join,
it is deactivated, and the audit log says what moved. Administrators do it from the admin's
neighbourhood list; the list shows and filters the neighbourhoods to review."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from engagement.models import CommunityPriority, EngagementEvent, SafetyPlan
from evaluation.models import Survey
from partnerships.admin import MERGE_ONE_FORCE, MERGE_TARGET_REQUIRED
from partnerships.models import Neighbourhood
from partnerships.services.neighbourhoods import (
    MERGE_INTO_ITSELF,
    MERGE_OTHER_FORCE,
    MERGE_TARGET_INACTIVE,
    neighbourhood_merge,
)
from problems.models import Problem
from tests.conftest import World, sign_in
from tests.engagement.factories import make_event, make_plan, make_priority
from tests.evaluation.factories_surveys import make_survey
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _areas(world: World) -> tuple[Neighbourhood, Neighbourhood]:
    city = NeighbourhoodFactory(name="City Centre", organisation=world.force, lsoa_codes="E01000001\nE01000002")
    typed = NeighbourhoodFactory(
        name="Cardiff city centre", organisation=world.force, needs_review=True, lsoa_codes="E01000002\nE01000009"
    )
    return city, typed


def test_merging_moves_every_record_joins_the_lsoa_codes_and_deactivates_the_merged_one(world: World) -> None:
    city, typed = _areas(world)
    problems = [ProblemFactory(force=world.force, neighbourhood=typed) for _ in range(2)]
    kept = ProblemFactory(force=world.force, neighbourhood=city)
    event, priority, plan = make_event(typed), make_priority(typed), make_plan(typed)
    survey = make_survey(world.users["supervisor"], neighbourhood=typed, publish=False)

    moved = neighbourhood_merge(actor=world.users["administrator"], source=typed, target=city)

    assert moved["problems.problem"] == 2
    assert set(Problem.objects.filter(neighbourhood=city).values_list("pk", flat=True)) == {
        kept.pk,
        *(p.pk for p in problems),
    }
    assert EngagementEvent.objects.get(pk=event.pk).neighbourhood_id == city.pk
    assert CommunityPriority.objects.get(pk=priority.pk).neighbourhood_id == city.pk
    assert SafetyPlan.objects.get(pk=plan.pk).neighbourhood_id == city.pk
    assert Survey.objects.get(pk=survey.pk).neighbourhood_id == city.pk
    typed.refresh_from_db()
    city.refresh_from_db()
    assert (typed.active, typed.needs_review) == (False, False)
    assert city.lsoa_code_list == ["E01000001", "E01000002", "E01000009"]
    merged = AuditEvent.objects.get(verb="partnerships.neighbourhood.merged")
    assert (merged.target_id, merged.actor) == (str(typed.pk), world.users["administrator"])
    assert merged.detail["into"] == {"id": city.pk, "name": "City Centre"}
    assert merged.detail["moved"]["problems.problem"] == 2
    assert merged.detail["lsoa_codes_added"] == ["E01000009"]
    # Each moved problem's own history says why its area changed.
    each = AuditEvent.objects.filter(verb="partnerships.neighbourhood.record_moved", target_type="problems.problem")
    assert {e.target_id for e in each} == {str(p.pk) for p in problems}
    assert each.first().detail == {"neighbourhood": {"before": typed.pk, "after": city.pk}}  # type: ignore[union-attr]


@pytest.mark.parametrize("case", ["itself", "other_force", "inactive_target"])
def test_a_merge_that_cannot_be_is_refused_with_a_message_and_changes_nothing(world: World, case: str) -> None:
    city, typed = _areas(world)
    problem = ProblemFactory(force=world.force, neighbourhood=typed)
    if case == "itself":
        target, message = typed, MERGE_INTO_ITSELF.format(name=typed.name)
    elif case == "other_force":
        target = NeighbourhoodFactory(name="City Centre", organisation=PoliceForceFactory(name="Southshire Police"))
        message = MERGE_OTHER_FORCE.format(name=typed.name, target="City Centre")
    else:
        city.active = False
        city.save()
        target, message = city, MERGE_TARGET_INACTIVE.format(target="City Centre")

    with pytest.raises(ValidationError) as excinfo:
        neighbourhood_merge(actor=world.users["administrator"], source=typed, target=target)

    assert excinfo.value.messages == [message]
    problem.refresh_from_db()
    typed.refresh_from_db()
    assert (problem.neighbourhood_id, typed.active, typed.needs_review) == (typed.pk, True, True)
    assert not AuditEvent.objects.filter(verb__startswith="partnerships.neighbourhood.").exists()


def test_the_admin_list_shows_and_filters_the_neighbourhoods_to_review(world: World) -> None:
    _areas(world)
    client = sign_in(Client(), world.users["administrator"])
    response = client.get(reverse("admin:partnerships_neighbourhood_changelist"), {"needs_review__exact": "1"})
    assert response.status_code == 200
    assert [n.name for n in response.context["cl"].result_list] == ["Cardiff city centre"]
    assert "To review" in response.text


def test_administrator_merges_from_the_list_after_choosing_the_neighbourhood(world: World) -> None:
    city, typed = _areas(world)
    problem = ProblemFactory(force=world.force, neighbourhood=typed)
    client = sign_in(Client(), world.users["administrator"])
    url = reverse("admin:partnerships_neighbourhood_changelist")
    chosen = {"action": "merge_into_another", "_selected_action": [str(typed.pk)]}

    page = client.post(url, chosen)
    assert page.status_code == 200
    assert list(page.context["form"].fields["into"].queryset) == [city]
    unchosen = client.post(url, {**chosen, "confirm": "yes", "into": ""})
    assert "There is a problem" in unchosen.text
    assert MERGE_TARGET_REQUIRED in unchosen.text
    problem.refresh_from_db()
    assert problem.neighbourhood_id == typed.pk

    done = client.post(url, {**chosen, "confirm": "yes", "into": str(city.pk)}, follow=True)

    assert "Merged Cardiff city centre into City Centre: 1 problem record(s)." in done.text
    problem.refresh_from_db()
    assert problem.neighbourhood_id == city.pk
    assert AuditEvent.objects.get(verb="partnerships.neighbourhood.merged").actor == world.users["administrator"]


def test_neighbourhoods_of_two_forces_are_not_merged_together(world: World) -> None:
    _, typed = _areas(world)
    theirs = NeighbourhoodFactory(organisation=PoliceForceFactory(name="Southshire Police"))
    client = sign_in(Client(), world.users["administrator"])
    response = client.post(
        reverse("admin:partnerships_neighbourhood_changelist"),
        {"action": "merge_into_another", "_selected_action": [str(typed.pk), str(theirs.pk)]},
        follow=True,
    )
    assert MERGE_ONE_FORCE in response.text
    assert Neighbourhood.objects.filter(active=True).count() == 3


def test_a_second_neighbourhood_of_the_same_name_in_a_force_is_refused_in_the_admin(world: World) -> None:
    _areas(world)
    client = sign_in(Client(), world.users["administrator"])
    response = client.post(
        reverse("admin:partnerships_neighbourhood_add"),
        {"name": "CITY CENTRE", "slug": "city-centre-again", "organisation": str(world.force.pk), "active": "on"},
    )
    assert response.status_code == 200
    assert "The force already has a neighbourhood with this name." in response.text
    assert Neighbourhood.objects.count() == 2
