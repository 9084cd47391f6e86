"""A partner as a problem's lead agency (issue 21, DESIGN.md section 4): the lead agency's users
work the problem as a force's officers do; the force keeps the record and contributes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from problems.models import ShareAccess
from problems.selectors import access
from problems.services.lead_agency import LEAD_AGENCY_NEEDS_SHARE, problem_set_lead_agency
from problems.services.sharing import share_revoke
from tests.conftest import sign_in
from tests.problems.factories_referrals import partner_led_problem
from tests.problems.factories_sharing import canary_problem, share

pytestmark = pytest.mark.django_db


def test_the_lead_agency_works_the_problem_and_the_force_contributes(world):
    problem = partner_led_problem(world)
    for persona in ("partner_member", "partner_lead"):
        user = world.users[persona]
        assert access.can_edit_problem_sections(user, problem)
        assert access.can_record_decision(user, problem)
        assert access.can_review_problem(user, problem)
        assert access.can_contribute_to_problem(user, problem)
        assert not access.can_change_problem(user, problem)
        assert not access.can_sign_off_problem(user, problem)
    for persona in ("officer", "supervisor"):
        user = world.users[persona]
        assert not access.can_edit_problem_sections(user, problem)
        assert not access.can_record_decision(user, problem)
        assert not access.can_review_problem(user, problem)
        assert access.can_contribute_to_problem(user, problem)
        assert access.can_change_problem(user, problem)
    assert access.can_sign_off_problem(world.users["supervisor"], problem)
    assert not access.problems_visible_to(world.users["unrelated_partner"]).filter(pk=problem.pk).exists()


def test_a_partner_cannot_lead_without_a_contribute_share(world):
    problem = canary_problem(world)
    share(world, problem, access_level=ShareAccess.VIEW)
    with pytest.raises(ValidationError) as raised:
        problem_set_lead_agency(actor=world.users["supervisor"], problem=problem, organisation=world.partner)
    assert raised.value.message_dict["organisation"] == [LEAD_AGENCY_NEEDS_SHARE.format(organisation=world.partner)]


def test_the_lead_agency_loses_its_rights_when_the_share_ends(world):
    problem = partner_led_problem(world)
    shared = problem.shares.get()
    share_revoke(actor=world.users["supervisor"], share=shared, reason="Agreement under review")
    assert not access.can_edit_problem_sections(world.users["partner_member"], problem)
    # Nobody edits a problem whose lead agency lost its share, until the force takes it back.
    problem_set_lead_agency(actor=world.users["supervisor"], problem=problem, organisation=None)
    problem.refresh_from_db()
    assert access.can_edit_problem_sections(world.users["officer"], problem)


def test_only_the_force_names_the_lead_agency(world):
    problem = partner_led_problem(world)
    with pytest.raises(PermissionDenied):
        problem_set_lead_agency(actor=world.users["partner_lead"], problem=problem, organisation=None)


def test_the_lead_agency_page_names_the_partner(world, client):
    problem = canary_problem(world)
    share(world, problem, access_level=ShareAccess.CONTRIBUTE)
    sign_in(client, world.users["officer"])
    url = reverse("problem-lead-agency", kwargs={"pk": problem.pk})
    assert world.partner.name in client.get(url).content.decode()
    response = client.post(url, {"organisation": world.partner.pk})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.lead_organisation == world.partner


def test_an_invalid_lead_agency_choice_shows_an_error_and_changes_nothing(world, client):
    problem = canary_problem(world)
    sign_in(client, world.users["officer"])
    response = client.post(
        reverse("problem-lead-agency", kwargs={"pk": problem.pk}), {"organisation": world.partner.pk}
    )
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.lead_organisation is None


def test_the_lead_agency_records_a_decision_and_a_review(world, client):
    problem = partner_led_problem(world)
    sign_in(client, world.users["partner_member"])
    assert client.get(reverse("decision-create", kwargs={"pk": problem.pk})).status_code == 200
    response = client.post(
        reverse("problem-review", kwargs={"pk": problem.pk}), {"notes": "Cleansing crews doubled this month."}
    )
    assert response.status_code == 302
    assert problem.reviews.get().reviewed_by == world.users["partner_member"]
