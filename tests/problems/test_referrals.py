"""Partner referrals (issue 21): a partner proposes a problem to a force or a partnership; the
receiving supervisor accepts it (a problem linked to it, shared with the referrer and optionally
led by it) or declines it with a reason the partner sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent, Notification
from partnerships.models import DataCategory
from problems.models import Problem, ProblemCategory, ProblemShare, ProblemSource, Referral, ReferralStatus, ShareAccess
from problems.selectors.access import can_edit_problem_sections
from problems.selectors.referrals import CANNOT_DECIDE_REFERRAL
from problems.services.referrals import (
    DECLINE_REASON_REQUIRED,
    REFERRAL_NOT_MEMBER,
    REFERRAL_NOT_PARTNER,
    REFERRAL_RECIPIENT_REQUIRED,
    REFERRAL_TEXT_REQUIRED,
    referral_accept,
    referral_create,
    referral_decline,
)
from tests.conftest import sign_in
from tests.partnerships.factories_partnerships import make_partnership
from tests.problems.factories import force_neighbourhood
from tests.problems.factories_referrals import referral
from tests.problems.factories_sharing import active_agreement

pytestmark = pytest.mark.django_db


def _accept_data(world, **overrides):
    data = {
        "category": ProblemCategory.objects.get(code="asb").pk,
        "neighbourhood": force_neighbourhood(world.force).pk,
        "risk_level": "medium",
        "data_categories": [DataCategory.objects.get(code="asb-reports").pk],
        "partner_leads": "on",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------------


def test_a_partner_member_refers_a_problem_to_the_force_and_its_supervisors_are_told(world):
    made = referral(world)
    assert made.referring_organisation == world.partner
    assert made.status == ReferralStatus.PENDING
    assert AuditEvent.objects.filter(verb="problems.referral.created").count() == 1
    told = set(Notification.objects.filter(kind="problems.referral").values_list("recipient_id", flat=True))
    assert told == {world.users["supervisor"].pk}


def test_police_users_cannot_refer(world):
    with pytest.raises(PermissionDenied, match=REFERRAL_NOT_PARTNER):
        referral(world, by="officer")


def test_a_referral_needs_what_where_why_and_evidence_and_one_recipient(world):
    with pytest.raises(ValidationError) as raised:
        referral_create(
            actor=world.users["partner_member"],
            force=world.force,
            partnership=make_partnership(members=[world.partner]),
            title=" ",
            location="",
            why_now="",
            evidence="",
        )
    errors = raised.value.message_dict
    assert errors["force"] == [REFERRAL_RECIPIENT_REQUIRED]
    assert errors["title"] == [REFERRAL_TEXT_REQUIRED["title"]]
    assert errors["evidence"] == [REFERRAL_TEXT_REQUIRED["evidence"]]
    assert not Referral.objects.exists()


def test_a_referral_to_a_partnership_needs_the_organisation_to_be_a_member(world):
    other = make_partnership(members=[world.force])
    with pytest.raises(ValidationError) as raised:
        referral(world, partnership=other)
    assert raised.value.message_dict["partnership"] == [REFERRAL_NOT_MEMBER.format(partnership=other.name)]


def test_a_supervisor_of_a_member_force_accepts_a_referral_to_the_partnership(world):
    partnership = make_partnership(members=[world.force, world.partner])
    active_agreement(world.force, world.partner)
    made = referral(world, partnership=partnership)
    problem = referral_accept(
        actor=world.users["supervisor"],
        referral=made,
        category=ProblemCategory.objects.get(code="asb"),
        neighbourhood=force_neighbourhood(world.force),
        risk_level="medium",
        data_categories=[DataCategory.objects.get(code="asb-reports")],
    )
    assert problem.owning_organisation == world.force
    assert problem.lead_organisation is None


def test_accepting_logs_a_linked_problem_shared_with_the_referrer_and_led_by_it(world):
    active_agreement(world.force, world.partner)
    made = referral(world)
    problem = referral_accept(
        actor=world.users["supervisor"],
        referral=made,
        category=ProblemCategory.objects.get(code="asb"),
        neighbourhood=force_neighbourhood(world.force),
        risk_level="medium",
        data_categories=[DataCategory.objects.get(code="asb-reports")],
        partner_leads=True,
    )
    made.refresh_from_db()
    assert made.status == ReferralStatus.ACCEPTED
    assert made.problem == problem
    assert problem.source == ProblemSource.PARTNER_REFERRAL
    assert problem.title == made.title
    assert problem.address == made.location
    assert problem.lead_organisation == world.partner
    share = ProblemShare.objects.get(problem=problem)
    assert (share.organisation, share.access_level) == (world.partner, ShareAccess.CONTRIBUTE)
    assert can_edit_problem_sections(world.users["partner_member"], problem)
    assert not can_edit_problem_sections(world.users["officer"], problem)
    told = Notification.objects.filter(kind="problems.referral", recipient=world.users["partner_member"])
    assert told.filter(title__contains=problem.reference).exists()


def test_accepting_without_a_covering_agreement_creates_nothing(world):
    made = referral(world)
    with pytest.raises(ValidationError) as raised:
        referral_accept(
            actor=world.users["supervisor"],
            referral=made,
            category=ProblemCategory.objects.get(code="asb"),
            neighbourhood=force_neighbourhood(world.force),
            risk_level="medium",
            data_categories=[DataCategory.objects.get(code="asb-reports")],
        )
    assert "data_categories" in raised.value.message_dict
    assert not Problem.objects.exists()
    made.refresh_from_db()
    assert made.status == ReferralStatus.PENDING


def test_only_a_supervisor_of_the_receiving_force_decides(world):
    made = referral(world)
    with pytest.raises(PermissionDenied, match=CANNOT_DECIDE_REFERRAL):
        referral_decline(actor=world.users["officer"], referral=made, reason="Not ours")


def test_declining_needs_a_reason_which_the_partner_sees(world, client):
    made = referral(world)
    with pytest.raises(ValidationError) as raised:
        referral_decline(actor=world.users["supervisor"], referral=made, reason=" ")
    assert raised.value.message_dict["reason"] == [DECLINE_REASON_REQUIRED]
    referral_decline(actor=world.users["supervisor"], referral=made, reason="A council matter: report it to cleansing.")
    sign_in(client, world.users["partner_member"])
    page = client.get(reverse("referral-detail", kwargs={"pk": made.pk})).content.decode()
    assert "Declined" in page
    assert "A council matter: report it to cleansing." in page
    home = client.get(reverse("home")).content.decode()
    assert made.title in home
    assert "Declined" in home


def test_a_decided_referral_cannot_be_decided_again(world):
    made = referral(world)
    referral_decline(actor=world.users["supervisor"], referral=made, reason="Duplicate")
    with pytest.raises(ValidationError):
        referral_decline(actor=world.users["supervisor"], referral=made, reason="Again")


# --- views ------------------------------------------------------------------------------------


def test_a_partner_refers_from_the_form(world, client):
    sign_in(client, world.users["partner_member"])
    response = client.post(
        reverse("referral-create"),
        {
            "force": world.force.pk,
            "title": "Fly-tipping on Mill Lane",
            "location": "Mill Lane",
            "why_now": "Getting worse",
            "evidence": "Cleansing logs",
        },
    )
    made = Referral.objects.get()
    assert response["Location"] == reverse("referral-detail", kwargs={"pk": made.pk})
    listing = client.get(reverse("referral-list")).content.decode()
    assert "Fly-tipping on Mill Lane" in listing


def test_an_invalid_referral_shows_the_errors_keeps_what_was_typed_and_saves_nothing(world, client):
    sign_in(client, world.users["partner_member"])
    response = client.post(reverse("referral-create"), {"title": "Fly-tipping on Mill Lane"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page or "There is a problem" in page
    assert REFERRAL_RECIPIENT_REQUIRED in page
    assert "Fly-tipping on Mill Lane" in page
    assert not Referral.objects.exists()


def test_the_supervisor_accepts_from_the_form_and_lands_on_the_problem(world, client):
    active_agreement(world.force, world.partner)
    made = referral(world)
    sign_in(client, world.users["supervisor"])
    response = client.post(reverse("referral-accept", kwargs={"pk": made.pk}), _accept_data(world))
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problem-detail", kwargs={"pk": problem.pk})
    page = client.get(response["Location"]).content.decode()
    assert f"{world.partner.name} leads this problem" in page


def test_accepting_from_the_form_without_an_agreement_shows_why_and_changes_nothing(world, client):
    made = referral(world)
    sign_in(client, world.users["supervisor"])
    response = client.post(reverse("referral-accept", kwargs={"pk": made.pk}), _accept_data(world))
    assert response.status_code == 200
    assert "agreement" in response.content.decode().lower()
    assert not Problem.objects.exists()


def test_the_supervisor_declines_from_the_form(world, client):
    made = referral(world)
    sign_in(client, world.users["supervisor"])
    empty = client.post(reverse("referral-decline", kwargs={"pk": made.pk}), {"reason": ""})
    assert DECLINE_REASON_REQUIRED in empty.content.decode()
    response = client.post(reverse("referral-decline", kwargs={"pk": made.pk}), {"reason": "Not a police matter"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == ReferralStatus.DECLINED


def test_the_referral_list_takes_one_query_for_1_and_for_5_rows(world, client, django_assert_num_queries):
    sign_in(client, world.users["partner_member"])
    url = reverse("referral-list")

    def count(rows: int) -> None:
        while Referral.objects.count() < rows:
            referral(world)
        client.get(url)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the referrals
        # with their organisations, recipients, problems and people.
        with django_assert_num_queries(4):
            response = client.get(url)
        assert len(response.context["referrals"]) == rows

    count(1)
    count(5)
