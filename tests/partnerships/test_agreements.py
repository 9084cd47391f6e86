"""Information-sharing agreement services: drafting with a reference, signatures by each party's
lead, activation only when complete (each missing item named), review, termination, expiry,
amendment as a new version, and the signed PDF."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from partnerships.models import Agreement, AgreementParty, AgreementStatus, LawfulBasis
from partnerships.selectors import agreements as selectors
from partnerships.services import agreements as services
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_agreements import category, complete_agreement, lead_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _draft(world: World, **fields: object) -> Agreement:
    return services.agreement_create_draft(
        actor=world.users["supervisor"], title="ASB data", parties=[world.force, world.partner], **fields
    )


# --- drafting -------------------------------------------------------------------------------------


def test_draft_gets_the_next_reference_of_the_year_and_is_audited(world: World) -> None:
    first = _draft(world)
    second = _draft(world)
    year = TODAY().year
    assert first.reference == f"ISA-{year}-0001"
    assert second.reference == f"ISA-{year}-0002"
    assert (first.version, first.status, first.created_by) == (1, AgreementStatus.DRAFT, world.users["supervisor"])
    assert set(first.parties.values_list("organisation", flat=True)) == {world.force.pk, world.partner.pk}
    event = AuditEvent.objects.get(verb="partnerships.agreement.created", target_id=str(first.pk))
    assert event.actor == world.users["supervisor"]
    assert event.detail["reference"] == first.reference


def test_a_taken_reference_is_skipped_not_duplicated(world: World) -> None:
    # Another transaction committed ISA-<year>-0001 first: the draft takes the next free number.
    year = TODAY().year
    complete_agreement(parties=[world.force], reference=f"ISA-{year}-0001")
    complete_agreement(parties=[world.force], reference=f"ISA-{year}-0003")
    assert _draft(world).reference == f"ISA-{year}-0004"


def test_draft_needs_a_title(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.agreement_create_draft(actor=world.users["supervisor"], title="  ", parties=[world.force])
    assert error.value.message_dict == {"title": [services.AGREEMENT_TITLE_REQUIRED]}
    assert not Agreement.objects.exists()


def test_expiry_must_be_after_start(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _draft(world, start_date=datetime.date(2026, 5, 1), expiry_date=datetime.date(2026, 5, 1))
    assert error.value.message_dict == {"expiry_date": [services.AGREEMENT_EXPIRY_NOT_AFTER_START]}


def test_update_changes_a_draft_and_clears_signatures(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], created_by=world.users["supervisor"])
    services.agreement_update(
        actor=world.users["supervisor"],
        agreement=agreement,
        purpose="A new purpose.",
        data_categories=[category("asb-reports"), category("location-data")],
    )
    agreement.refresh_from_db()
    assert agreement.purpose == "A new purpose."
    assert not agreement.parties.filter(signed_at__isnull=False).exists()
    event = AuditEvent.objects.get(verb="partnerships.agreement.updated")
    assert event.detail["purpose"]["after"] == "A new purpose."
    assert event.detail["signatures_cleared"] == 2


def test_update_without_a_change_keeps_signatures(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    services.agreement_update(actor=world.users["supervisor"], agreement=agreement, purpose=agreement.purpose)
    assert agreement.parties.filter(signed_at__isnull=False).count() == 2
    assert not AuditEvent.objects.filter(verb="partnerships.agreement.updated").exists()


def test_update_adds_and_removes_parties(world: World) -> None:
    agreement = _draft(world)
    services.agreement_update(
        actor=world.users["supervisor"], agreement=agreement, parties=[world.force, world.unrelated]
    )
    assert set(agreement.parties.values_list("organisation", flat=True)) == {world.force.pk, world.unrelated.pk}


def test_an_active_agreement_is_not_edited_but_amended(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.agreement_update(actor=world.users["supervisor"], agreement=agreement, purpose="Changed")
    assert error.value.messages == [services.AGREEMENT_NOT_DRAFT]
    agreement.refresh_from_db()
    assert agreement.purpose != "Changed"


def test_party_update_sets_role_basis_power_and_clears_signatures(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    party = agreement.parties.get(organisation=world.partner)
    services.agreement_party_update(
        actor=world.users["supervisor"],
        party=party,
        controller_role="joint",
        lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
        legal_power="Housing Act 1996",
    )
    party.refresh_from_db()
    assert (party.controller_role, party.lawful_basis, party.legal_power) == (
        "joint",
        LawfulBasis.LEGAL_OBLIGATION,
        "Housing Act 1996",
    )
    assert not agreement.parties.filter(signed_at__isnull=False).exists()
    assert AuditEvent.objects.filter(verb="partnerships.agreement_party.updated", target_id=str(party.pk)).exists()


def test_party_update_refuses_an_unknown_basis(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    with pytest.raises(ValidationError) as error:
        services.agreement_party_update(actor=world.users["supervisor"], party=party, lawful_basis="because")
    assert error.value.message_dict == {"lawful_basis": [services.PARTY_LAWFUL_BASIS_INVALID]}


# --- signing --------------------------------------------------------------------------------------


def test_partner_lead_signs_for_their_organisation(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    lead = world.users["partner_lead"]
    services.agreement_sign(actor=lead, party=party)
    party.refresh_from_db()
    assert party.signed_by == lead
    assert party.signatory_name == lead.full_name
    assert party.signed_at is not None
    event = AuditEvent.objects.get(verb="partnerships.agreement_party.signed")
    assert event.actor == lead


def test_supervisor_signs_for_the_police_force(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.force)
    services.agreement_sign(actor=world.users["supervisor"], party=party)
    assert AgreementParty.objects.get(pk=party.pk).signatory_name == world.users["supervisor"].full_name


@pytest.mark.parametrize("persona", ["partner_member", "supervisor", "officer", "administrator", "unrelated_partner"])
def test_only_the_partys_own_lead_may_sign(world: World, persona: str) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=world.users[persona], party=party)
    assert not AgreementParty.objects.get(pk=party.pk).is_signed


def test_signing_twice_is_refused_with_a_message(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    party = agreement.parties.get(organisation=world.partner)
    services.agreement_sign(actor=world.users["partner_lead"], party=party)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(actor=world.users["partner_lead"], party=party)
    assert error.value.messages[0].startswith(f"{world.partner.name} has already signed this agreement")


def test_an_active_agreement_cannot_be_signed(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, signed=False)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            actor=world.users["partner_lead"], party=agreement.parties.get(organisation=world.partner)
        )
    assert error.value.messages == [services.PARTY_SIGN_NOT_DRAFT]


# --- activation: every required item, one at a time ---------------------------------------------


def _blank(field: str, value: object = "") -> Callable[[Agreement, World], None]:
    def apply(agreement: Agreement, world: World) -> None:
        Agreement.objects.filter(pk=agreement.pk).update(**{field: value})

    return apply


def _council_party(field: str, value: object = "") -> Callable[[Agreement, World], None]:
    def apply(agreement: Agreement, world: World) -> None:
        agreement.parties.filter(organisation=world.partner).update(**{field: value})

    return apply


def _drop_council(agreement: Agreement, world: World) -> None:
    agreement.parties.filter(organisation=world.partner).delete()


def _no_categories(agreement: Agreement, world: World) -> None:
    agreement.data_categories.clear()


def _special_category_without_conditions(code: str) -> Callable[[Agreement, World], None]:
    def apply(agreement: Agreement, world: World) -> None:
        agreement.data_categories.add(category(code))
        Agreement.objects.filter(pk=agreement.pk).update(special_category_conditions="")

    return apply


def _expiry_on_start(agreement: Agreement, world: World) -> None:
    Agreement.objects.filter(pk=agreement.pk).update(expiry_date=agreement.start_date)


COUNCIL = "Northshire City Council"
MISSING_ONE = [
    ("purpose", _blank("purpose"), selectors.MISSING_PURPOSE),
    ("parties", _drop_council, selectors.MISSING_PARTIES),
    ("data_categories", _no_categories, selectors.MISSING_DATA_CATEGORIES),
    ("data_items", _blank("data_items"), selectors.MISSING_DATA_ITEMS),
    (
        "controller_role",
        _council_party("controller_role"),
        selectors.MISSING_CONTROLLER_ROLE.format(organisation=COUNCIL),
    ),
    ("lawful_basis", _council_party("lawful_basis"), selectors.MISSING_LAWFUL_BASIS.format(organisation=COUNCIL)),
    ("legal_power", _council_party("legal_power", "  "), selectors.MISSING_LEGAL_POWER.format(organisation=COUNCIL)),
    (
        "special_category_conditions",
        _special_category_without_conditions("health"),
        selectors.MISSING_SPECIAL_CATEGORY_CONDITIONS.format(categories="Health information"),
    ),
    (
        "criminal_offence_conditions",
        _special_category_without_conditions("offending-history"),
        selectors.MISSING_SPECIAL_CATEGORY_CONDITIONS.format(categories="Offences, allegations and convictions"),
    ),
    (
        "part3_conditions",
        _blank("part3_conditions"),
        selectors.MISSING_PART3_CONDITIONS.format(organisations="Northshire Police"),
    ),
    ("dpia_reference", _blank("dpia_reference"), selectors.MISSING_DPIA_REFERENCE),
    ("retention_and_deletion", _blank("retention_and_deletion"), selectors.MISSING_RETENTION),
    ("security_measures", _blank("security_measures"), selectors.MISSING_SECURITY),
    ("individuals_rights", _blank("individuals_rights"), selectors.MISSING_INDIVIDUALS_RIGHTS),
    ("subject_access_contact", _blank("subject_access_contact"), selectors.MISSING_SUBJECT_ACCESS_CONTACT),
    ("sharing_frequency", _blank("sharing_frequency"), selectors.MISSING_SHARING_FREQUENCY),
    ("start_date", _blank("start_date", None), selectors.MISSING_START_DATE),
    ("review_date", _blank("review_date", None), selectors.MISSING_REVIEW_DATE),
    ("expiry_date", _blank("expiry_date", None), selectors.MISSING_EXPIRY_DATE),
    ("expiry_after_start", _expiry_on_start, selectors.MISSING_EXPIRY_AFTER_START),
    ("signature", _council_party("signed_at", None), selectors.MISSING_SIGNATURE.format(organisation=COUNCIL)),
]


def test_a_complete_signed_draft_activates(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    assert selectors.agreement_missing_items(agreement) == []
    services.agreement_activate(actor=world.users["supervisor"], agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.activated_at is not None
    assert AuditEvent.objects.filter(verb="partnerships.agreement.activated", target_id=str(agreement.pk)).exists()


@pytest.mark.parametrize(("item", "remove", "message"), MISSING_ONE, ids=[case[0] for case in MISSING_ONE])
def test_activation_is_refused_when_one_required_item_is_missing(
    world: World, item: str, remove: Callable[[Agreement, World], None], message: str
) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    remove(agreement, world)
    with pytest.raises(ValidationError) as error:
        services.agreement_activate(actor=world.users["supervisor"], agreement=agreement)
    assert error.value.messages == [services.AGREEMENT_CANNOT_ACTIVATE.format(count=1), message]
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT
    assert not AuditEvent.objects.filter(verb="partnerships.agreement.activated").exists()


def test_activation_names_every_missing_item_at_once(world: World) -> None:
    agreement = services.agreement_create_draft(actor=world.users["supervisor"], title="Bare", parties=[world.force])
    with pytest.raises(ValidationError) as error:
        services.agreement_activate(actor=world.users["supervisor"], agreement=agreement)
    messages = error.value.messages
    for expected in (
        selectors.MISSING_PURPOSE,
        selectors.MISSING_PARTIES,
        selectors.MISSING_DPIA_REFERENCE,
        selectors.MISSING_LAWFUL_BASIS.format(organisation=world.force.name),
        selectors.MISSING_SIGNATURE.format(organisation=world.force.name),
    ):
        assert expected in messages
    assert messages[0] == services.AGREEMENT_CANNOT_ACTIVATE.format(count=len(messages) - 1)


def test_part3_conditions_are_needed_only_for_law_enforcement_processing(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], part3_conditions="")
    agreement.parties.update(lawful_basis=LawfulBasis.PUBLIC_TASK)
    assert selectors.agreement_missing_items(agreement) == []


# --- review, termination, expiry ----------------------------------------------------------------


def test_review_keeps_the_agreement_in_force(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    services.agreement_start_review(actor=world.users["supervisor"], agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.UNDER_REVIEW
    covering = selectors.agreement_covering(
        owner=world.force, partner=world.partner, categories=[category("asb-reports")], on_date=TODAY()
    )
    assert covering == agreement


def test_only_an_active_agreement_goes_under_review(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    with pytest.raises(ValidationError) as error:
        services.agreement_start_review(actor=world.users["supervisor"], agreement=agreement)
    assert error.value.messages == [services.AGREEMENT_NOT_ACTIVE]


def test_terminate_needs_a_reason_and_records_it(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.agreement_terminate(actor=world.users["supervisor"], agreement=agreement, reason=" ")
    assert error.value.message_dict == {"reason": [services.AGREEMENT_END_REASON_REQUIRED]}
    services.agreement_terminate(actor=world.users["supervisor"], agreement=agreement, reason="Project closed")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason) == (AgreementStatus.TERMINATED, "Project closed")
    assert agreement.ended_at is not None
    with pytest.raises(ValidationError):
        services.agreement_terminate(actor=world.users["supervisor"], agreement=agreement, reason="Again")


def test_expiry_sweep_ends_lapsed_agreements_once(world: World) -> None:
    today = TODAY()
    lapsed = complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        start_date=today - datetime.timedelta(days=400),
        expiry_date=today - datetime.timedelta(days=1),
        review_date=today - datetime.timedelta(days=100),
    )
    reviewing = complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.UNDER_REVIEW,
        start_date=today - datetime.timedelta(days=400),
        expiry_date=today - datetime.timedelta(days=2),
        review_date=today - datetime.timedelta(days=100),
    )
    current = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    ends_today = complete_agreement(
        parties=[world.force, world.partner], status=AgreementStatus.ACTIVE, expiry_date=today
    )
    draft = complete_agreement(
        parties=[world.force, world.partner],
        start_date=today - datetime.timedelta(days=400),
        expiry_date=today - datetime.timedelta(days=1),
        review_date=today - datetime.timedelta(days=100),
    )
    assert services.agreements_expire_lapsed(on_date=today) == 2
    assert services.agreements_expire_lapsed(on_date=today) == 0
    statuses = dict(Agreement.objects.values_list("pk", "status"))
    assert statuses[lapsed.pk] == statuses[reviewing.pk] == AgreementStatus.EXPIRED
    assert statuses[current.pk] == statuses[ends_today.pk] == AgreementStatus.ACTIVE
    assert statuses[draft.pk] == AgreementStatus.DRAFT
    assert AuditEvent.objects.filter(verb="partnerships.agreement.expired").count() == 2


# --- amendment ------------------------------------------------------------------------------------


def test_amendment_copies_everything_but_signatures_and_supersedes_on_activation(world: World) -> None:
    supervisor = world.users["supervisor"]
    original = complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        categories=[category("asb-reports"), category("health")],
    )
    amendment = services.agreement_amend(actor=supervisor, agreement=original)
    assert (amendment.reference, amendment.version, amendment.status) == (original.reference, 2, AgreementStatus.DRAFT)
    assert amendment.previous_version == original
    assert amendment.purpose == original.purpose
    assert set(amendment.data_categories.all()) == set(original.data_categories.all())
    copied = {p.organisation_id: p for p in amendment.parties.all()}
    assert set(copied) == {world.force.pk, world.partner.pk}
    assert all(not p.is_signed and p.signed_by is None and p.signatory_name == "" for p in copied.values())
    assert copied[world.force.pk].lawful_basis == LawfulBasis.LAW_ENFORCEMENT
    # The earlier version stays in force until the amendment is activated.
    assert Agreement.objects.get(pk=original.pk).status == AgreementStatus.ACTIVE
    with pytest.raises(ValidationError) as error:
        services.agreement_amend(actor=supervisor, agreement=original)
    assert error.value.messages == [services.AGREEMENT_ALREADY_AMENDED.format(version=2)]

    services.agreement_sign(actor=supervisor, party=copied[world.force.pk])
    services.agreement_sign(actor=world.users["partner_lead"], party=copied[world.partner.pk])
    services.agreement_activate(actor=supervisor, agreement=amendment)
    original.refresh_from_db()
    assert original.status == AgreementStatus.TERMINATED
    assert original.end_reason == "Superseded by version 2"
    assert Agreement.objects.get(pk=amendment.pk).status == AgreementStatus.ACTIVE


def test_a_draft_or_ended_agreement_is_not_amended(world: World) -> None:
    for status in (AgreementStatus.DRAFT, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        agreement = complete_agreement(parties=[world.force, world.partner], status=status)
        with pytest.raises(ValidationError) as error:
            services.agreement_amend(actor=world.users["supervisor"], agreement=agreement)
        assert error.value.messages == [services.AGREEMENT_CANNOT_AMEND]


# --- the signed document --------------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def test_a_pdf_is_attached_and_audited(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    services.agreement_attach_document(actor=world.users["supervisor"], agreement=agreement, uploaded_file=upload)
    agreement.refresh_from_db()
    assert re.fullmatch(rf"agreements/{agreement.reference}-v1(_\w+)?\.pdf", agreement.document.name)
    with agreement.document.open("rb") as handle:
        assert handle.read() == PDF
    assert AuditEvent.objects.filter(verb="partnerships.agreement.document_attached").exists()


def test_a_non_pdf_renamed_pdf_is_refused(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    upload = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.agreement_attach_document(actor=world.users["supervisor"], agreement=agreement, uploaded_file=upload)
    assert error.value.message_dict == {"document": [services.DOCUMENT_NOT_PDF]}
    assert not Agreement.objects.get(pk=agreement.pk).document


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A PDF that is also a web page (outside security test, issue 15 item 9).
        ("signed.pdf", PDF + b"<html><script>alert(document.cookie)</script></html>", "also"),
        # A PDF whose name says otherwise.
        ("signed.exe", PDF, "must end in .pdf"),
    ],
)
def test_a_pdf_that_is_also_something_else_or_misnamed_is_refused(
    world: World, name: str, content: bytes, message: str
) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.agreement_attach_document(actor=world.users["supervisor"], agreement=agreement, uploaded_file=upload)
    assert message in " ".join(error.value.message_dict["document"])
    assert not Agreement.objects.get(pk=agreement.pk).document


def test_a_pdf_over_5_mb_is_refused(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * services.DOCUMENT_MAX_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.agreement_attach_document(actor=world.users["supervisor"], agreement=agreement, uploaded_file=big)
    assert error.value.message_dict == {"document": [services.DOCUMENT_TOO_BIG.format(size="5.0 MB")]}
    assert not Agreement.objects.get(pk=agreement.pk).document


def test_an_empty_file_is_refused(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner])
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.agreement_attach_document(actor=world.users["supervisor"], agreement=agreement, uploaded_file=empty)
    assert error.value.message_dict == {"document": [services.DOCUMENT_EMPTY]}


# --- predicates -----------------------------------------------------------------------------------


def test_can_sign_is_the_lead_of_the_partys_organisation(world: World) -> None:
    other_force = OrganisationFactory(name="Southshire Police", kind="police_force")
    agreement = complete_agreement(parties=[world.force, world.partner, other_force], signed=False)
    parties = {p.organisation_id: p for p in agreement.parties.all()}
    assert selectors.can_sign(world.users["partner_lead"], parties[world.partner.pk])
    assert not selectors.can_sign(world.users["partner_lead"], parties[world.force.pk])
    assert selectors.can_sign(world.users["supervisor"], parties[world.force.pk])
    assert not selectors.can_sign(world.users["supervisor"], parties[other_force.pk])
    assert selectors.can_sign(lead_of(other_force), parties[other_force.pk])
    assert not selectors.can_sign(UserFactory(role=Role.OFFICER, organisation=world.force), parties[world.force.pk])


def test_an_abandoned_amendment_does_not_block_a_new_one(world: World) -> None:
    supervisor = world.users["supervisor"]
    original = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    first = services.agreement_amend(actor=supervisor, agreement=original)
    with pytest.raises(ValidationError) as error:
        services.agreement_amend(actor=supervisor, agreement=original)
    assert error.value.messages == [services.AGREEMENT_ALREADY_AMENDED.format(version=2)]

    services.agreement_terminate(actor=supervisor, agreement=first, reason="Started in error")
    second = services.agreement_amend(actor=supervisor, agreement=original)
    assert (second.version, second.previous_version) == (3, original)
    original.refresh_from_db()
    assert original.status == AgreementStatus.ACTIVE
