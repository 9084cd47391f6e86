"""No lost updates on information-sharing agreements (issue 19): two supervisors editing the same
draft or party, a signature given to a text edited since it was opened, and two lifecycle moves
at once. The first wins; the second is told, keeps what they typed, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.concurrency import EDITED_BY_SOMEONE_ELSE, when
from core.models import AuditEvent
from partnerships.forms.agreements import AgreementForm
from partnerships.models import Agreement, AgreementParty, AgreementStatus
from partnerships.services.agreements.common import AGREEMENT_CHANGED_BEFORE_SIGNING, AGREEMENT_STATUS_CHANGED
from tests.conftest import World, sign_in
from tests.partnerships.factories_agreements import complete_agreement, supervisor_of
from tests.two_editors import escaped, post_data, posted, seen

pytestmark = pytest.mark.django_db


def _clients(world: World) -> tuple[Client, Client, Any]:
    """The force's supervisor, and a second supervisor of the same force (Sam)."""
    sam = supervisor_of(world.force)
    return sign_in(Client(), world.users["supervisor"]), sign_in(Client(), sam), sam


def _draft(world: World, *, signed: bool = False) -> Agreement:
    return complete_agreement(parties=[world.force, world.partner], signed=signed)


def test_the_second_of_two_edits_of_a_draft_is_refused_keeping_what_was_typed(world: World) -> None:
    agreement = _draft(world)
    url = reverse("agreement-edit", kwargs={"pk": agreement.pk})
    first, second, _sam = _clients(world)
    first_saw, second_saw = seen(first.get(url)), seen(second.get(url))
    unchanged = post_data(AgreementForm.initial_for(agreement))

    saved = first.post(url, {**unchanged, "lock_version": first_saw, "purpose": "Purpose as the first saved it"})
    assert saved.status_code == 302
    refused = second.post(url, {**unchanged, "lock_version": second_saw, "purpose": "Purpose as Sam typed it"})

    assert refused.status_code == 200
    event = AuditEvent.objects.get(verb="partnerships.agreement.updated")
    message = EDITED_BY_SOMEONE_ELSE.format(
        name=world.users["supervisor"].full_name, what="agreement", when=when(event.created_at)
    )
    assert escaped(message) in refused.text
    assert "Purpose as Sam typed it" in refused.text
    assert "data-edit-conflict" in refused.text
    assert "Purpose as the first saved it" in refused.text
    agreement.refresh_from_db()
    assert agreement.purpose == "Purpose as the first saved it"
    assert event.actor == world.users["supervisor"]


def test_the_second_of_two_edits_of_a_party_is_refused(world: World) -> None:
    agreement = _draft(world)
    party = agreement.parties.get(organisation=world.partner)
    url = reverse("agreement-party-edit", kwargs={"pk": party.pk})
    first, second, _sam = _clients(world)
    first_saw, second_saw = seen(first.get(url)), seen(second.get(url))
    unchanged = {name: posted(getattr(party, name)) for name in ("controller_role", "lawful_basis", "legal_power")}

    assert (
        first.post(url, {**unchanged, "lock_version": first_saw, "legal_power": "Localism Act 2011 s.1"}).status_code
        == 302
    )
    refused = second.post(url, {**unchanged, "lock_version": second_saw, "legal_power": "Children Act 2004 s.10"})

    assert refused.status_code == 200
    assert "after you opened it" in refused.text
    assert "Children Act 2004 s.10" in refused.text
    party.refresh_from_db()
    assert party.legal_power == "Localism Act 2011 s.1"
    assert AuditEvent.objects.filter(verb="partnerships.agreement_party.updated").count() == 1


def test_a_signature_given_to_a_text_edited_since_it_was_opened_is_refused(world: World) -> None:
    agreement = _draft(world)
    lead = sign_in(Client(), world.users["partner_lead"])
    detail = reverse("agreement-detail", kwargs={"pk": agreement.pk})
    lead_saw = seen(lead.get(detail))
    editor, _second, _sam = _clients(world)
    edit_url = reverse("agreement-edit", kwargs={"pk": agreement.pk})
    edited = editor.post(
        edit_url,
        {
            **post_data(AgreementForm.initial_for(agreement)),
            "lock_version": seen(editor.get(edit_url)),
            "data_items": "Names and addresses of the people reported",
        },
    )
    assert edited.status_code == 302

    party = agreement.parties.get(organisation=world.partner)
    page = lead.post(reverse("agreement-sign", kwargs={"pk": party.pk}), {"lock_version": lead_saw}, follow=True)

    event = AuditEvent.objects.get(verb="partnerships.agreement.updated")
    message = AGREEMENT_CHANGED_BEFORE_SIGNING.format(
        name=world.users["supervisor"].full_name, when=when(event.created_at)
    )
    assert escaped(message) in page.text
    party.refresh_from_db()
    assert party.signed_at is None
    assert not AuditEvent.objects.filter(verb="partnerships.agreement_party.signed").exists()
    # Signed from the page as it is now: accepted.
    lead.post(reverse("agreement-sign", kwargs={"pk": party.pk}), {"lock_version": seen(lead.get(detail))})
    party.refresh_from_db()
    assert party.signed_at is not None


def test_two_terminations_at_once_end_in_one_and_the_second_is_told(world: World) -> None:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    url = reverse("agreement-terminate", kwargs={"pk": agreement.pk})
    first, second, _sam = _clients(world)
    first_saw, second_saw = seen(first.get(url), "seen_status"), seen(second.get(url), "seen_status")

    assert first.post(url, {"seen_status": first_saw, "reason": "The project ended"}).status_code == 302
    refused = second.post(url, {"seen_status": second_saw, "reason": "Superseded by the county agreement"})

    assert refused.status_code == 200
    event = AuditEvent.objects.get(verb="partnerships.agreement.terminated")
    message = AGREEMENT_STATUS_CHANGED.format(
        status="terminated", name=world.users["supervisor"].full_name, when=when(event.created_at)
    )
    assert escaped(message) in refused.text
    assert "Superseded by the county agreement" in refused.text
    agreement.refresh_from_db()
    assert agreement.end_reason == "The project ended"


def test_two_activations_at_once_end_in_one_and_the_second_is_told(world: World) -> None:
    agreement = _draft(world, signed=True)
    detail = reverse("agreement-detail", kwargs={"pk": agreement.pk})
    activate = reverse("agreement-activate", kwargs={"pk": agreement.pk})
    first, second, _sam = _clients(world)
    first_saw, second_saw = seen(first.get(detail), "seen_status"), seen(second.get(detail), "seen_status")

    assert first.post(activate, {"seen_status": first_saw}).status_code == 302
    refused = second.post(activate, {"seen_status": second_saw})

    assert refused.status_code == 200
    assert "This agreement is already active: " in refused.text
    assert AuditEvent.objects.filter(verb="partnerships.agreement.activated").count() == 1
    assert AgreementParty.objects.filter(agreement=agreement, signed_at__isnull=False).count() == 2
