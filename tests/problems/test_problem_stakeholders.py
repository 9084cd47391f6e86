"""A problem's stakeholder map (issue 21): entries linked to organisations and contacts, the
triangle's controllers linked to entries, the gaps named, and partners on the map with a covering
agreement suggested for sharing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerships.models import PatController, SeldomHeardGroup
from problems.models import Controller, ProblemStakeholder, ShareAccess
from problems.selectors.stakeholders import problem_stakeholder_map
from problems.services.stakeholders import (
    STAKEHOLDER_CONTACT_ELSEWHERE,
    STAKEHOLDER_ORGANISATION_REQUIRED,
    problem_stakeholder_add,
)
from tests.conftest import sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_contacts import ContactFactory
from tests.problems.factories_referrals import partner_led_problem
from tests.problems.factories_sara import ControllerFactory
from tests.problems.factories_sharing import active_agreement, canary_problem, share

pytestmark = pytest.mark.django_db


def _add(world, problem, persona="officer", **fields):
    values = {"kind": "organisation", "influence": 4, "interest": 4}
    values.update(fields)
    return problem_stakeholder_add(actor=world.users[persona], problem=problem, **values)


def test_an_entry_links_an_organisation_a_contact_and_the_controllers_it_stands_for(world):
    problem = canary_problem(world)
    manager = ControllerFactory(problem=problem, kind=PatController.MANAGER, who="Landlord of the parade")
    contact = ContactFactory(organisation=world.partner, name="Ann Cleansing")
    entry = _add(world, problem, organisation=world.partner, contact=contact, controllers=[manager])
    assert entry.contact == contact
    assert Controller.objects.get(pk=manager.pk).stakeholder == entry


def test_an_entry_is_checked_and_nothing_is_saved_when_it_is_wrong(world):
    problem = canary_problem(world)
    elsewhere = ContactFactory(organisation=world.unrelated)
    with pytest.raises(ValidationError) as raised:
        _add(world, problem, organisation=None)
    assert raised.value.message_dict["organisation"] == [STAKEHOLDER_ORGANISATION_REQUIRED]
    with pytest.raises(ValidationError) as raised:
        _add(world, problem, organisation=world.partner, contact=elsewhere)
    assert raised.value.message_dict["contact"] == [
        STAKEHOLDER_CONTACT_ELSEWHERE.format(contact=elsewhere.name, theirs=world.unrelated, organisation=world.partner)
    ]
    assert not ProblemStakeholder.objects.exists()


def test_the_map_names_the_gaps(world):
    problem = canary_problem(world)
    manager = ControllerFactory(problem=problem, kind=PatController.MANAGER, who="Landlord of the parade")
    engaged_manager = ControllerFactory(problem=problem, kind=PatController.MANAGER, who="Council estates team")
    _add(world, problem, organisation=world.partner, engagement_status="involved", controllers=[engaged_manager])
    big = _add(world, problem, kind="named_role", name="Ward councillor", influence=5, engagement_status="not_engaged")
    young = SeldomHeardGroup.objects.filter(active=True).first()
    _add(world, problem, kind="community_group", name="Youth club", seldom_heard_group=young, influence=2)
    found = problem_stakeholder_map(user=world.users["officer"], problem=problem)
    assert found.managers_without_engaged_organisation == [manager]
    assert found.gaps.high_influence_not_engaged == [big]
    assert young not in found.gaps.seldom_heard_missing
    assert found.gaps.seldom_heard_missing


def test_partners_on_the_map_with_a_covering_agreement_are_suggested_for_sharing(world):
    problem = canary_problem(world)
    housing = OrganisationFactory(name="Northshire Homes")
    active_agreement(world.force, housing)
    _add(world, problem, organisation=housing)
    _add(world, problem, organisation=world.unrelated)
    found = problem_stakeholder_map(user=world.users["officer"], problem=problem, suggest=True)
    assert [s.organisation for s in found.suggestions] == [housing]
    share(world, problem, organisation=housing)
    found = problem_stakeholder_map(user=world.users["officer"], problem=problem, suggest=True)
    assert found.suggestions == []


def test_a_partner_sees_entries_only_as_its_share_discloses(world, client):
    problem = canary_problem(world)
    share(world, problem, access_level=ShareAccess.VIEW)
    _add(world, problem, kind="named_role", name="Licensee CANARY-stakeholder")
    sign_in(client, world.users["partner_member"])
    page = client.get(reverse("problem-stakeholders", kwargs={"pk": problem.pk})).content.decode()
    assert "CANARY-stakeholder" not in page
    assert "1 entry withheld" in page


def test_the_lead_agency_maps_its_problem_and_the_force_may_not(world, client):
    problem = partner_led_problem(world)
    with pytest.raises(PermissionDenied):
        _add(world, problem, persona="officer", organisation=world.partner)
    sign_in(client, world.users["partner_lead"])
    url = reverse("problem-stakeholder-create", kwargs={"pk": problem.pk})
    bad = client.post(url, {"kind": "organisation", "influence": "9", "interest": "3", "name": "Typed"})
    assert bad.status_code == 200
    assert "Typed" in bad.content.decode()
    assert not ProblemStakeholder.objects.exists()
    response = client.post(
        url,
        {
            "kind": "organisation",
            "organisation": world.partner.pk,
            "influence": "5",
            "interest": "5",
            "engagement_status": "collaborating",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("problem-stakeholders", kwargs={"pk": problem.pk})).content.decode()
    assert world.partner.name in page


def test_the_map_page_keeps_its_query_count_with_1_and_with_5_entries(world, client, django_assert_num_queries):
    problem = canary_problem(world)
    sign_in(client, world.users["officer"])
    url = reverse("problem-stakeholders", kwargs={"pk": problem.pk})

    def count(rows: int) -> None:
        while ProblemStakeholder.objects.count() < rows:
            entry = _add(world, problem, kind="named_role", name=f"Role {rows}", influence=2)
            ControllerFactory(problem=problem, stakeholder=entry)
        client.get(url)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the problem,
        # 5 the entries with organisations, contacts, groups and categories, 6 their controllers,
        # 7 the problem's controllers, 8 the active seldom-heard groups, 9 the partners the
        # problem is shared with in force (no partner on the map: no agreement is looked up).
        with django_assert_num_queries(9):
            response = client.get(url)
        assert len(response.context["map"].entries) == rows

    count(1)
    count(5)
