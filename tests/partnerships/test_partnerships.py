"""Partnerships with dated members: who belongs today, how the partners work together, and who may
change them. Every view: happy path, outsider 404, read-only 403, invalid input kept and nothing
changed."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from partnerships.forms.partnerships import MODEL_OF_WORKING_REQUIRED, PARTNERSHIP_NAME_REQUIRED
from partnerships.models import MeetingCadence, ModelOfWorking, Partnership, PartnershipMembership
from partnerships.models.partnerships import MODEL_OF_WORKING_HELP
from partnerships.selectors.partnerships import partnership_get_for_user, partnership_list_visible_to
from partnerships.services.partnerships import (
    MEMBERSHIP_ALREADY_ENDED,
    MEMBERSHIP_OVERLAPS,
    PARTNERSHIP_NAME_TAKEN,
    partnership_member_add,
    partnership_member_end,
)
from tests.conftest import World, sign_in
from tests.partnerships.factories_partnerships import add_member, make_partnership, make_stakeholder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _names(partnerships: object) -> list[str]:
    return [p.name for p in partnerships]  # type: ignore[attr-defined]


# Membership dates --------------------------------------------------------------------------------


def test_an_organisation_cannot_hold_two_overlapping_memberships(world: World) -> None:
    partnership = make_partnership(members=[world.partner])
    with pytest.raises(ValidationError) as error:
        partnership_member_add(actor=None, partnership=partnership, organisation=world.partner, joined_on=TODAY)
    assert error.value.message_dict["organisation"] == [MEMBERSHIP_OVERLAPS]
    assert partnership.memberships.count() == 1


def test_an_earlier_open_ended_membership_would_overlap_a_later_one(world: World) -> None:
    partnership = make_partnership()
    add_member(partnership, world.partner, joined_on=TODAY + 10 * DAY)
    with pytest.raises(ValidationError) as error:
        partnership_member_add(
            actor=None, partnership=partnership, organisation=world.partner, joined_on=TODAY - 10 * DAY
        )
    assert error.value.message_dict["organisation"] == [MEMBERSHIP_OVERLAPS]


def test_an_organisation_may_rejoin_after_its_membership_ended(world: World) -> None:
    partnership = make_partnership()
    first = add_member(partnership, world.partner, joined_on=TODAY - 100 * DAY, left_on=TODAY - 50 * DAY)
    with pytest.raises(ValidationError):  # rejoining on the day it left would overlap that day
        partnership_member_add(actor=None, partnership=partnership, organisation=world.partner, joined_on=first.left_on)  # type: ignore[arg-type]
    again = partnership_member_add(
        actor=None, partnership=partnership, organisation=world.partner, joined_on=TODAY - 49 * DAY
    )
    assert again.left_on is None
    assert AuditEvent.objects.filter(verb="partnerships.partnership.member_added").count() == 2


def test_membership_cannot_end_before_it_began_nor_end_twice(world: World) -> None:
    partnership = make_partnership()
    membership = add_member(partnership, world.partner, joined_on=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        partnership_member_end(actor=None, membership=membership, left_on=datetime.date(2025, 3, 31))
    assert error.value.message_dict["left_on"] == [
        "The date it left cannot be before the date it joined (1 April 2025)."
    ]
    membership.refresh_from_db()
    assert membership.left_on is None

    partnership_member_end(actor=None, membership=membership, left_on=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        partnership_member_end(actor=None, membership=membership, left_on=datetime.date(2025, 5, 1))
    assert error.value.message_dict["left_on"] == [MEMBERSHIP_ALREADY_ENDED]
    event = AuditEvent.objects.get(verb="partnerships.partnership.member_ended")
    assert event.detail["left_on"] == "2025-04-01"


@pytest.mark.parametrize(
    ("joined_on", "left_on", "current"),
    [
        (TODAY, None, True),  # joined today
        (TODAY - 5 * DAY, TODAY, True),  # leaves at the end of today
        (TODAY - 5 * DAY, TODAY - DAY, False),  # left yesterday
        (TODAY + DAY, None, False),  # joins tomorrow
    ],
)
def test_partner_users_see_partnerships_their_organisation_currently_belongs_to(
    world: World, joined_on: datetime.date, left_on: datetime.date | None, current: bool
) -> None:
    partnership = make_partnership(name="Dated Partnership")
    add_member(partnership, world.partner, joined_on=joined_on, left_on=left_on)
    visible = _names(partnership_list_visible_to(user=world.users["partner_member"]))
    assert visible == (["Dated Partnership"] if current else [])
    # Police roles and administrators see every partnership, member or not.
    for persona in ("officer", "analyst", "administrator"):
        assert _names(partnership_list_visible_to(user=world.users[persona])) == ["Dated Partnership"]


def test_access_helper_gives_404_to_outsiders_and_403_to_viewers_without_the_right(world: World) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    partnership = make_partnership(members=[world.partner])
    with pytest.raises(Http404):
        partnership_get_for_user(user=world.users["unrelated_partner"], pk=partnership.pk)
    with pytest.raises(Http404):
        partnership_get_for_user(user=world.users["supervisor"], pk="not-a-number")
    with pytest.raises(PermissionDenied):
        partnership_get_for_user(user=world.users["partner_lead"], pk=partnership.pk, action="change")
    with pytest.raises(PermissionDenied):
        partnership_get_for_user(user=world.users["analyst"], pk=partnership.pk, action="stakeholders")
    assert partnership_get_for_user(user=world.users["officer"], pk=partnership.pk, action="stakeholders")


# List --------------------------------------------------------------------------------------------


def test_list_shows_current_members_and_model_of_working(world: World) -> None:
    partnership = make_partnership(name="Eastgate Neighbourhood Partnership", members=[world.partner])
    add_member(partnership, world.unrelated, joined_on=TODAY - 30 * DAY, left_on=TODAY - 2 * DAY)
    response = _client(world, "partner_member").get(reverse("partnership-list"))
    assert response.status_code == 200
    assert "Eastgate Neighbourhood Partnership" in response.text
    assert "Joint problem-solving" in response.text
    assert world.partner.name in response.text
    assert world.unrelated.name not in response.text  # a former member is not listed as current
    assert "Add a partnership" not in response.text


def test_list_keeps_the_same_query_count_with_1_and_with_5_rows(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "officer")

    def count_queries(rows: int) -> None:
        while Partnership.objects.count() < rows:
            partnership = make_partnership(members=[world.force, world.partner])
            make_stakeholder(partnership)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the partnerships with
        # their stakeholder counts, 5 their current memberships with each organisation.
        client.get(reverse("partnership-list"))  # the session's last-seen time is written once
        with django_assert_num_queries(5):
            response = client.get(reverse("partnership-list"))
        assert len(response.context["partnerships"]) == rows

    count_queries(1)
    count_queries(5)


# Create and edit ---------------------------------------------------------------------------------


def test_create_form_explains_each_model_of_working(world: World) -> None:
    response = _client(world, "supervisor").get(reverse("partnership-create"))
    assert response.status_code == 200
    for value, label in ModelOfWorking.choices:
        assert f'value="{value}"' in response.text
        assert label in response.text
        assert str(MODEL_OF_WORKING_HELP[ModelOfWorking(value)]) in response.text
    assert "is not the same as solving problems together" in response.text


def test_supervisor_creates_a_partnership_and_it_is_audited(world: World) -> None:
    response = _client(world, "supervisor").post(
        reverse("partnership-create"),
        {
            "name": "Riverside Partnership",
            "area": "Riverside",
            "model_of_working": ModelOfWorking.CO_PRODUCTION,
            "terms_of_reference": "Residents co-chair.",
            "meeting_cadence": MeetingCadence.MONTHLY,
            "active": "on",
        },
    )
    partnership = Partnership.objects.get(name="Riverside Partnership")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership-detail", args=[partnership.pk])
    assert partnership.created_by == world.users["supervisor"]
    assert partnership.model_of_working == ModelOfWorking.CO_PRODUCTION
    event = AuditEvent.objects.get(verb="partnerships.partnership.created")
    assert event.actor == world.users["supervisor"]
    assert event.detail["meeting_cadence"] == "monthly"


def test_invalid_partnership_keeps_what_was_typed_and_creates_nothing(world: World) -> None:
    response = _client(world, "administrator").post(
        reverse("partnership-create"),
        {"name": "", "area": "Typed area", "model_of_working": "chatting", "terms_of_reference": "Typed terms"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert PARTNERSHIP_NAME_REQUIRED in response.text
    assert "Select a valid choice" in response.text
    assert 'value="Typed area"' in response.text
    assert "Typed terms" in response.text
    assert not Partnership.objects.exists()


def test_missing_model_of_working_is_named(world: World) -> None:
    response = _client(world, "supervisor").post(reverse("partnership-create"), {"name": "Somewhere"})
    assert MODEL_OF_WORKING_REQUIRED in response.text
    assert not Partnership.objects.exists()


def test_duplicate_name_whatever_its_case_is_refused(world: World) -> None:
    make_partnership(name="Northshire CSP")
    response = _client(world, "supervisor").post(
        reverse("partnership-create"), {"name": "NORTHSHIRE csp", "model_of_working": ModelOfWorking.CONSULTATION}
    )
    assert response.status_code == 200
    assert PARTNERSHIP_NAME_TAKEN in response.text
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "analyst", "partner_member", "partner_lead"])
def test_only_supervisors_and_administrators_create_partnerships(world: World, persona: str) -> None:
    response = _client(world, persona).post(
        reverse("partnership-create"), {"name": "Nope", "model_of_working": ModelOfWorking.CONSULTATION}
    )
    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_supervisor_edits_a_partnership_and_the_change_is_audited(world: World) -> None:
    partnership = make_partnership(name="Old Name", members=[world.partner])
    response = _client(world, "supervisor").post(
        reverse("partnership-edit", args=[partnership.pk]),
        {"name": "New Name", "model_of_working": ModelOfWorking.INFORMATION_SHARING, "active": "on"},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.name, partnership.model_of_working) == ("New Name", ModelOfWorking.INFORMATION_SHARING)
    event = AuditEvent.objects.get(verb="partnerships.partnership.updated")
    assert event.detail["name"] == {"before": "Old Name", "after": "New Name"}


def test_edit_form_starts_from_the_saved_values(world: World) -> None:
    partnership = make_partnership(name="Saved Name", area="Saved area", meeting_cadence=MeetingCadence.WEEKLY)
    response = _client(world, "administrator").get(reverse("partnership-edit", args=[partnership.pk]))
    assert 'value="Saved Name"' in response.text
    assert 'value="Saved area"' in response.text
    assert 'value="weekly" selected' in response.text


def test_partner_member_cannot_edit_and_outsider_gets_404(world: World) -> None:
    partnership = make_partnership(name="Kept", members=[world.partner])
    data = {"name": "Changed", "model_of_working": ModelOfWorking.CONSULTATION}
    url = reverse("partnership-edit", args=[partnership.pk])
    assert _client(world, "partner_member").post(url, data).status_code == 403
    assert _client(world, "unrelated_partner").post(url, data).status_code == 404
    partnership.refresh_from_db()
    assert partnership.name == "Kept"


# Detail ------------------------------------------------------------------------------------------


def test_detail_shows_members_with_dates_model_terms_cadence_and_map(world: World) -> None:
    partnership = make_partnership(
        name="Northshire CSP",
        members=[world.partner],
        model_of_working=ModelOfWorking.CO_PRODUCTION,
        terms_of_reference="Chaired by the council.",
        meeting_cadence=MeetingCadence.QUARTERLY,
    )
    add_member(partnership, world.force, joined_on=datetime.date(2021, 3, 2), left_on=datetime.date(2023, 6, 30))
    response = _client(world, "partner_lead").get(reverse("partnership-detail", args=[partnership.pk]))
    assert response.status_code == 200
    text = response.text
    assert "2 Mar 2021" in text
    assert "30 Jun 2023" in text
    assert "Former member" in text
    assert "Current member" in text
    assert str(MODEL_OF_WORKING_HELP[ModelOfWorking.CO_PRODUCTION]) in text
    assert "Chaired by the council." in text
    assert "Quarterly" in text
    assert 'role="img"' in text
    # A partner user only views: no edit, member or map buttons.
    assert reverse("partnership-edit", args=[partnership.pk]) not in text
    assert reverse("stakeholder-create", args=[partnership.pk]) not in text


def test_detail_is_404_for_an_outsider_and_for_a_former_member(world: World) -> None:
    partnership = make_partnership()
    add_member(partnership, world.partner, joined_on=TODAY - 9 * DAY, left_on=TODAY - DAY)
    url = reverse("partnership-detail", args=[partnership.pk])
    assert _client(world, "unrelated_partner").get(url).status_code == 404
    assert _client(world, "partner_member").get(url).status_code == 404
    assert _client(world, "analyst").get(url).status_code == 200
    # A number too large for the database is simply not found.
    assert _client(world, "supervisor").get("/partnerships/99999999999999999999/").status_code == 404
    assert _client(world, "supervisor").get("/stakeholders/99999999999999999999/edit/").status_code == 404
    assert _client(world, "supervisor").get("/data-sources/99999999999999999999/edit/").status_code == 404


# Members -----------------------------------------------------------------------------------------


def test_supervisor_adds_a_member_from_a_date(world: World) -> None:
    partnership = make_partnership()
    response = _client(world, "supervisor").post(
        reverse("partnership-member-add", args=[partnership.pk]),
        {"organisation": world.partner.pk, "joined_on": "2026-04-01"},
    )
    assert response.status_code == 302
    membership = PartnershipMembership.objects.get(partnership=partnership)
    assert (membership.organisation, membership.joined_on) == (world.partner, datetime.date(2026, 4, 1))


def test_overlapping_member_is_explained_and_nothing_changes(world: World) -> None:
    partnership = make_partnership(members=[world.partner])
    response = _client(world, "supervisor").post(
        reverse("partnership-member-add", args=[partnership.pk]),
        {"organisation": world.partner.pk, "joined_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert MEMBERSHIP_OVERLAPS in response.text
    assert 'value="2026-04-01"' in response.text
    assert partnership.memberships.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"organisation": "", "joined_on": ""},
        {"organisation": "abc", "joined_on": "31/02/2026"},
        {"organisation": "99999999999999999999", "joined_on": "not a date"},
    ],
)
def test_bad_member_input_is_explained_never_a_server_error(world: World, data: dict[str, str]) -> None:
    partnership = make_partnership()
    response = _client(world, "supervisor").post(reverse("partnership-member-add", args=[partnership.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not partnership.memberships.exists()


def test_partner_lead_cannot_add_members(world: World) -> None:
    partnership = make_partnership(members=[world.partner])
    response = _client(world, "partner_lead").post(
        reverse("partnership-member-add", args=[partnership.pk]),
        {"organisation": world.unrelated.pk, "joined_on": "2026-04-01"},
    )
    assert response.status_code == 403
    assert partnership.memberships.count() == 1


def test_supervisor_ends_a_membership_with_a_date(world: World) -> None:
    partnership = make_partnership()
    membership = add_member(partnership, world.partner, joined_on=datetime.date(2024, 1, 1))
    url = reverse("partnership-member-end", args=[membership.pk])
    client = _client(world, "supervisor")
    response = client.post(url, {"left_on": "2023-12-31"})
    assert response.status_code == 200
    assert "The date it left cannot be before the date it joined (1 January 2024)." in response.text
    assert 'value="2023-12-31"' in response.text
    membership.refresh_from_db()
    assert membership.left_on is None

    response = client.post(url, {"left_on": "2025-06-30"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2025, 6, 30)


def test_ending_a_membership_is_for_managers_and_hidden_from_outsiders(world: World) -> None:
    partnership = make_partnership()
    membership = add_member(partnership, world.partner)
    url = reverse("partnership-member-end", args=[membership.pk])
    assert _client(world, "partner_lead").post(url, {"left_on": "2025-06-30"}).status_code == 403
    assert _client(world, "officer").post(url, {"left_on": "2025-06-30"}).status_code == 403
    assert _client(world, "unrelated_partner").post(url, {"left_on": "2025-06-30"}).status_code == 404
    membership.refresh_from_db()
    assert membership.left_on is None


# Demo --------------------------------------------------------------------------------------------


def test_demo_adds_two_partnerships_maps_and_data_sources_and_is_idempotent() -> None:
    from django.core.management import call_command

    from partnerships.models import DataSource, StakeholderEntry

    call_command("seed_demo", stdout=io.StringIO())
    counts = (Partnership.objects.count(), StakeholderEntry.objects.count(), DataSource.objects.count())
    events = AuditEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Partnership.objects.count(), StakeholderEntry.objects.count(), DataSource.objects.count()) == counts
    assert AuditEvent.objects.count() == events

    csp = Partnership.objects.get(name="Northshire Community Safety Partnership")
    eastgate = Partnership.objects.get(name="Eastgate Neighbourhood Partnership")
    assert csp.model_of_working == ModelOfWorking.JOINT_PROBLEM_SOLVING
    assert eastgate.model_of_working == ModelOfWorking.CO_PRODUCTION
    assert csp.memberships.filter(left_on__isnull=False).exists()  # a former member, with dates
    for partnership in (csp, eastgate):
        entries = list(partnership.stakeholders.all())
        assert any(e.is_seldom_heard for e in entries)
        assert any(e.influence >= 4 and e.engagement_status == "not_engaged" for e in entries)
    assert DataSource.objects.values("organisation").distinct().count() >= 4
    # Sources of an organisation with an agreement with the force are linked to it.
    for source in DataSource.objects.filter(agreement__isnull=False):
        assert source.agreement.parties.filter(organisation=source.organisation).exists()  # type: ignore[union-attr]
