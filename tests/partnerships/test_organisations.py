"""The partner registry: who our partners are, and who our single point of contact is there today.
An organisation with no active SPOC is flagged on the list and on the supervisor's home page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from partnerships.models import Organisation, OrganisationKind, Partnership, PartnershipMembership, Sector
from partnerships.selectors.organisations import organisation_list_visible_to, organisations_visible_to
from partnerships.services import ORGANISATION_NAME_TAKEN, organisation_create, organisation_update
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory, days_ago, handover_between

pytestmark = pytest.mark.django_db

NO_SPOC_FLAG = "No active SPOC"


def _partnership(world: World, *members: Organisation, left_on: datetime.date | None = None) -> Partnership:
    partnership = Partnership.objects.create(
        name=f"Partnership {Partnership.objects.count() + 1}",
        model_of_working="joint_problem_solving",
        created_by=world.users["supervisor"],
    )
    for organisation in members:
        PartnershipMembership.objects.create(
            partnership=partnership, organisation=organisation, joined_on=days_ago(200), left_on=left_on
        )
    return partnership


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


# Visibility -----------------------------------------------------------------------------------


def test_police_and_administrators_see_every_organisation(world: World) -> None:
    for persona in ("officer", "supervisor", "analyst", "administrator"):
        visible = set(organisations_visible_to(world.users[persona]))
        assert visible == {world.force, world.partner, world.unrelated}, persona


def test_partner_sees_own_organisation_and_current_partners_only(world: World) -> None:
    housing = OrganisationFactory(name="Riverside Housing")
    former = OrganisationFactory(name="Former Partner")
    _partnership(world, world.partner, world.force, housing)
    _partnership(world, world.partner, former, left_on=days_ago(10))  # ended: no longer shared
    visible = set(organisations_visible_to(world.users["partner_member"]))
    assert visible == {world.partner, world.force, housing}
    assert set(organisations_visible_to(world.users["unrelated_partner"])) == {world.unrelated}


def test_partner_of_an_ended_membership_cannot_open_the_page(world: World) -> None:
    _partnership(world, world.partner, world.unrelated, left_on=days_ago(1))
    response = _client(world, "unrelated_partner").get(reverse("organisation-detail", args=[world.partner.pk]))
    assert response.status_code == 404


# The SPOC flag ----------------------------------------------------------------------------------


def test_active_spoc_today_is_worked_out_from_topics_and_dates(world: World) -> None:
    today = timezone.localdate()
    cases = {
        "current": {"spoc_topics": "ASB", "spoc_from": days_ago(5)},
        "ends today": {"spoc_topics": "ASB", "spoc_from": days_ago(5), "spoc_to": today},
        "ended yesterday": {"spoc_topics": "ASB", "spoc_from": days_ago(5), "spoc_to": days_ago(1)},
        "starts tomorrow": {"spoc_topics": "ASB", "spoc_from": today + datetime.timedelta(days=1)},
        "not a SPOC": {},
    }
    for label, fields in cases.items():
        ContactFactory(organisation=OrganisationFactory(name=label), **fields)
    flags = {o.name: o.has_active_spoc for o in organisation_list_visible_to(user=world.users["officer"])}
    assert flags["current"] is True
    assert flags["ends today"] is True
    assert flags["ended yesterday"] is False
    assert flags["starts tomorrow"] is False
    assert flags["not a SPOC"] is False


def test_list_flags_each_organisation_without_an_active_spoc_in_words(world: World) -> None:
    SpocFactory(organisation=world.partner)
    response = _client(world, "officer").get(reverse("organisation-list"))
    assert response.status_code == 200
    rows = {o.name: o.has_active_spoc for o in response.context["page"]}
    assert rows == {"Faraway Housing Trust": False, "Northshire City Council": True, "Northshire Police": False}
    assert response.text.count(NO_SPOC_FLAG) == 2


def test_list_searches_by_name_and_filters_by_kind_sector_and_missing_spoc(world: World) -> None:
    OrganisationFactory(name="Eastgate Food Bank", sector=Sector.VOLUNTARY)
    SpocFactory(organisation=world.partner)
    client = _client(world, "supervisor")

    def names(**query: str) -> list[str]:
        response = client.get(reverse("organisation-list"), query)
        assert response.status_code == 200
        return [o.name for o in response.context["page"]]

    assert names(q="north") == ["Northshire City Council", "Northshire Police"]
    assert names(kind=OrganisationKind.POLICE_FORCE) == ["Northshire Police"]
    assert names(sector=Sector.VOLUNTARY) == ["Eastgate Food Bank"]
    assert names(no_spoc="on") == ["Eastgate Food Bank", "Faraway Housing Trust", "Northshire Police"]
    assert names(q="north", no_spoc="on") == ["Northshire Police"]


def test_list_with_an_unknown_filter_explains_and_keeps_what_was_typed(world: World) -> None:
    response = _client(world, "officer").get(reverse("organisation-list"), {"kind": "spaceship", "q": "Faraway"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select a valid choice." in response.text
    assert 'value="Faraway"' in response.text


def test_list_keeps_the_same_query_count_with_1_and_with_5_rows(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "officer")
    search = {"q": "Registry test"}

    def count_queries(rows: int) -> None:
        while Organisation.objects.filter(name__startswith="Registry test").count() < rows:
            SpocFactory(organisation=OrganisationFactory(name=f"Registry test {Organisation.objects.count()}"))
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the paginator's
        # count, 5 the page of organisations with the active-SPOC flag (an EXISTS subquery), 6 the
        # audit event recording the search (core.audit.audit_list_search).
        client.get(reverse("organisation-list"), search)  # the session's last-seen time is written once
        with django_assert_num_queries(6):
            response = client.get(reverse("organisation-list"), search)
        assert len(response.context["page"]) == rows

    count_queries(1)
    count_queries(5)


# Detail ----------------------------------------------------------------------------------------


def test_detail_shows_profile_todays_spocs_contacts_and_handover_history(world: World) -> None:
    organisation_update(
        actor=None, organisation=world.partner, areas_covered="Eastgate\nRiverside", phone="0118 496 0100"
    )
    outgoing = SpocFactory(organisation=world.partner, name="Priya Patel", spoc_topics="ASB in Eastgate")
    incoming = ContactFactory(organisation=world.partner, name="Lee Lead", user=world.users["partner_lead"])
    handover_between(outgoing, incoming, recorded_by=world.users["supervisor"])
    ContactFactory(organisation=world.partner, name="Former Officer", active_to=days_ago(3))

    response = _client(world, "partner_member").get(reverse("organisation-detail", args=[world.partner.pk]))
    assert response.status_code == 200
    assert [c.name for c in response.context["spocs"]] == ["Lee Lead"]
    assert [c.name for c in response.context["contacts"]] == ["Former Officer", "Lee Lead", "Priya Patel"]
    text = response.text
    assert "Eastgate" in text
    assert "0118 496 0100" in text
    assert "Not yet" in text  # the handover awaits acknowledgement
    assert f'href="/data-sources/?organisation={world.partner.pk}"' in text
    # A member of the partner may look, but not manage contacts or acknowledge for Lee.
    assert reverse("contact-create", args=[world.partner.pk]) not in text
    assert reverse("handover-acknowledge", args=[world.partner.handovers.get().pk]) not in text
    assert reverse("organisation-edit", args=[world.partner.pk]) not in text


def test_detail_offers_acknowledgement_to_the_incoming_person_only(world: World) -> None:
    outgoing = SpocFactory(organisation=world.partner)
    incoming = ContactFactory(organisation=world.partner, user=world.users["partner_lead"])
    handover = handover_between(outgoing, incoming, recorded_by=world.users["supervisor"])
    url = reverse("organisation-detail", args=[world.partner.pk])
    lead_page = _client(world, "partner_lead").get(url).text
    assert reverse("handover-acknowledge", args=[handover.pk]) in lead_page
    supervisor_page = _client(world, "supervisor").get(url).text
    assert reverse("handover-acknowledge", args=[handover.pk]) not in supervisor_page
    assert reverse("handover-create", args=[world.partner.pk]) in supervisor_page


def test_detail_of_an_organisation_without_spoc_says_so(world: World) -> None:
    response = _client(world, "officer").get(reverse("organisation-detail", args=[world.unrelated.pk]))
    assert NO_SPOC_FLAG in response.text


def test_detail_keeps_the_same_query_count_with_1_and_with_5_contacts_and_handovers(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "supervisor")
    supervisor = world.users["supervisor"]
    url = reverse("organisation-detail", args=[world.partner.pk])

    def count_queries(rows: int) -> None:
        while world.partner.handovers.count() < rows:
            outgoing = SpocFactory(organisation=world.partner)
            incoming = ContactFactory(
                organisation=world.partner, user=UserFactory(role=Role.PARTNER_LEAD, organisation=world.partner)
            )
            handover_between(outgoing, incoming, recorded_by=supervisor)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the organisation,
        # 5 the handovers with both contacts and both users, 6 today's SPOCs, 7 all contacts with
        # their users.
        client.get(url)  # the session's last-seen time is written once
        with django_assert_num_queries(7):
            response = client.get(url)
        assert len(response.context["handovers"]) == rows

    count_queries(1)
    count_queries(5)


# Edit ------------------------------------------------------------------------------------------


def test_supervisor_edits_any_profile_and_the_change_is_audited(world: World) -> None:
    response = _client(world, "supervisor").post(
        reverse("organisation-edit", args=[world.partner.pk]),
        {
            "name": "Northshire City Council",
            "sector": Sector.STATUTORY,
            "is_responsible_authority": "on",
            "areas_covered": " Eastgate \n\n Riverside ",
            "address": "Civic Centre",
            "email": "safety@council.test",
            "phone": "0118 496 0100",
            "website": "https://council.test",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[world.partner.pk])
    world.partner.refresh_from_db()
    assert world.partner.is_responsible_authority is True
    assert world.partner.areas_covered == "Eastgate\nRiverside"
    assert world.partner.email == "safety@council.test"
    event = AuditEvent.objects.get(verb="partnerships.organisation.updated", target_id=str(world.partner.pk))
    assert event.actor == world.users["supervisor"]
    assert event.detail["email"] == {"before": "", "after": "safety@council.test"}


def test_partner_lead_edits_own_profile_but_not_name_sector_or_active(world: World) -> None:
    client = _client(world, "partner_lead")
    url = reverse("organisation-edit", args=[world.partner.pk])
    form = client.get(url).context["form"]
    assert "name" not in form.fields
    assert "active" not in form.fields
    assert "email" in form.fields
    response = client.post(url, {"name": "Taken Over", "active": "", "phone": "0118 496 0999"})
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert (world.partner.name, world.partner.active, world.partner.phone) == (
        "Northshire City Council",
        True,
        "0118 496 0999",
    )


def test_partner_lead_cannot_edit_another_organisation(world: World) -> None:
    _partnership(world, world.partner, world.unrelated)
    client = _client(world, "partner_lead")
    assert client.get(reverse("organisation-edit", args=[world.unrelated.pk])).status_code == 403
    assert client.get(reverse("organisation-edit", args=[world.force.pk])).status_code == 404


def test_invalid_email_shows_the_error_summary_keeps_input_and_changes_nothing(world: World) -> None:
    client = _client(world, "supervisor")
    before = Organisation.objects.values().get(pk=world.partner.pk)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("organisation-edit", args=[world.partner.pk]),
        {"name": "Renamed Council", "sector": Sector.STATUTORY, "email": "not-an-email", "active": "on"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter an email address in the right format" in response.text
    assert 'value="not-an-email"' in response.text
    assert 'value="Renamed Council"' in response.text
    assert "Edit the profile of Northshire City Council" in response.text
    assert Organisation.objects.values().get(pk=world.partner.pk) == before
    assert AuditEvent.objects.count() == events


def test_duplicate_name_is_explained_on_the_name_field(world: World) -> None:
    response = _client(world, "administrator").post(
        reverse("organisation-edit", args=[world.partner.pk]),
        {"name": "FARAWAY housing trust", "sector": Sector.STATUTORY, "active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [ORGANISATION_NAME_TAKEN]
    world.partner.refresh_from_db()
    assert world.partner.name == "Northshire City Council"


def test_officer_may_not_edit_a_profile(world: World) -> None:
    response = _client(world, "officer").post(
        reverse("organisation-edit", args=[world.partner.pk]), {"name": "X", "sector": Sector.STATUTORY}
    )
    assert response.status_code == 403
    world.partner.refresh_from_db()
    assert world.partner.name == "Northshire City Council"


def test_organisation_is_created_with_its_profile() -> None:
    organisation = organisation_create(
        actor=None,
        name="Northshire Fire and Rescue",
        kind=OrganisationKind.PARTNER,
        sector=Sector.STATUTORY,
        is_responsible_authority=True,
        website="https://fire.test",
    )
    assert organisation.is_responsible_authority is True
    event = AuditEvent.objects.get(verb="partnerships.organisation.created", target_id=str(organisation.pk))
    assert event.detail["website"] == "https://fire.test"


def test_administrator_edits_the_profile_in_the_admin_site(world: World) -> None:
    client = _client(world, "administrator")
    response = client.post(
        reverse("admin:partnerships_organisation_change", args=[world.partner.pk]),
        {
            "name": "Northshire City Council",
            "kind": "partner",
            "sector": "statutory",
            "is_responsible_authority": "on",
            "areas_covered": "Eastgate",
            "active": "on",
        },
    )
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert (world.partner.is_responsible_authority, world.partner.areas_covered) == (True, "Eastgate")


# The supervisor's home page --------------------------------------------------------------------


def test_supervisor_home_lists_active_partners_without_spoc(world: World) -> None:
    SpocFactory(organisation=world.partner)
    organisation_update(actor=None, organisation=OrganisationFactory(name="Closed Charity"), active=False)
    response = _client(world, "supervisor").get(reverse("home"))
    names = [o.name for o in response.context["organisations_without_spoc"]]
    assert names == ["Faraway Housing Trust", "Northshire Police"]
    assert reverse("organisation-detail", args=[world.unrelated.pk]) in response.text
    assert "Partnership gaps" in response.text


def test_supervisor_home_keeps_the_same_query_count_with_1_and_with_5_gaps(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    SpocFactory(organisation=world.force)
    SpocFactory(organisation=world.unrelated)
    client = _client(world, "supervisor")

    def count_queries(rows: int) -> None:
        while len(organisation_list_visible_to(user=world.users["supervisor"], no_spoc=True)) < rows:
            OrganisationFactory()
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the active
        # organisations with no active SPOC, 5 the force's problems overdue for review, 6 those
        # awaiting sign-off, 7 the team's failed reminders, 8 the force's neighbourhoods for the
        # seldom-heard gaps (none here, so nothing more), 9 the force's inactive accounts (none,
        # so no problem they lead is read), 10 the handovers awaiting the supervisor's
        # acknowledgement, 11 the count of closed problems due for a retention review.
        client.get(reverse("home"))  # the session's last-seen time is written once
        with django_assert_num_queries(11):
            response = client.get(reverse("home"))
        assert len(response.context["organisations_without_spoc"]) == rows

    count_queries(1)
    count_queries(5)
