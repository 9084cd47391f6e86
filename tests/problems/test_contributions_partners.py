"""Partners contribute through the same services as the force: with a contribute share they add
updates and files and complete the actions assigned to their organisation; with a view share they
read but cannot add; without a share they get 404. Their views are recorded as consultations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from problems.models import ActionStatus, ProblemAttachment, ProblemUpdate
from problems.models.sharing import ShareAccess
from problems.services.contributions import CONSULTED_VERB, problem_update_add
from tests.conftest import World, sign_in
from tests.problems.factories_contributions import attachment, upload
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def test_a_contributing_partner_adds_an_update_in_their_organisations_name(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    client = _client(world, "partner_member")
    response = client.post(
        reverse("problem-update-create", kwargs={"pk": problem.pk}), {"text": "Council fenced the alley."}
    )
    assert response.status_code == 302
    update = ProblemUpdate.objects.get()
    assert update.organisation == world.partner
    page = _client(world, "officer").get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Council fenced the alley." in page
    assert world.partner.name in page


def test_a_contributing_partner_attaches_a_file_and_the_officer_downloads_it(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    response = _client(world, "partner_lead").post(
        reverse("problem-attachment-create", kwargs={"pk": problem.pk}), {"file": upload("survey.pdf")}
    )
    assert response.status_code == 302
    added = ProblemAttachment.objects.get()
    assert added.organisation == world.partner
    download = _client(world, "officer").get(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_view_only_partner_reads_updates_and_files_but_cannot_add(world: World) -> None:
    problem = share(world, access_level=ShareAccess.VIEW).problem
    problem_update_add(actor=world.users["officer"], problem=problem, text="Patrols doubled.")
    added = attachment(problem=problem, actor=world.users["officer"])
    client = _client(world, "partner_member")
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Patrols doubled." in page
    assert "Add an update" not in page
    assert client.get(reverse("problem-attachment-download", kwargs={"pk": added.pk})).status_code == 200
    update_url = reverse("problem-update-create", kwargs={"pk": problem.pk})
    assert client.post(update_url, {"text": "Mine"}).status_code == 403
    assert ProblemUpdate.objects.count() == 1


def test_a_partner_without_a_share_gets_404_for_every_contribution_url(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    added = attachment(problem=problem, actor=world.users["officer"])
    action = ResponseActionFactory(problem=problem, responsible_organisation=world.unrelated)
    client = _client(world, "unrelated_partner")
    assert client.get(reverse("problem-update-create", kwargs={"pk": problem.pk})).status_code == 404
    assert client.get(reverse("problem-attachment-create", kwargs={"pk": problem.pk})).status_code == 404
    assert client.get(reverse("problem-attachment-download", kwargs={"pk": added.pk})).status_code == 404
    assert client.post(reverse("action-complete", kwargs={"pk": action.pk})).status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_a_contributing_partner_completes_the_action_assigned_to_their_organisation(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    theirs = ResponseActionFactory(problem=problem, responsible_organisation=world.partner)
    force_action = ResponseActionFactory(problem=problem, responsible_organisation=world.force)
    client = _client(world, "partner_member")
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Actions assigned to your organisation" in page
    assert reverse("action-complete", kwargs={"pk": theirs.pk}) in page
    assert reverse("action-complete", kwargs={"pk": force_action.pk}) not in page

    assert client.post(reverse("action-complete", kwargs={"pk": theirs.pk})).status_code == 302
    assert client.post(reverse("action-complete", kwargs={"pk": force_action.pk})).status_code == 403
    theirs.refresh_from_db()
    force_action.refresh_from_db()
    assert theirs.status == ActionStatus.DONE
    assert force_action.status == ActionStatus.PLANNED
    event = AuditEvent.objects.get(verb="problems.action.completed")
    assert event.actor_organisation_id == world.partner.pk


def test_the_owner_sees_the_partners_consultation_and_the_share_in_the_panel(world: World) -> None:
    problem = share(world, access_level=ShareAccess.VIEW).problem
    _client(world, "partner_member").get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert AuditEvent.objects.filter(verb=CONSULTED_VERB, actor=world.users["partner_member"]).count() == 1
    page = _client(world, "officer").get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Who has seen or received this problem" in page
    assert world.users["partner_member"].full_name in page
    assert f"Shared with {world.partner.name}" in page


def test_a_partner_does_not_see_the_panel(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    page = _client(world, "partner_lead").get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Who has seen or received this problem" not in page


def test_a_contributing_partner_cannot_record_a_decision(world: World) -> None:
    # A contribute share is for updates, files and the partner's own actions; the decision log is
    # written by the lead organisation's users, who name the partner on a joint decision.
    from problems.models import DecisionLogEntry

    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    response = _client(world, "partner_lead").post(
        reverse("decision-create", kwargs={"pk": problem.pk}),
        {
            "information": "Council CCTV shows the group gathers from 19:00.",
            "threat_and_risk": "Intimidation of shoppers; low risk of serious harm.",
            "powers_and_policy": "Public Spaces Protection Order consultation powers.",
            "options": "Do nothing; patrols; PSPO consultation.",
            "decision_and_action": "Council and police consult on a PSPO together.",
            "code_of_ethics": "Proportionate and fair to people who are street homeless.",
            "is_joint": "on",
            "partner_organisations": [world.partner.pk],
        },
    )
    assert response.status_code == 403
    assert not DecisionLogEntry.objects.filter(problem=problem).exists()


def test_a_view_only_partner_cannot_record_a_decision(world: World) -> None:
    problem = share(world, access_level=ShareAccess.VIEW).problem
    response = _client(world, "partner_lead").get(reverse("decision-create", kwargs={"pk": problem.pk}))
    assert response.status_code == 403


def test_a_contributing_partner_cannot_record_a_police_review(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    client = _client(world, "partner_lead")
    assert client.get(reverse("problem-review", kwargs={"pk": problem.pk})).status_code == 403
    response = client.post(reverse("problem-review", kwargs={"pk": problem.pk}), {"notes": "Looks fine."})
    assert response.status_code == 403
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Record a review" not in page
