"""Co-produced safety plans: co-production is shown, not claimed. A plan is marked co-produced only
when residents and partners both contributed and both own actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from engagement.models import Party, PlanAction, PlanContribution, SafetyPlan
from engagement.services.plans import (
    POLICE_ORGANISATION_INVALID,
    RESIDENTS_NAME_REQUIRED,
    plan_action_add,
    plan_contribution_add,
    plan_create,
)
from tests.conftest import World, sign_in
from tests.engagement.factories import make_event, make_plan, neighbourhood_for

pytestmark = pytest.mark.django_db


def test_officer_starts_a_plan_as_a_draft_with_an_audit_event(world: World) -> None:
    plan = plan_create(
        actor=world.users["officer"],
        neighbourhood=neighbourhood_for(world),
        title="Parade plan",
        aims="Safer evenings.",
    )
    assert plan.status == "draft"
    assert AuditEvent.objects.filter(verb="engagement.safety_plan.created", target_id=str(plan.pk)).exists()


def test_plan_is_co_produced_only_when_residents_and_partners_contributed_and_own_actions(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    officer = world.users["officer"]
    client = sign_in(Client(), officer)
    url = reverse("plan-detail", kwargs={"pk": plan.pk})

    plan_contribution_add(
        actor=officer, plan=plan, party=Party.RESIDENTS, name="Mill Lane residents", contribution="Mapped hot spots."
    )
    plan_action_add(actor=officer, plan=plan, party=Party.POLICE, organisation=world.force, description="Patrols.")
    assert not client.get(url).context["co_produced"]

    plan_contribution_add(
        actor=officer, plan=plan, party=Party.PARTNER, organisation=world.partner, contribution="Lighting survey."
    )
    plan_action_add(actor=officer, plan=plan, party=Party.RESIDENTS, name="Street watch", description="Walkabouts.")
    assert not client.get(url).context["co_produced"]

    plan_action_add(actor=officer, plan=plan, party=Party.PARTNER, organisation=world.partner, description="Lights.")
    response = client.get(url)
    assert response.context["co_produced"]
    assert "data-co-produced" in response.content.decode()


def test_contribution_rules_name_residents_and_the_right_police_force(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    with pytest.raises(ValidationError) as error:
        plan_contribution_add(actor=world.users["officer"], plan=plan, party=Party.RESIDENTS, contribution="Ideas.")
    assert error.value.message_dict["name"] == [RESIDENTS_NAME_REQUIRED]
    with pytest.raises(ValidationError) as error:
        plan_action_add(
            actor=world.users["officer"], plan=plan, party=Party.POLICE, organisation=world.partner, description="X."
        )
    assert error.value.message_dict["organisation"] == [POLICE_ORGANISATION_INVALID]
    assert not PlanContribution.objects.exists()
    assert not PlanAction.objects.exists()


def test_partner_reader_cannot_add_to_a_plan(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    with pytest.raises(PermissionDenied):
        plan_contribution_add(
            actor=world.users["partner_lead"], plan=plan, party=Party.RESIDENTS, name="Us", contribution="Ideas."
        )
    response = sign_in(Client(), world.users["partner_lead"]).post(
        reverse("plan-contribution-add", kwargs={"pk": plan.pk}), {"party": "residents", "name": "Us"}
    )
    assert response.status_code == 403
    assert not PlanContribution.objects.exists()


def test_contribution_form_missing_text_shows_the_error_and_keeps_the_name(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("plan-contribution-add", kwargs={"pk": plan.pk}),
        {"party": "residents", "name": "Mill Lane residents", "contribution": "", "contributed_on": "2026-11-01"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-error-summary" in text
    assert 'value="Mill Lane residents"' in text
    assert not PlanContribution.objects.exists()


def test_plan_form_view_creates_and_edits_a_plan(world: World) -> None:
    eastgate = neighbourhood_for(world)
    client = sign_in(Client(), world.users["supervisor"])
    response = client.post(reverse("plan-create"), {"neighbourhood": eastgate.pk, "title": "Plan", "aims": "Aims."})
    plan = SafetyPlan.objects.get()
    assert response["Location"] == reverse("plan-detail", kwargs={"pk": plan.pk})
    response = client.post(
        reverse("plan-edit", kwargs={"pk": plan.pk}), {"title": "Plan", "aims": "Aims.", "status": "agreed"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "agreed"
    assert AuditEvent.objects.get(verb="engagement.safety_plan.updated").detail["status"] == {
        "before": "draft",
        "after": "agreed",
    }


def test_plan_list_keeps_the_same_query_count_with_1_and_with_5_plans(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    client = sign_in(Client(), world.users["analyst"])

    def count(rows: int) -> None:
        while SafetyPlan.objects.count() < rows:
            plan = make_plan(eastgate, by=world.users["officer"])
            plan_action_add(actor=world.users["officer"], plan=plan, party="residents", name="Us", description="X.")
        # 1 the session, 2 the user, 3 the OTP device, 4 the page count, 5 the page of plans with
        # their neighbourhoods and counts, 6 the neighbourhoods for the filter.
        with django_assert_num_queries(6):
            response = client.get(reverse("plan-list"))
        assert len(response.context["page"]) == rows

    count(1)
    count(5)


def test_plan_page_keeps_the_same_query_count_with_1_and_with_5_contributions(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    plan = make_plan(eastgate, by=world.users["officer"])
    client = sign_in(Client(), world.users["partner_member"])

    def count(rows: int) -> None:
        while plan.contributions.count() < rows:
            plan_contribution_add(
                actor=world.users["officer"],
                plan=plan,
                party="partner",
                organisation=world.partner,
                contribution="X.",
                event=make_event(eastgate, by=world.users["officer"]),
            )
            plan_action_add(
                actor=world.users["officer"], plan=plan, party="partner", organisation=world.partner, description="Y."
            )
        # 1 the session, 2 the user, 3 the OTP device, 4 the plan with its neighbourhood, 5 its
        # contributions, 6 their organisations, 7 their events, 8 its actions, 9 their organisations.
        with django_assert_num_queries(9):
            response = client.get(reverse("plan-detail", kwargs={"pk": plan.pk}))
        assert len(response.context["plan"].contributions.all()) == rows

    count(1)
    count(5)


def test_action_form_adds_an_action_owned_by_a_partner(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("plan-action-add", kwargs={"pk": plan.pk}),
        {"party": "partner", "organisation": world.partner.pk, "description": "Fix the lights.", "due_on": ""},
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.party, action.organisation, action.description) == ("partner", world.partner, "Fix the lights.")
    assert AuditEvent.objects.filter(verb="engagement.safety_plan.action_added").exists()


def test_action_form_for_a_partner_without_an_organisation_shows_the_error_and_adds_nothing(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("plan-action-add", kwargs={"pk": plan.pk}), {"party": "partner", "description": "Fix the lights."}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-error-summary" in text
    assert "Fix the lights." in text
    assert not PlanAction.objects.exists()
