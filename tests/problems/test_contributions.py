"""What contributors add to a problem: updates, attachments (checked by content, stored under
generated names, downloaded only through a permission-checked view) and completing the actions
assigned to their organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.audit import recipient_of
from core.models import AuditEvent
from partnerships.models import Organisation
from problems.models import ActionStatus, ProblemAttachment, ProblemUpdate
from problems.selectors.contributions import actions_for_organisation
from problems.services.contributions import (
    ACTION_ALREADY_FINISHED,
    ACTION_NOT_YOUR_ORGANISATION,
    ATTACHMENT_EMPTY,
    ATTACHMENT_FILE_REQUIRED,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TOO_BIG,
    ATTACHMENT_TYPE_NOT_ALLOWED,
    CONSULTED_VERB,
    NOT_CONTRIBUTOR,
    UPDATE_TEXT_REQUIRED,
    UPDATE_TEXT_TOO_LONG,
    action_complete_by_partner,
    attachment_content_type,
    problem_attachment_add,
    problem_consulted,
    problem_update_add,
)
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_contributions import (
    PDF_BYTES,
    PNG_BYTES,
    attachment,
    docx_bytes,
    plain_zip_bytes,
    upload,
)
from tests.problems.factories_sara import ResponseActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _problem(world: World, **kwargs: Any) -> Any:
    return ProblemFactory(force=world.force, owner=world.users["officer"], **kwargs)


# --- updates: the service -----------------------------------------------------------------------


def test_adding_an_update_keeps_author_organisation_and_text_and_is_audited(world: World) -> None:
    problem = _problem(world)
    update = problem_update_add(actor=world.users["supervisor"], problem=problem, text="  Lights fixed.  ")
    update.refresh_from_db()
    assert update.text == "Lights fixed."
    assert update.author == world.users["supervisor"]
    assert update.organisation == world.force
    event = AuditEvent.objects.get(verb="problems.update.added")
    assert event.target_id == str(update.pk)
    assert event.detail["problem"] == problem.pk


@pytest.mark.parametrize(("text", "message"), [("   ", UPDATE_TEXT_REQUIRED), ("x" * 5001, UPDATE_TEXT_TOO_LONG)])
def test_an_empty_or_too_long_update_is_refused(world: World, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        problem_update_add(actor=world.users["officer"], problem=_problem(world), text=text)
    assert caught.value.message_dict == {"text": [message]}
    assert not ProblemUpdate.objects.exists()


def test_an_update_of_exactly_5000_characters_is_accepted(world: World) -> None:
    update = problem_update_add(actor=world.users["officer"], problem=_problem(world), text="x" * 5000)
    assert len(update.text) == 5000


def test_an_analyst_cannot_add_an_update(world: World) -> None:
    with pytest.raises(PermissionDenied, match=NOT_CONTRIBUTOR):
        problem_update_add(actor=world.users["analyst"], problem=_problem(world), text="Seen it.")
    assert not ProblemUpdate.objects.exists()


# --- updates: the views -------------------------------------------------------------------------


def test_an_officer_adds_an_update_and_sees_it_on_the_problem_page(world: World) -> None:
    problem = _problem(world)
    client = _client(world, "officer")
    url = reverse("problem-update-create", kwargs={"pk": problem.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Met the landlord; CCTV agreed."})
    assert response.status_code == 302
    assert response["Location"] == reverse("problem-detail", kwargs={"pk": problem.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Met the landlord; CCTV agreed." in page
    assert world.users["officer"].full_name in page
    assert "Add an update" in page


def test_an_empty_update_shows_the_error_summary_and_saves_nothing(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(reverse("problem-update-create", kwargs={"pk": problem.pk}), {"text": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert UPDATE_TEXT_REQUIRED in content
    assert not ProblemUpdate.objects.exists()


def test_a_too_long_update_keeps_what_was_typed(world: World) -> None:
    problem = _problem(world)
    text = "A long story. " * 400
    response = _client(world, "officer").post(
        reverse("problem-update-create", kwargs={"pk": problem.pk}), {"text": text}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert UPDATE_TEXT_TOO_LONG in content
    assert "A long story. A long story." in content
    assert not ProblemUpdate.objects.exists()


def test_the_analyst_sees_updates_but_no_link_to_add_one(world: World) -> None:
    problem = _problem(world)
    problem_update_add(actor=world.users["officer"], problem=problem, text="Patrols doubled.")
    page = _client(world, "analyst").get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert "Patrols doubled." in page
    assert reverse("problem-update-create", kwargs={"pk": problem.pk}) not in page
    response = _client(world, "analyst").post(
        reverse("problem-update-create", kwargs={"pk": problem.pk}), {"text": "Mine"}
    )
    assert response.status_code == 403
    assert ProblemUpdate.objects.count() == 1


def test_an_outsider_gets_404_on_the_update_form(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "partner_member").post(
        reverse("problem-update-create", kwargs={"pk": problem.pk}), {"text": "Hello"}
    )
    assert response.status_code == 404
    assert not ProblemUpdate.objects.exists()


# --- attachments: the content check -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "image/gif"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/vnd.ms-office"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (plain_zip_bytes(), None),
        (b"PK\x03\x04 not really a zip", None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"MZ\x90\x00 an executable", None),
    ],
)
def test_the_type_is_judged_by_content(content: bytes, expected: str | None) -> None:
    assert attachment_content_type(upload("anything.pdf", content)) == expected


# --- attachments: the service -------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_generated_name_outside_the_static_root_and_audited(world: World) -> None:
    problem = _problem(world)
    added = attachment(problem=problem, actor=world.users["officer"], description="Survey")
    added.refresh_from_db()
    assert added.original_name == "report.pdf"
    assert added.content_type == "application/pdf"
    assert added.size == len(PDF_BYTES)
    assert added.organisation == world.force
    assert "report" not in added.file.name
    assert added.file.name.startswith(f"problem-attachments/{problem.pk}/")
    path = Path(added.file.path)
    assert path.read_bytes() == PDF_BYTES
    assert Path(django_settings.STATIC_ROOT) not in path.parents
    event = AuditEvent.objects.get(verb="problems.attachment.added")
    assert event.detail["original_name"] == "report.pdf"


def test_a_renamed_file_that_is_not_a_pdf_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        problem_attachment_add(
            actor=world.users["officer"],
            problem=_problem(world),
            uploaded_file=upload("invoice.pdf", b"#!/bin/sh\nrm -rf /\n"),
        )
    assert caught.value.message_dict == {"file": [ATTACHMENT_TYPE_NOT_ALLOWED]}
    assert not ProblemAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(world: World) -> None:
    big = PDF_BYTES + b"0" * (ATTACHMENT_MAX_BYTES + 1 - len(PDF_BYTES))
    with pytest.raises(ValidationError) as caught:
        problem_attachment_add(actor=world.users["officer"], problem=_problem(world), uploaded_file=upload(content=big))
    assert caught.value.message_dict == {"file": [ATTACHMENT_TOO_BIG]}
    assert not ProblemAttachment.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(world: World) -> None:
    exact = PDF_BYTES + b"0" * (ATTACHMENT_MAX_BYTES - len(PDF_BYTES))
    added = problem_attachment_add(
        actor=world.users["officer"], problem=_problem(world), uploaded_file=upload(content=exact)
    )
    assert added.size == ATTACHMENT_MAX_BYTES


def test_an_empty_file_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        problem_attachment_add(actor=world.users["officer"], problem=_problem(world), uploaded_file=upload(content=b""))
    assert caught.value.message_dict == {"file": [ATTACHMENT_EMPTY]}


def test_a_word_document_is_accepted(world: World) -> None:
    added = problem_attachment_add(
        actor=world.users["officer"],
        problem=_problem(world),
        uploaded_file=upload("minutes.docx", docx_bytes(), "application/octet-stream"),
    )
    assert added.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_analyst_cannot_attach_a_file(world: World) -> None:
    with pytest.raises(PermissionDenied):
        attachment(problem=_problem(world), actor=world.users["analyst"])
    assert not ProblemAttachment.objects.exists()


# --- attachments: the views ---------------------------------------------------------------------


def test_an_officer_uploads_a_file_and_it_is_listed_on_the_problem_page(world: World) -> None:
    problem = _problem(world)
    client = _client(world, "officer")
    url = reverse("problem-attachment-create", kwargs={"pk": problem.pk})
    form_page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form_page
    response = client.post(url, {"file": upload("plan.pdf"), "description": "The plan"})
    assert response.status_code == 302
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    added = ProblemAttachment.objects.get()
    assert "plan.pdf" in page
    assert reverse("problem-attachment-download", kwargs={"pk": added.pk}) in page


def test_a_refused_upload_shows_the_error_summary_keeps_the_description_and_saves_nothing(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("problem-attachment-create", kwargs={"pk": problem.pk}),
        {"file": upload("notes.pdf", b"plain text really"), "description": "My typed description"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert ATTACHMENT_TYPE_NOT_ALLOWED in content
    assert "My typed description" in content
    assert not ProblemAttachment.objects.exists()


def test_an_upload_without_a_file_is_refused(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("problem-attachment-create", kwargs={"pk": problem.pk}), {"description": "Nothing"}
    )
    assert response.status_code == 200
    assert ATTACHMENT_FILE_REQUIRED in response.content.decode()
    assert not ProblemAttachment.objects.exists()


def test_download_is_an_attachment_with_the_original_name_stored_type_and_nosniff(world: World) -> None:
    problem = _problem(world)
    added = attachment(problem=problem, actor=world.users["officer"], uploaded_file=upload("Ward plan.png", PNG_BYTES))
    response = _client(world, "analyst").get(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Ward plan.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG_BYTES  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(verb=CONSULTED_VERB)
    assert event.detail == {
        "how": "attachment",
        "attachment": added.pk,
        "original_name": "Ward plan.png",
        # A downloaded copy leaves the system: the event names who received it (DPA 2018 s.62).
        "recipient": recipient_of(world.users["analyst"]),
    }
    assert event.target_id == str(problem.pk)


@pytest.mark.parametrize("persona", ["partner_member", "unrelated_partner", "administrator"])
def test_an_outsider_gets_404_on_download_and_nothing_is_recorded(world: World, persona: str) -> None:
    added = attachment(problem=_problem(world), actor=world.users["officer"])
    response = _client(world, persona).get(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=CONSULTED_VERB).exists()


def test_download_of_a_restricted_problems_file_is_404_for_an_officer_not_named(world: World) -> None:
    colleague = UserFactory(email="colleague@police.test", role=Role.OFFICER, organisation=world.force)
    added = attachment(problem=_problem(world, restricted=True), actor=world.users["officer"])
    response = sign_in(Client(), colleague).get(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("pk", [999_999, 2**63])
def test_download_of_a_missing_or_absurd_id_is_404(world: World, pk: int) -> None:
    response = _client(world, "officer").get(f"/attachments/{pk}/")
    assert response.status_code == 404


def test_download_refuses_post(world: World) -> None:
    added = attachment(problem=_problem(world), actor=world.users["officer"])
    response = _client(world, "officer").post(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert response.status_code == 405


# --- completing an action assigned to your organisation -----------------------------------------


def _action(world: World, organisation: Organisation | None = None, **kwargs: Any) -> Any:
    return ResponseActionFactory(
        problem=_problem(world), responsible_organisation=organisation or world.force, **kwargs
    )


def test_a_contributor_of_the_responsible_organisation_completes_the_action(world: World) -> None:
    colleague = UserFactory(email="colleague@police.test", role=Role.OFFICER, organisation=world.force)
    action = _action(world)
    action_complete_by_partner(actor=colleague, action=action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_at is not None
    event = AuditEvent.objects.get(verb="problems.action.completed")
    assert event.target_id == str(action.pk)
    assert event.actor == colleague


def test_an_action_of_another_organisation_cannot_be_completed(world: World) -> None:
    action = _action(world, organisation=world.partner)
    with pytest.raises(PermissionDenied, match=ACTION_NOT_YOUR_ORGANISATION):
        action_complete_by_partner(actor=world.users["officer"], action=action)
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_an_analyst_of_the_responsible_organisation_cannot_complete_it(world: World) -> None:
    action = _action(world)
    with pytest.raises(PermissionDenied, match=NOT_CONTRIBUTOR):
        action_complete_by_partner(actor=world.users["analyst"], action=action)


def test_a_cancelled_action_cannot_be_completed(world: World) -> None:
    action = _action(world, status=ActionStatus.CANCELLED, cancel_reason="No longer needed")
    with pytest.raises(ValidationError, match=ACTION_ALREADY_FINISHED):
        action_complete_by_partner(actor=world.users["officer"], action=action)


def test_the_complete_view_marks_the_action_done_and_returns_to_the_problem(world: World) -> None:
    action = _action(world)
    response = _client(world, "officer").post(reverse("action-complete", kwargs={"pk": action.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("problem-detail", kwargs={"pk": action.problem_id})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_the_complete_view_refuses_an_action_of_another_organisation(world: World) -> None:
    action = _action(world, organisation=world.partner)
    response = _client(world, "officer").post(reverse("action-complete", kwargs={"pk": action.pk}))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_completing_twice_shows_a_message_not_an_error_page(world: World) -> None:
    action = _action(world)
    client = _client(world, "officer")
    client.post(reverse("action-complete", kwargs={"pk": action.pk}))
    response = client.post(reverse("action-complete", kwargs={"pk": action.pk}), follow=True)
    assert response.status_code == 200
    assert ACTION_ALREADY_FINISHED in response.content.decode()


def test_the_complete_view_is_404_for_outsiders_and_405_on_get(world: World) -> None:
    action = _action(world)
    url = reverse("action-complete", kwargs={"pk": action.pk})
    assert _client(world, "partner_lead").post(url).status_code == 404
    assert _client(world, "officer").get(url).status_code == 405
    assert _client(world, "officer").post("/actions/999999/complete/").status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_open_actions_for_an_organisation_are_only_its_own_and_not_finished(world: World) -> None:
    problem = _problem(world)
    mine = ResponseActionFactory(problem=problem, responsible_organisation=world.partner)
    ResponseActionFactory(problem=problem, responsible_organisation=world.partner, status=ActionStatus.DONE)
    ResponseActionFactory(problem=problem, responsible_organisation=world.force)
    ResponseActionFactory(problem=_problem(world), responsible_organisation=world.partner)
    assert list(actions_for_organisation(problem=problem, user=world.users["partner_member"])) == [mine]


# --- the problem page keeps its query count -----------------------------------------------------


def _page_queries(client: Client, problem: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_problem_page_query_count_does_not_grow_with_updates_attachments_or_consultations(
    world: World,
) -> None:
    # The panels add one query each however many rows: updates (with author and organisation),
    # attachments (with uploader and organisation), and for the owner the consultations and
    # disclosures (with actor and organisation). The consultation this view records is one INSERT.
    one, five = _problem(world), _problem(world)
    others = [UserFactory(role=Role.OFFICER, organisation=PoliceForceFactory()) for _ in range(5)]
    for problem, count in ((one, 1), (five, 5)):
        for index in range(count):
            author = UserFactory(role=Role.OFFICER, organisation=world.force)
            problem_update_add(actor=author, problem=problem, text=f"Update {index}")
            attachment(problem=problem, actor=author)
            problem_consulted(actor=others[index], problem=problem, how="page")
    client = _client(world, "officer")
    assert _page_queries(client, one) == _page_queries(client, five)
