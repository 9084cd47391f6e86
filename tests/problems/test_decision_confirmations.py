"""Joint decisions confirmed by the partners named on them (DESIGN.md section 4): the decision log
is recorded by the police; the lead of a partner organisation named on a joint decision confirms
it for their organisation, once, recorded with their name and the time, as a record of its own
that cannot be changed or removed. Partner members give their views in updates."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.forms.decisions import CONFIRM_NOTE_MAX_LENGTH, CONFIRM_NOTE_TOO_LONG
from problems.models import DecisionConfirmation, DecisionLogEntry
from problems.selectors.decisions import decision_list_awaiting_confirmation_by
from problems.services import decisions as decision_services
from problems.services.decisions import (
    DECISION_CONFIRM_ALREADY,
    DECISION_CONFIRM_CANNOT_SEE,
    DECISION_CONFIRM_MEMBER,
    DECISION_CONFIRM_NOT_NAMED,
    DECISION_CONFIRM_NOT_PARTNER_LEAD,
    decision_confirm,
)
from problems.services.sharing import share_revoke
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.problems.factories_decisions import decision
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

COUNCIL = "Northshire City Council"


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _joint(world: World, *partners: Any, problem: Any = None) -> DecisionLogEntry:
    """A joint decision on a problem shared with the council (view only), naming `partners` (the
    council if none are given)."""
    problem = problem or share(world).problem
    return decision(
        problem=problem,
        author=world.users["officer"],
        is_joint=True,
        partner_organisations=list(partners) or [world.partner],
    )


def _when(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y, H:i")


def _url(entry: DecisionLogEntry) -> str:
    return reverse("decision-confirm", kwargs={"pk": entry.pk})


def _page(world: World, persona: str, entry: DecisionLogEntry) -> str:
    response = _client(world, persona).get(reverse("problem-detail", kwargs={"pk": entry.problem_id}))
    assert response.status_code == 200
    return response.text


# --- The service ---------------------------------------------------------------------------------


def test_a_partner_lead_confirms_a_joint_decision_naming_their_organisation(world: World) -> None:
    entry = _joint(world)
    lead = world.users["partner_lead"]
    before = timezone.now()
    confirmation = decision_confirm(actor=lead, entry=entry, note="  Agreed at the partnership meeting.  ")
    confirmation.refresh_from_db()
    assert confirmation.entry == entry
    assert confirmation.organisation == world.partner
    assert confirmation.confirmed_by == lead
    assert before <= confirmation.confirmed_at <= timezone.now()
    assert confirmation.note == "Agreed at the partnership meeting."
    event = AuditEvent.objects.get(verb="problems.decision.confirmed")
    assert event.actor == lead
    assert event.target_id == str(confirmation.pk)
    assert event.detail == {"problem": entry.problem_id, "entry": entry.pk, "organisation": world.partner.pk}


def test_each_named_organisation_confirms_for_itself(world: World) -> None:
    charity = OrganisationFactory(name="Eastgate Homelessness Project")
    problem = share(world).problem
    share(world, problem, organisation=charity)
    entry = _joint(world, world.partner, charity, problem=problem)
    charity_lead = UserFactory(role=Role.PARTNER_LEAD, organisation=charity)
    decision_confirm(actor=world.users["partner_lead"], entry=entry)
    decision_confirm(actor=charity_lead, entry=entry)
    assert {(c.organisation, c.confirmed_by) for c in entry.confirmations.all()} == {
        (world.partner, world.users["partner_lead"]),
        (charity, charity_lead),
    }


def test_a_partner_member_is_told_to_add_their_views_as_an_update(world: World) -> None:
    entry = _joint(world)
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_MEMBER)):
        decision_confirm(actor=world.users["partner_member"], entry=entry)
    assert "Add your views to the problem as an update." in DECISION_CONFIRM_MEMBER
    assert not DecisionConfirmation.objects.exists()
    assert not AuditEvent.objects.filter(verb="problems.decision.confirmed").exists()


def test_a_lead_of_an_organisation_not_named_cannot_confirm(world: World) -> None:
    # The council sees the problem, but the decision names another partner only.
    entry = _joint(world, OrganisationFactory(name="Eastgate Homelessness Project"))
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_NOT_NAMED)):
        decision_confirm(actor=world.users["partner_lead"], entry=entry)
    assert not DecisionConfirmation.objects.exists()


def test_a_decision_that_is_not_joint_has_nothing_to_confirm(world: World) -> None:
    entry = decision(problem=share(world).problem, author=world.users["officer"])
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_NOT_NAMED)):
        decision_confirm(actor=world.users["partner_lead"], entry=entry)
    assert not DecisionConfirmation.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "supervisor", "analyst"])
def test_the_police_do_not_confirm_joint_decisions(world: World, persona: str) -> None:
    entry = _joint(world)
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_NOT_PARTNER_LEAD)):
        decision_confirm(actor=world.users[persona], entry=entry)
    assert not DecisionConfirmation.objects.exists()


def test_a_second_confirmation_for_the_organisation_is_refused_naming_the_first(world: World) -> None:
    entry = _joint(world)
    first = decision_confirm(actor=world.users["partner_lead"], entry=entry)
    second_lead = UserFactory(role=Role.PARTNER_LEAD, organisation=world.partner)
    expected = DECISION_CONFIRM_ALREADY.format(
        organisation=COUNCIL, name=world.users["partner_lead"].full_name, when=_when(first.confirmed_at)
    )
    for lead in (world.users["partner_lead"], second_lead):
        with pytest.raises(ValidationError) as caught:
            decision_confirm(actor=lead, entry=entry)
        assert caught.value.messages == [expected]
    assert DecisionConfirmation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="problems.decision.confirmed").count() == 1


def test_two_leads_confirming_at_once_record_one_and_the_other_is_told(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both passed the check before either wrote: the unique constraint refuses the second.
    entry = _joint(world)
    first = decision_confirm(actor=world.users["partner_lead"], entry=entry)
    monkeypatch.setattr(decision_services, "_earlier_confirmation", lambda entry, organisation_id: None)
    second_lead = UserFactory(role=Role.PARTNER_LEAD, organisation=world.partner)
    with pytest.raises(ValidationError) as caught:
        decision_confirm(actor=second_lead, entry=entry)
    assert caught.value.messages == [
        DECISION_CONFIRM_ALREADY.format(
            organisation=COUNCIL, name=world.users["partner_lead"].full_name, when=_when(first.confirmed_at)
        )
    ]
    assert list(DecisionConfirmation.objects.all()) == [first]


def test_a_lead_who_can_no_longer_see_the_problem_cannot_confirm(world: World) -> None:
    shared = share(world)
    entry = _joint(world, problem=shared.problem)
    share_revoke(actor=world.users["officer"], share=shared, reason="The work with the council ended.")
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_CANNOT_SEE)):
        decision_confirm(actor=world.users["partner_lead"], entry=entry)
    assert not DecisionConfirmation.objects.exists()


def test_a_named_partner_the_problem_is_not_shared_with_cannot_confirm(world: World) -> None:
    entry = _joint(world, world.unrelated)
    with pytest.raises(PermissionDenied, match=re.escape(DECISION_CONFIRM_CANNOT_SEE)):
        decision_confirm(actor=world.users["unrelated_partner"], entry=entry)
    assert not DecisionConfirmation.objects.exists()


# --- Append-only ---------------------------------------------------------------------------------


def test_a_confirmation_cannot_be_updated_or_deleted_in_the_database(world: World) -> None:
    confirmation = decision_confirm(actor=world.users["partner_lead"], entry=_joint(world))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DecisionConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_by=world.users["partner_member"])
    confirmation.note = "Changed afterwards"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        confirmation.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DecisionConfirmation.objects.filter(pk=confirmation.pk).delete()
    confirmation.refresh_from_db()
    assert confirmation.confirmed_by == world.users["partner_lead"]
    assert confirmation.note == ""


# --- The view and the decision log ---------------------------------------------------------------


def test_the_log_shows_who_has_confirmed_and_who_is_awaited(world: World) -> None:
    charity = OrganisationFactory(name="Eastgate Homelessness Project")
    entry = _joint(world, world.partner, charity)
    confirmation = decision_confirm(actor=world.users["partner_lead"], entry=entry, note="Agreed on 3 March.")
    for persona in ("officer", "partner_member", "partner_lead"):
        text = _page(world, persona, entry)
        lead_name = world.users["partner_lead"].full_name
        assert f"{COUNCIL}: Confirmed by {lead_name} on {_when(confirmation.confirmed_at)}" in text
        assert "Note: Agreed on 3 March." in text
        assert "Awaiting confirmation by Eastgate Homelessness Project" in text


def test_only_the_named_partners_lead_is_offered_the_button(world: World) -> None:
    entry = _joint(world)
    assert "Awaiting confirmation by Northshire City Council" in _page(world, "officer", entry)
    assert "Confirm this joint decision" in _page(world, "partner_lead", entry)
    assert _url(entry) in _page(world, "partner_lead", entry)
    for persona in ("officer", "supervisor", "partner_member"):
        text = _page(world, persona, entry)
        assert "Confirm this joint decision" not in text
        assert _url(entry) not in text


def test_a_partner_lead_confirms_through_the_page(world: World) -> None:
    entry = _joint(world)
    client = _client(world, "partner_lead")
    response = client.post(_url(entry), {"note": "Agreed at the partnership meeting."})
    assert response.status_code == 302
    assert response["Location"] == reverse("problem-detail", kwargs={"pk": entry.problem_id}) + f"#decision-{entry.pk}"
    confirmation = DecisionConfirmation.objects.get()
    assert (confirmation.organisation, confirmation.confirmed_by) == (world.partner, world.users["partner_lead"])
    assert confirmation.note == "Agreed at the partnership meeting."
    text = client.get(response["Location"]).text
    assert f"You confirmed the joint decision for {COUNCIL}." in text
    assert f"Confirmed by {world.users['partner_lead'].full_name} on {_when(confirmation.confirmed_at)}" in text
    assert "Confirm this joint decision" not in text


@pytest.mark.parametrize(
    ("persona", "message"),
    [("partner_member", DECISION_CONFIRM_MEMBER), ("officer", DECISION_CONFIRM_NOT_PARTNER_LEAD)],
)
def test_a_member_and_the_police_get_403_saying_why(world: World, persona: str, message: str) -> None:
    entry = _joint(world)
    response = _client(world, persona).post(_url(entry), {"note": "x" * (CONFIRM_NOTE_MAX_LENGTH + 1)})
    assert response.status_code == 403
    assert message.replace("'", "&#x27;") in response.text
    assert not DecisionConfirmation.objects.exists()


def test_a_lead_of_an_organisation_not_named_gets_403(world: World) -> None:
    entry = _joint(world, OrganisationFactory())
    response = _client(world, "partner_lead").post(_url(entry), {})
    assert response.status_code == 403
    assert DECISION_CONFIRM_NOT_NAMED in response.text
    assert not DecisionConfirmation.objects.exists()


@pytest.mark.parametrize("persona", ["unrelated_partner", "administrator"])
def test_those_who_cannot_see_the_problem_get_404(world: World, persona: str) -> None:
    entry = _joint(world)
    assert _client(world, persona).post(_url(entry), {}).status_code == 404
    assert not DecisionConfirmation.objects.exists()


def test_after_the_share_is_revoked_the_lead_gets_404(world: World) -> None:
    shared = share(world)
    entry = _joint(world, problem=shared.problem)
    share_revoke(actor=world.users["officer"], share=shared, reason="The work with the council ended.")
    assert _client(world, "partner_lead").post(_url(entry), {}).status_code == 404
    assert not DecisionConfirmation.objects.exists()


@pytest.mark.parametrize("pk", [999999, 99999999999999999999])
def test_an_unknown_entry_is_404(world: World, pk: int) -> None:
    assert _client(world, "partner_lead").post(f"/decisions/{pk}/confirm/", {}).status_code == 404


def test_get_is_not_allowed(world: World) -> None:
    assert _client(world, "partner_lead").get(_url(_joint(world))).status_code == 405


def test_a_second_confirmation_shows_the_error_summary_and_changes_nothing(world: World) -> None:
    entry = _joint(world)
    first = decision_confirm(actor=world.users["partner_lead"], entry=entry)
    response = _client(world, "partner_lead").post(_url(entry), {"note": "Again."})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    message = DECISION_CONFIRM_ALREADY.format(
        organisation=COUNCIL, name=world.users["partner_lead"].full_name, when=_when(first.confirmed_at)
    )
    assert message in response.text
    assert list(DecisionConfirmation.objects.all()) == [first]


def test_a_note_too_long_is_shown_in_the_error_summary_kept_and_nothing_recorded(world: World) -> None:
    entry = _joint(world)
    note = "Agreed. " + "x" * CONFIRM_NOTE_MAX_LENGTH
    response = _client(world, "partner_lead").post(_url(entry), {"note": note})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f'href="#decision-{entry.pk}-confirm-note">{CONFIRM_NOTE_TOO_LONG}' in response.text
    assert re.search(rf'<textarea[^>]*id="decision-{entry.pk}-confirm-note"[^>]*>\s*{note}</textarea>', response.text)
    assert not DecisionConfirmation.objects.exists()


def test_the_printable_summary_shows_the_confirmations_without_the_button(world: World) -> None:
    charity = OrganisationFactory(name="Eastgate Homelessness Project")
    entry = _joint(world, world.partner, charity)
    confirmation = decision_confirm(actor=world.users["partner_lead"], entry=entry)
    text = _client(world, "partner_lead").get(reverse("problem-summary", kwargs={"pk": entry.problem_id})).text
    assert f"Confirmed by {world.users['partner_lead'].full_name} on {_when(confirmation.confirmed_at)}" in text
    assert "Awaiting confirmation by Eastgate Homelessness Project" in text
    assert "Confirm this joint decision" not in text


# --- The partner lead's home page ----------------------------------------------------------------


def test_the_lead_sees_the_joint_decisions_awaiting_their_organisations_confirmation(world: World) -> None:
    waiting = _joint(world)
    confirmed = _joint(world)
    decision_confirm(actor=world.users["partner_lead"], entry=confirmed)
    _joint(world, OrganisationFactory())  # names another partner only
    decision(problem=share(world).problem, author=world.users["officer"])  # not joint
    revoked = share(world)
    _joint(world, problem=revoked.problem)
    share_revoke(actor=world.users["officer"], share=revoked, reason="Ended.")
    assert list(decision_list_awaiting_confirmation_by(user=world.users["partner_lead"])) == [waiting]
    text = _client(world, "partner_lead").get(reverse("home")).text
    panel = text.split("data-decisions-to-confirm", 1)[1].split("</ul>", 1)[0]
    assert f"#decision-{waiting.pk}" in panel
    assert waiting.problem.reference in panel
    assert f"#decision-{confirmed.pk}" not in panel


@pytest.mark.parametrize("persona", ["partner_member", "officer"])
def test_only_a_partner_lead_has_decisions_to_confirm(world: World, persona: str) -> None:
    _joint(world)
    assert not decision_list_awaiting_confirmation_by(user=world.users[persona]).exists()
    assert "Joint decisions to confirm" not in _client(world, persona).get(reverse("home")).text


def test_the_lead_home_says_plainly_when_nothing_awaits_confirmation(world: World) -> None:
    text = _client(world, "partner_lead").get(reverse("home")).text
    assert "No joint decision is waiting for your organisation's confirmation." in text
