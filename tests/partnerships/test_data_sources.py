"""Partner data sources: who sees and manages them, and the rule that only an agreement the holding
organisation is party to can cover sharing them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships.forms.data_sources import DATA_SOURCE_NAME_REQUIRED, FILTER_ORGANISATION_NOT_RIGHT
from partnerships.models import DataCategory, DataSource, RefreshFrequency
from partnerships.selectors.data_sources import data_source_list_visible_to
from partnerships.services.data_sources import (
    DATA_SOURCE_AGREEMENT_NOT_PARTY,
    DATA_SOURCE_NAME_TAKEN,
    data_source_create,
    data_source_update,
)
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_partnerships import make_agreement, make_data_source

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _form(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organisation": world.partner.pk,
        "name": "ASB case reports",
        "owner": "Community Safety Team",
        "refresh_frequency": RefreshFrequency.WEEKLY,
        "data_format": "CSV extract",
        "holds_personal_data": "on",
        "categories": [DataCategory.objects.get(code="asb-reports").pk],
        "description": "Reports of anti-social behaviour.",
    }
    data.update(overrides)
    return data


# Services ----------------------------------------------------------------------------------------


def test_covering_agreement_must_have_the_holding_organisation_as_a_party(world: World) -> None:
    theirs = make_agreement(parties=[world.force, world.unrelated])
    with pytest.raises(ValidationError) as error:
        make_data_source(world.partner, agreement=theirs)
    assert error.value.message_dict["agreement"] == [DATA_SOURCE_AGREEMENT_NOT_PARTY]
    assert not DataSource.objects.exists()

    ours = make_agreement(parties=[world.force, world.partner])
    source = make_data_source(world.partner, agreement=ours, categories=[DataCategory.objects.get(code="health")])
    assert source.agreement == ours
    assert [c.code for c in source.categories.all()] == ["health"]
    event = AuditEvent.objects.get(verb="partnerships.data_source.created")
    assert event.detail["agreement"] == ours.pk


def test_an_organisation_names_each_data_source_once(world: World) -> None:
    make_data_source(world.partner, name="ASB reports")
    with pytest.raises(ValidationError) as error:
        make_data_source(world.partner, name="asb REPORTS")
    assert error.value.message_dict["name"] == [DATA_SOURCE_NAME_TAKEN]
    make_data_source(world.unrelated, name="ASB reports")  # another organisation may use the name


def test_update_changes_categories_and_agreement_and_is_audited(world: World) -> None:
    source = make_data_source(world.partner)
    agreement = make_agreement(parties=[world.partner, world.force])
    data_source_update(
        actor=world.users["partner_lead"],
        data_source=source,
        agreement=agreement,
        categories=[DataCategory.objects.get(code="location-data")],
    )
    event = AuditEvent.objects.get(verb="partnerships.data_source.updated")
    assert event.detail["agreement"] == {"before": None, "after": agreement.pk}
    assert event.detail["categories"]["after"] == [DataCategory.objects.get(code="location-data").pk]
    with pytest.raises(ValidationError):
        data_source_update(actor=None, data_source=source, agreement=make_agreement(parties=[world.unrelated]))
    source.refresh_from_db()
    assert source.agreement == agreement


def test_partner_users_see_their_own_organisations_data_sources_police_see_all(world: World) -> None:
    make_data_source(world.partner, name="Council data")
    make_data_source(world.unrelated, name="Faraway data")
    names = lambda persona: [s.name for s in data_source_list_visible_to(user=world.users[persona])]  # noqa: E731
    assert names("partner_member") == ["Council data"]
    assert names("unrelated_partner") == ["Faraway data"]
    # In organisation order: Faraway Housing Trust, then Northshire City Council.
    assert names("analyst") == ["Faraway data", "Council data"]
    assert names("administrator") == ["Faraway data", "Council data"]


# List --------------------------------------------------------------------------------------------


def test_list_filters_by_organisation(world: World) -> None:
    make_data_source(world.partner, name="Council data")
    make_data_source(world.unrelated, name="Faraway data")
    response = _client(world, "officer").get(reverse("data-source-list"), {"organisation": world.unrelated.pk})
    assert response.status_code == 200
    assert [source.name for source, _ in response.context["rows"]] == ["Faraway data"]
    assert "Data sources: Faraway Housing Trust" in response.text


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "1.5", "<script>"])
def test_bad_filter_values_show_everything_with_a_message_never_a_server_error(world: World, value: str) -> None:
    make_data_source(world.partner, name="Council data")
    response = _client(world, "supervisor").get(reverse("data-source-list"), {"organisation": value})
    assert response.status_code == 200
    assert FILTER_ORGANISATION_NOT_RIGHT in response.text
    assert [source.name for source, _ in response.context["rows"]] == ["Council data"]


def test_partner_cannot_filter_to_another_organisation(world: World) -> None:
    make_data_source(world.unrelated, name="Faraway data")
    response = _client(world, "partner_member").get(reverse("data-source-list"), {"organisation": world.unrelated.pk})
    assert response.status_code == 200
    assert FILTER_ORGANISATION_NOT_RIGHT in response.text
    assert "Faraway data" not in response.text


def test_list_offers_edit_only_where_the_user_may_manage(world: World) -> None:
    own = make_data_source(world.partner)
    assert (
        reverse("data-source-edit", args=[own.pk])
        in _client(world, "partner_lead").get(reverse("data-source-list")).text
    )
    member_page = _client(world, "partner_member").get(reverse("data-source-list")).text
    assert reverse("data-source-edit", args=[own.pk]) not in member_page
    assert "Add a data source" not in member_page


def test_list_keeps_the_same_query_count_with_1_and_with_5_rows(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "supervisor")
    categories = list(DataCategory.objects.all()[:2])

    def count_queries(rows: int) -> None:
        while DataSource.objects.count() < rows:
            organisation = OrganisationFactory()
            make_data_source(
                organisation, categories=categories, agreement=make_agreement(parties=[organisation, world.force])
            )
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the data sources with
        # organisation and agreement, 5 their categories, 6 the organisations of the filter.
        client.get(reverse("data-source-list"))  # the session's last-seen time is written once
        with django_assert_num_queries(6):
            response = client.get(reverse("data-source-list"))
        assert len(response.context["rows"]) == rows

    count_queries(1)
    count_queries(5)


# Create and edit ---------------------------------------------------------------------------------


def test_partner_lead_adds_a_data_source_of_their_own_organisation(world: World) -> None:
    agreement = make_agreement(parties=[world.force, world.partner])
    client = _client(world, "partner_lead")
    assert client.get(reverse("data-source-create")).status_code == 200
    response = client.post(reverse("data-source-create"), _form(world, agreement=agreement.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('data-source-list')}?organisation={world.partner.pk}"
    source = DataSource.objects.get()
    assert (source.organisation, source.agreement, source.holds_personal_data) == (world.partner, agreement, True)
    assert AuditEvent.objects.filter(
        verb="partnerships.data_source.created", actor=world.users["partner_lead"]
    ).exists()


def test_partner_lead_cannot_add_one_for_another_organisation(world: World) -> None:
    response = _client(world, "partner_lead").post(
        reverse("data-source-create"), _form(world, organisation=world.unrelated.pk)
    )
    assert response.status_code == 200
    assert "Choose the organisation that holds the data." in response.text
    assert not DataSource.objects.exists()


def test_agreement_the_holder_is_not_party_to_is_refused_and_what_was_typed_kept(world: World) -> None:
    theirs = make_agreement(parties=[world.force, world.unrelated])
    response = _client(world, "supervisor").post(reverse("data-source-create"), _form(world, agreement=theirs.pk))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert DATA_SOURCE_AGREEMENT_NOT_PARTY in response.text
    assert 'value="ASB case reports"' in response.text
    assert "Reports of anti-social behaviour." in response.text
    assert not DataSource.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"refresh_frequency": "hourly"},
        {"categories": ["abc"]},
        {"agreement": "99999999999999999999"},
        {"organisation": "not-a-number"},
    ],
)
def test_bad_input_is_explained_and_adds_nothing(world: World, overrides: dict[str, object]) -> None:
    response = _client(world, "administrator").post(reverse("data-source-create"), _form(world, **overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="Community Safety Team"' in response.text
    assert not DataSource.objects.exists()
    if overrides == {"name": ""}:
        assert DATA_SOURCE_NAME_REQUIRED in response.text


@pytest.mark.parametrize("persona", ["officer", "analyst", "partner_member"])
def test_readers_cannot_add_data_sources(world: World, persona: str) -> None:
    assert _client(world, persona).post(reverse("data-source-create"), _form(world)).status_code == 403
    assert not DataSource.objects.exists()


def test_lead_edits_their_organisations_data_source(world: World) -> None:
    source = make_data_source(world.partner, name="Old name")
    client = _client(world, "partner_lead")
    url = reverse("data-source-edit", args=[source.pk])
    assert 'value="Old name"' in client.get(url).text
    response = client.post(url, _form(world, name="New name", refresh_frequency=RefreshFrequency.DAILY))
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.refresh_frequency, source.organisation) == ("New name", "daily", world.partner)


def test_edit_is_403_for_readers_and_404_for_outsiders(world: World) -> None:
    source = make_data_source(world.partner, name="Kept")
    url = reverse("data-source-edit", args=[source.pk])
    assert _client(world, "partner_member").post(url, _form(world, name="Changed")).status_code == 403
    assert _client(world, "officer").post(url, _form(world, name="Changed")).status_code == 403
    assert _client(world, "unrelated_partner").post(url, _form(world, name="Changed")).status_code == 404
    source.refresh_from_db()
    assert source.name == "Kept"


def test_invalid_edit_keeps_what_was_typed_and_changes_nothing(world: World) -> None:
    source = make_data_source(world.partner, name="Kept", owner="Original owner")
    response = _client(world, "supervisor").post(
        reverse("data-source-edit", args=[source.pk]), _form(world, name="", owner="Typed owner")
    )
    assert response.status_code == 200
    assert DATA_SOURCE_NAME_REQUIRED in response.text
    assert 'value="Typed owner"' in response.text
    source.refresh_from_db()
    assert (source.name, source.owner) == ("Kept", "Original owner")


def test_data_source_create_service_refuses_unknown_frequency(world: World) -> None:
    with pytest.raises(ValidationError):
        data_source_create(
            actor=None, organisation=world.partner, name="X", owner="Y", refresh_frequency="hourly", data_format="Z"
        )
