"""Agreement pages: the register and its CSV, drafting, party details, signing, activation with
every missing item in the error summary, review, termination, amendment and the signed PDF.
Invalid input keeps what was typed and changes nothing; no input gives a server error."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import recipient_of
from core.models import AuditEvent
from partnerships.forms.agreements import REVIEW_WITHIN_INVALID
from partnerships.models import Agreement, AgreementParty, AgreementStatus
from partnerships.selectors import agreements as selectors
from partnerships.services import agreements as services
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_agreements import category, complete_agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Agreement.objects.order_by("pk").values()),
        list(AgreementParty.objects.order_by("pk").values()),
    )


# --- the register ---------------------------------------------------------------------------------


def test_register_lists_visible_agreements_with_status_and_parties(world: World) -> None:
    ours = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, title="Ours")
    complete_agreement(parties=[world.force, world.unrelated], title="Someone else's")
    response = _client(world, "partner_member").get(reverse("agreement-list"))
    assert response.status_code == 200
    assert f"{ours.reference} v1" in response.text
    assert "Ours" in response.text
    assert "Someone else&#x27;s" not in response.text
    assert "Northshire City Council; Northshire Police" in response.text
    assert "New agreement" not in response.text
    assert "New agreement" in _client(world, "supervisor").get(reverse("agreement-list")).text


def test_register_filters_by_status(world: World) -> None:
    complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, title="Live one")
    complete_agreement(parties=[world.force, world.partner], title="Draft one")
    response = _client(world, "officer").get(reverse("agreement-list"), {"status": "draft"})
    assert "Draft one" in response.text
    assert "Live one" not in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"review_within_days": "soon"}, REVIEW_WITHIN_INVALID),
        ({"review_within_days": "-3"}, REVIEW_WITHIN_INVALID),
        ({"review_within_days": "99999999999999999999"}, REVIEW_WITHIN_INVALID),
        ({"status": "lost"}, "Choose a status from the list."),
        ({"party": "999999"}, "Choose an organisation from the list."),
        ({"party": "council"}, "Choose an organisation from the list."),
    ],
)
def test_bad_filter_values_show_a_message_not_an_error(world: World, query: dict[str, str], message: str) -> None:
    complete_agreement(parties=[world.force, world.partner], title="Still listed")
    response = _client(world, "supervisor").get(reverse("agreement-list"), query)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert "Still listed" in response.text


def test_party_filter_offers_only_organisations_the_user_can_find(world: World) -> None:
    complete_agreement(parties=[world.force, world.unrelated])
    complete_agreement(parties=[world.force, world.partner])
    response = _client(world, "partner_lead").get(reverse("agreement-list"))
    assert world.unrelated.name not in response.text
    # Choosing an organisation the user cannot see is refused like any unknown value.
    response = _client(world, "partner_lead").get(reverse("agreement-list"), {"party": world.unrelated.pk})
    assert "Choose an organisation from the list." in response.text


def test_register_page_query_count_is_the_same_for_one_and_five_rows(
    world: World, django_assert_num_queries: Any
) -> None:
    # 1 session, 2 user, 3 OTP device (second-factor middleware), 4 the organisations offered in
    # the party filter, 5 the agreements, 6 their parties with organisations (one JOIN), 7 their
    # data categories.
    client = _client(world, "supervisor")
    complete_agreement(parties=[world.force, world.partner])
    with django_assert_num_queries(7):
        response = client.get(reverse("agreement-list"))
    assert response.text.count("ISA-TEST-") == 1
    for _ in range(4):
        complete_agreement(parties=[world.force, world.partner, OrganisationFactory()], categories=[category("health")])
    with django_assert_num_queries(7):
        response = client.get(reverse("agreement-list"))
    assert response.text.count("ISA-TEST-") == 5


def test_csv_export_has_every_heading_only_visible_rows_and_is_audited(world: World) -> None:
    ours = complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        title='=HYPERLINK("http://evil.example")',
    )
    complete_agreement(parties=[world.force, world.unrelated], title="Not ours")
    response = _client(world, "partner_lead").get(reverse("agreement-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    headings = rows[0]
    for heading in (
        "Purpose",
        "Parties",
        "Controller roles",
        "Lawful bases",
        "Legal powers",
        "Data categories",
        "Data items",
        "Special category and criminal offence data conditions",
        "DPA 2018 Part 3 conditions",
        "DPIA reference",
        "Retention and deletion",
        "Security measures",
        "Individuals' rights",
        "Subject access request contact",
        "Sharing dates or frequency",
        "Review date",
        "Expiry date",
        "Signed by",
    ):
        assert heading in headings
    assert len(rows) == 2
    record = dict(zip(headings, rows[1], strict=True))
    assert record["Reference"] == ours.reference
    # A cell a spreadsheet would run as a formula is defused.
    assert record["Title"] == '\'=HYPERLINK("http://evil.example")'
    assert "Northshire City Council: Lead of Northshire City Council on" in record["Signed by"]
    event = AuditEvent.objects.get(verb="partnerships.agreement.exported")
    assert event.actor == world.users["partner_lead"]
    assert event.detail["agreements"] == [f"{ours.reference} v1"]
    # The export is a disclosure: its event names who received it (DPA 2018 s.62).
    assert event.detail["recipient"] == recipient_of(world.users["partner_lead"])


def test_csv_export_with_bad_filters_goes_back_to_the_register(world: World) -> None:
    response = _client(world, "officer").get(reverse("agreement-export"), {"review_within_days": "x"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="partnerships.agreement.exported").exists()


# --- drafting -------------------------------------------------------------------------------------


def _form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Eastgate ASB sharing",
        "parties": [world.force.pk, world.partner.pk],
        "purpose": "To solve ASB in Eastgate.",
        "data_categories": [category("asb-reports").pk],
        "data_items": "Report dates and places.",
        "special_category_conditions": "",
        "part3_conditions": "DPA 2018 s.35",
        "dpia_reference": "DPIA-1",
        "retention_and_deletion": "12 months",
        "security_measures": "Secure email",
        "individuals_rights": "Each party answers requests",
        "subject_access_contact": "dpo@council.example",
        "sharing_frequency": "Monthly",
        "start_date": "2026-01-01",
        "review_date": "2026-07-01",
        "expiry_date": "2027-01-01",
    }
    data.update(overrides)
    return data


def test_supervisor_drafts_an_agreement(world: World) -> None:
    response = _client(world, "supervisor").post(reverse("agreement-create"), _form_data(world))
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreement-detail", kwargs={"pk": agreement.pk})
    assert agreement.reference.startswith("ISA-")
    assert agreement.review_date == datetime.date(2026, 7, 1)
    assert list(agreement.data_categories.values_list("code", flat=True)) == ["asb-reports"]
    assert agreement.parties.count() == 2


def test_invalid_draft_shows_errors_keeps_input_and_creates_nothing(world: World) -> None:
    response = _client(world, "supervisor").post(
        reverse("agreement-create"),
        _form_data(world, title="", purpose="Typed purpose", start_date="2026-05-01", expiry_date="not a date"),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a title for the agreement." in response.text
    assert "Enter a real date" in response.text
    assert "Typed purpose" in response.text
    assert not Agreement.objects.exists()


def test_expiry_before_start_is_explained(world: World) -> None:
    response = _client(world, "supervisor").post(
        reverse("agreement-create"), _form_data(world, start_date="2026-05-01", expiry_date="2026-04-01")
    )
    assert services.AGREEMENT_EXPIRY_NOT_AFTER_START in response.text
    assert not Agreement.objects.exists()


def test_editing_a_draft_saves_and_clears_signatures(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    response = _client(world, "supervisor").post(
        reverse("agreement-edit", kwargs={"pk": agreement.pk}), _form_data(world, purpose="Changed purpose")
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.purpose == "Changed purpose"
    assert not agreement.parties.filter(signed_at__isnull=False).exists()


def test_edit_form_is_filled_with_the_draft(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], dpia_reference="DPIA-XYZ")
    response = _client(world, "supervisor").get(reverse("agreement-edit", kwargs={"pk": agreement.pk}))
    assert 'value="DPIA-XYZ"' in response.text


def test_invalid_edit_changes_nothing(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    before = _snapshot()
    response = _client(world, "supervisor").post(
        reverse("agreement-edit", kwargs={"pk": agreement.pk}),
        _form_data(world, review_date="2030-01-01", data_categories=["nope"]),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert _snapshot() == before


def test_an_active_agreement_is_not_edited(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    before = _snapshot()
    client = _client(world, "supervisor")
    response = client.post(reverse("agreement-edit", kwargs={"pk": agreement.pk}), _form_data(world))
    assert response.status_code == 302
    assert _snapshot() == before
    assert services.AGREEMENT_NOT_DRAFT in client.get(response["Location"]).text


def test_party_details_are_edited_by_the_supervisor(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    url = reverse("agreement-party-edit", kwargs={"pk": party.pk})
    response = _client(world, "supervisor").post(
        url, {"controller_role": "joint", "lawful_basis": "legal_obligation", "legal_power": "Localism Act 2011"}
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert (party.controller_role, party.lawful_basis, party.legal_power) == (
        "joint",
        "legal_obligation",
        "Localism Act 2011",
    )


def test_invalid_party_details_show_errors_and_change_nothing(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    before = _snapshot()
    response = _client(world, "supervisor").post(
        reverse("agreement-party-edit", kwargs={"pk": party.pk}),
        {"controller_role": "boss", "lawful_basis": "legal_obligation", "legal_power": "Typed power"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Typed power" in response.text
    assert _snapshot() == before


# --- detail, signing, activation --------------------------------------------------------------


def test_detail_shows_headings_parties_checklist_and_sign_button_for_own_party(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False, dpia_reference="")
    response = _client(world, "partner_lead").get(reverse("agreement-detail", kwargs={"pk": agreement.pk}))
    assert response.status_code == 200
    assert "Before activation" in response.text
    assert selectors.MISSING_DPIA_REFERENCE in response.text
    assert "Northshire City Council: its lead has not signed." in response.text
    assert "Sign for Northshire City Council" in response.text
    assert "Sign for Northshire Police" not in response.text
    assert reverse("agreement-activate", kwargs={"pk": agreement.pk}) not in response.text
    council = agreement.parties.get(organisation=world.partner)
    assert reverse("agreement-sign", kwargs={"pk": council.pk}) in response.text


def test_detail_query_count_is_the_same_for_two_and_five_parties(world: World, django_assert_num_queries: Any) -> None:
    # 1 session, 2 user, 3 OTP device, 4 the agreement with its creator, 5 its parties with
    # organisations, 6 its data categories, 7 the versions the user may see (which also tell
    # whether a draft amendment is open: only supervisors amend, and they see every version).
    client = _client(world, "supervisor")
    small = complete_agreement(parties=[world.force, world.partner])
    big = complete_agreement(parties=[world.force, world.partner, *[OrganisationFactory() for _ in range(3)]])
    with django_assert_num_queries(7):
        client.get(reverse("agreement-detail", kwargs={"pk": small.pk}))
    with django_assert_num_queries(7):
        response = client.get(reverse("agreement-detail", kwargs={"pk": big.pk}))
    assert response.text.count("Not signed") == 0
    assert response.text.count("Signed by Lead of") == 5


def test_partner_lead_signs_for_their_organisation(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    client = _client(world, "partner_lead")
    response = client.post(reverse("agreement-sign", kwargs={"pk": party.pk}))
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.signatory_name == world.users["partner_lead"].full_name
    page = client.get(response["Location"]).text
    assert "You signed the agreement for Northshire City Council." in page
    # Signing again is refused with a message, not an error page.
    response = client.post(reverse("agreement-sign", kwargs={"pk": party.pk}), follow=True)
    assert "Northshire City Council has already signed this agreement" in response.text


def test_lead_of_a_non_party_organisation_cannot_sign_and_gets_404(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    for party in agreement.parties.all():
        response = _client(world, "unrelated_partner").post(reverse("agreement-sign", kwargs={"pk": party.pk}))
        assert response.status_code == 404
    assert not AgreementParty.objects.filter(signed_at__isnull=False).exists()


def test_sign_is_post_only(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    response = _client(world, "partner_lead").get(reverse("agreement-sign", kwargs={"pk": party.pk}))
    assert response.status_code == 405


def test_activation_failure_lists_every_missing_item_in_the_error_summary(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False, purpose="", dpia_reference="")
    response = _client(world, "supervisor").post(reverse("agreement-activate", kwargs={"pk": agreement.pk}))
    assert response.status_code == 200
    summary = response.text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    for item in selectors.agreement_missing_items(agreement):
        assert item.replace("'", "&#x27;") in summary
    assert services.AGREEMENT_CANNOT_ACTIVATE.format(count=4) in summary
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_supervisor_activates_a_complete_signed_draft(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    client = _client(world, "supervisor")
    response = client.post(reverse("agreement-activate", kwargs={"pk": agreement.pk}), follow=True)
    assert "is now active" in response.text
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACTIVE


def test_review_and_terminate(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    client = _client(world, "supervisor")
    client.post(reverse("agreement-review", kwargs={"pk": agreement.pk}))
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.UNDER_REVIEW
    # Reviewing twice gives a message, not an error page.
    response = client.post(reverse("agreement-review", kwargs={"pk": agreement.pk}), follow=True)
    assert services.AGREEMENT_NOT_ACTIVE in response.text

    url = reverse("agreement-terminate", kwargs={"pk": agreement.pk})
    before = _snapshot()
    response = client.post(url, {"reason": ""})
    assert "Give the reason for terminating the agreement." in response.text
    assert "There is a problem" in response.text
    assert _snapshot() == before
    response = client.post(url, {"reason": "The project has ended"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason) == (AgreementStatus.TERMINATED, "The project has ended")


def test_amendment_opens_version_two_and_the_earlier_version_stays_readable(world: World) -> None:
    original = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    client = _client(world, "supervisor")
    response = client.post(reverse("agreement-amend", kwargs={"pk": original.pk}))
    amendment = Agreement.objects.get(previous_version=original)
    assert response["Location"] == reverse("agreement-edit", kwargs={"pk": amendment.pk})
    amendment.parties.update(signatory_name="Lead", signed_at=timezone.now())
    client.post(reverse("agreement-activate", kwargs={"pk": amendment.pk}))

    reader = _client(world, "partner_member")
    page = reader.get(reverse("agreement-detail", kwargs={"pk": amendment.pk})).text
    assert reverse("agreement-detail", kwargs={"pk": original.pk}) in page
    old = reader.get(reverse("agreement-detail", kwargs={"pk": original.pk}))
    assert old.status_code == 200
    assert "Superseded by version 2" in old.text
    assert original.purpose in old.text


# --- the signed document --------------------------------------------------------------------------


def test_upload_and_download_of_the_signed_pdf(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    response = _client(world, "supervisor").post(
        reverse("agreement-document-upload", kwargs={"pk": agreement.pk}),
        {"document": SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    response = _client(world, "partner_member").get(reverse("agreement-document", kwargs={"pk": agreement.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(verb="partnerships.agreement.document_downloaded")
    assert event.detail == {"recipient": recipient_of(world.users["partner_member"])}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", services.DOCUMENT_NOT_PDF),
        (PDF + b"0" * services.DOCUMENT_MAX_BYTES, "The file must be smaller than 5 MB."),
        (None, services.DOCUMENT_REQUIRED),
    ],
    ids=["renamed-html", "too-big", "missing"],
)
def test_bad_uploads_are_refused_with_a_message(world: World, content: bytes | None, message: str) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    data = {} if content is None else {"document": SimpleUploadedFile("signed.pdf", content, "application/pdf")}
    response = _client(world, "supervisor").post(
        reverse("agreement-document-upload", kwargs={"pk": agreement.pk}), data
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not Agreement.objects.get(pk=agreement.pk).document


def test_download_is_refused_to_outsiders_and_404_when_there_is_none(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    url = reverse("agreement-document", kwargs={"pk": agreement.pk})
    assert _client(world, "supervisor").get(url).status_code == 404
    agreement.document.save("signed.pdf", ContentFile(PDF))
    assert _client(world, "unrelated_partner").get(url).status_code == 404
    assert _client(world, "partner_lead").get(url).status_code == 200
