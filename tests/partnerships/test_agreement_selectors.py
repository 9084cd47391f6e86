"""Agreement reads: who sees which agreements, the register's filters and query count, and the
coverage selector that the sharing of problems relies on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from partnerships.models import Agreement, AgreementStatus, DataCategory
from partnerships.selectors import agreements as selectors
from partnerships.services import agreements as services
from tests.conftest import World
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_agreements import category, complete_agreement

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- visibility -----------------------------------------------------------------------------------


def test_police_and_administrators_see_every_agreement_partners_only_their_own(world: World) -> None:
    ours = complete_agreement(parties=[world.force, world.partner])
    theirs = complete_agreement(parties=[world.force, world.unrelated])
    for persona in ("officer", "supervisor", "analyst", "administrator"):
        assert set(selectors.agreement_list_visible_to(user=world.users[persona])) == {ours, theirs}, persona
    for persona in ("partner_member", "partner_lead"):
        assert list(selectors.agreement_list_visible_to(user=world.users[persona])) == [ours], persona
    assert list(selectors.agreement_list_visible_to(user=world.users["unrelated_partner"])) == [theirs]


def test_outsider_gets_404_and_viewer_gets_403_on_change(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    with pytest.raises(Http404):
        selectors.agreement_get_for_user(user=world.users["unrelated_partner"], pk=agreement.pk)
    with pytest.raises(PermissionDenied):
        selectors.agreement_get_for_user(user=world.users["partner_lead"], pk=agreement.pk, action="change")
    with pytest.raises(PermissionDenied):
        selectors.agreement_get_for_user(user=world.users["administrator"], pk=agreement.pk, action="change")
    assert selectors.agreement_get_for_user(user=world.users["supervisor"], pk=agreement.pk, action="change")
    with pytest.raises(Http404):
        selectors.agreement_get_for_user(user=world.users["supervisor"], pk="not-a-number")


def test_a_lead_of_a_non_party_organisation_cannot_reach_a_party_to_sign(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    with pytest.raises(Http404):
        selectors.agreement_party_get_for_user(user=world.users["unrelated_partner"], pk=party.pk, action="sign")
    with pytest.raises(PermissionDenied):
        selectors.agreement_party_get_for_user(user=world.users["partner_member"], pk=party.pk, action="sign")
    assert selectors.agreement_party_get_for_user(user=world.users["partner_lead"], pk=party.pk, action="sign")


# --- the register -------------------------------------------------------------------------------


def test_register_filters_by_status_party_and_review_window(world: World) -> None:
    today = timezone.localdate()
    due = complete_agreement(
        parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, review_date=today + 10 * DAY
    )
    overdue = complete_agreement(
        parties=[world.force, world.unrelated], status=AgreementStatus.UNDER_REVIEW, review_date=today - DAY
    )
    later = complete_agreement(
        parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, review_date=today + 90 * DAY
    )
    draft = complete_agreement(parties=[world.force, world.partner], review_date=today + 5 * DAY)
    supervisor = world.users["supervisor"]

    def listed(**filters: object) -> set[int]:
        return {a.pk for a in selectors.agreement_list_visible_to(user=supervisor, **filters)}

    assert listed(status=AgreementStatus.DRAFT) == {draft.pk}
    assert listed(party=world.unrelated) == {overdue.pk}
    assert listed(review_within_days=30) == {due.pk, overdue.pk}
    assert listed(review_within_days=90) == {due.pk, overdue.pk, later.pk}
    assert listed(review_within_days=30, party=world.partner) == {due.pk}


def test_register_query_count_is_the_same_for_one_and_five_rows(world: World, django_assert_num_queries: Any) -> None:
    # 1. the agreements; 2. their parties with organisations (one JOIN); 3. their data categories.
    user = world.users["partner_lead"]
    complete_agreement(parties=[world.force, world.partner])
    with django_assert_num_queries(3):
        rows = list(selectors.agreement_list_visible_to(user=user))
        names = [p.organisation.name for a in rows for p in a.parties.all()]
        codes = [c.code for a in rows for c in a.data_categories.all()]
    assert len(rows) == 1
    for _ in range(4):
        complete_agreement(
            parties=[world.force, world.partner, OrganisationFactory()],
            categories=[category("asb-reports"), category("health")],
        )
    with django_assert_num_queries(3):
        rows = list(selectors.agreement_list_visible_to(user=user))
        names = [p.organisation.name for a in rows for p in a.parties.all()]
        codes = [c.code for a in rows for c in a.data_categories.all()]
    assert len(rows) == 5
    assert names
    assert codes


# --- coverage -------------------------------------------------------------------------------------


@pytest.fixture
def asb() -> list[DataCategory]:
    return [category("asb-reports")]


def _in_force(world: World, **fields: Any) -> Agreement:
    return complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        categories=[category("asb-reports"), category("location-data")],
        **fields,
    )


def test_an_in_date_agreement_covers_its_categories_either_way_round(world: World, asb: list[DataCategory]) -> None:
    agreement = _in_force(world)
    today = timezone.localdate()
    both = [category("asb-reports"), category("location-data")]
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=both, on_date=today) == (
        agreement
    )
    assert selectors.agreement_covering(owner=world.partner, partner=world.force, categories=asb, on_date=today) == (
        agreement
    )
    assert selectors.agreement_coverage_gap(
        owner=world.force, partner=world.partner, categories=asb, on_date=today
    ) is (None)


def test_coverage_holds_on_the_start_and_expiry_dates_only_between_them(world: World, asb: list[DataCategory]) -> None:
    agreement = _in_force(world)
    assert agreement.start_date
    assert agreement.expiry_date
    for on_date, covered in (
        (agreement.start_date - DAY, False),
        (agreement.start_date, True),
        (agreement.expiry_date, True),
        (agreement.expiry_date + DAY, False),
    ):
        found = selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=on_date)
        assert (found is not None) == covered, on_date
    gap = selectors.agreement_coverage_gap(
        owner=world.force, partner=world.partner, categories=asb, on_date=agreement.expiry_date + DAY
    )
    assert gap is not None
    assert gap.startswith(f"The agreement between {world.force.name} and {world.partner.name}")
    assert "ended on" in gap


def test_an_expired_agreement_covers_nothing(world: World, asb: list[DataCategory]) -> None:
    agreement = _in_force(world)
    services.agreements_expire_lapsed(on_date=agreement.expiry_date + DAY)
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) is None
    gap = selectors.agreement_coverage_gap(owner=world.force, partner=world.partner, categories=asb, on_date=today)
    assert gap == selectors.GAP_ONLY_EXPIRED.format(
        owner=world.force.name,
        partner=world.partner.name,
        references=agreement.reference,
    )


def test_a_terminated_agreement_covers_nothing(world: World, asb: list[DataCategory]) -> None:
    agreement = _in_force(world)
    services.agreement_terminate(actor=world.users["supervisor"], agreement=agreement, reason="Ended early")
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) is None
    gap = selectors.agreement_coverage_gap(owner=world.force, partner=world.partner, categories=asb, on_date=today)
    assert gap == selectors.GAP_ONLY_TERMINATED.format(
        owner=world.force.name,
        partner=world.partner.name,
        references=agreement.reference,
    )


def test_a_draft_covers_nothing(world: World, asb: list[DataCategory]) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) is None
    gap = selectors.agreement_coverage_gap(owner=world.force, partner=world.partner, categories=asb, on_date=today)
    assert gap is not None
    assert agreement.reference in gap
    assert "still a draft" in gap


def test_an_agreement_with_another_party_does_not_cover_this_partner(world: World, asb: list[DataCategory]) -> None:
    complete_agreement(parties=[world.force, world.unrelated], status=AgreementStatus.ACTIVE)
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) is None
    assert selectors.agreement_coverage_gap(
        owner=world.force, partner=world.partner, categories=asb, on_date=today
    ) == selectors.GAP_NO_AGREEMENT.format(owner=world.force.name, partner=world.partner.name)


def test_an_agreement_missing_a_category_does_not_cover_it_and_the_gap_names_it(world: World) -> None:
    agreement = _in_force(world)
    today = timezone.localdate()
    wanted = [category("asb-reports"), category("health"), category("intelligence")]
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=wanted, on_date=today) is (
        None
    )
    gap = selectors.agreement_coverage_gap(owner=world.force, partner=world.partner, categories=wanted, on_date=today)
    assert gap == selectors.GAP_CATEGORIES.format(
        owner=world.force.name,
        partner=world.partner.name,
        references=agreement.reference,
        categories="Health information, Police intelligence about individuals",
    )


def test_coverage_may_come_from_an_agreement_with_more_parties(world: World, asb: list[DataCategory]) -> None:
    agreement = complete_agreement(
        parties=[world.force, world.partner, world.unrelated], status=AgreementStatus.UNDER_REVIEW
    )
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) == (
        agreement
    )


def test_an_amendment_keeps_coverage_until_it_supersedes(world: World, asb: list[DataCategory]) -> None:
    original = _in_force(world)
    amendment = services.agreement_amend(actor=world.users["supervisor"], agreement=original)
    today = timezone.localdate()
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) == (
        original
    )
    amendment.parties.update(signatory_name="Lead", signed_at=timezone.now())
    services.agreement_activate(actor=world.users["supervisor"], agreement=amendment)
    assert selectors.agreement_covering(owner=world.force, partner=world.partner, categories=asb, on_date=today) == (
        amendment
    )
