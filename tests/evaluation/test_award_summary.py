"""The award-ready summary (Tilley Award shape) of a closed problem: drafted from the record,
edited by the officer within the word limits, downloadable as a PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from pypdf import PdfReader

from core.audit import recipient_of
from core.models import AuditEvent
from evaluation.models import AwardDraft
from evaluation.services.award import (
    AWARD_PROBLEM_OPEN,
    SARA_MAX_WORDS,
    SAVED_VERB,
    SUMMARY_MAX_WORDS,
    award_draft_save,
    award_text_drafted,
    word_count,
)
from problems.models import Problem, Stage
from tests.conftest import sign_in
from tests.problems.factories_sara import ResponseActionFactory, problem_at

pytestmark = pytest.mark.django_db


def _closed(world: Any, **fields: Any) -> Problem:
    problem = problem_at(Stage.CLOSED, force=world.force, owner=world.users["officer"], **fields)
    problem.pat_offender = "Young adults from outside the estate, drinking before the pubs open."
    problem.save()
    ResponseActionFactory(problem=problem, responsible_organisation=world.partner, description="Council CCTV review")
    return problem


def _words(n: int) -> str:
    return " ".join(["word"] * n)


def test_draft_is_written_from_the_record(world: Any) -> None:
    problem = _closed(world)
    summary, sara = award_text_drafted(problem)
    assert problem.title in summary
    assert "Northshire City Council" in summary
    for heading in ("Scanning", "Analysis", "Response", "Assessment"):
        assert heading in sara
    assert "Young adults from outside the estate" in sara
    assert "Council CCTV review" in sara
    assert "Lighting and licensing together worked" in sara  # lessons learned


def test_drafted_texts_are_cut_to_the_word_limits(world: Any) -> None:
    problem = _closed(world, description=_words(900))
    problem.problem_statement = ""
    problem.process_evaluation = _words(5000)
    problem.save()
    summary, sara = award_text_drafted(problem)
    assert word_count(summary) <= SUMMARY_MAX_WORDS + 1  # the ellipsis marks the cut
    assert word_count(sara) <= SARA_MAX_WORDS + 1


def test_owner_edits_and_saves_the_entry(client: Client, world: Any) -> None:
    problem = _closed(world)
    sign_in(client, world.users["officer"])
    page = client.get(f"/problems/{problem.pk}/award-entry/")
    assert page.status_code == 200
    assert problem.title in page.content.decode()
    response = client.post(
        f"/problems/{problem.pk}/award-entry/", {"summary": "Our summary.", "sara_description": "Our SARA story."}
    )
    assert response.status_code == 302
    draft = AwardDraft.objects.get(problem=problem)
    assert (draft.summary, draft.sara_description, draft.updated_by) == (
        "Our summary.",
        "Our SARA story.",
        world.users["officer"],
    )
    assert AuditEvent.objects.filter(verb=SAVED_VERB, actor=world.users["officer"]).count() == 1
    # The saved draft is what the page shows next time.
    assert "Our SARA story." in client.get(f"/problems/{problem.pk}/award-entry/").content.decode()


def test_too_many_words_shows_the_limit_keeps_the_text_and_saves_nothing(client: Client, world: Any) -> None:
    problem = _closed(world)
    sign_in(client, world.users["officer"])
    long_summary = _words(401)
    response = client.post(
        f"/problems/{problem.pk}/award-entry/", {"summary": long_summary, "sara_description": _words(4001)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The summary must be at most 400 words: it has 401. Shorten it by 1." in html
    assert "The SARA description must be at most 4,000 words: it has 4,001. Shorten it by 1." in html
    assert "error-summary" in html
    assert long_summary in html
    assert not AwardDraft.objects.exists()


def test_empty_texts_are_refused_with_clear_messages(client: Client, world: Any) -> None:
    problem = _closed(world)
    sign_in(client, world.users["officer"])
    response = client.post(f"/problems/{problem.pk}/award-entry/", {"summary": " ", "sara_description": ""})
    html = response.content.decode()
    assert "Write the summary of the entry." in html
    assert "Write the SARA description of the entry." in html
    assert not AwardDraft.objects.exists()


def test_open_problem_gives_a_clear_message_not_an_error(client: Client, world: Any) -> None:
    problem = problem_at(Stage.RESPONSE, force=world.force, owner=world.users["officer"])
    sign_in(client, world.users["officer"])
    page = client.get(f"/problems/{problem.pk}/award-entry/")
    assert page.status_code == 200
    assert AWARD_PROBLEM_OPEN in page.content.decode()
    pdf = client.get(f"/problems/{problem.pk}/award-entry/pdf/", follow=True)
    assert pdf.status_code == 200
    assert AWARD_PROBLEM_OPEN in pdf.content.decode()
    saved = client.post(f"/problems/{problem.pk}/award-entry/", {"summary": "x", "sara_description": "y"}, follow=True)
    assert AWARD_PROBLEM_OPEN in saved.content.decode()
    assert not AwardDraft.objects.exists()


def test_service_refuses_an_open_problem(world: Any) -> None:
    problem = problem_at(Stage.ASSESSMENT, force=world.force, owner=world.users["officer"])
    with pytest.raises(ValidationError) as caught:
        award_draft_save(actor=world.users["officer"], problem=problem, summary="a", sara_description="b")
    assert caught.value.messages == [AWARD_PROBLEM_OPEN]


def test_analyst_reads_the_entry_but_cannot_edit_it(client: Client, world: Any) -> None:
    problem = _closed(world)
    sign_in(client, world.users["analyst"])
    assert client.get(f"/problems/{problem.pk}/award-entry/").status_code == 200
    response = client.post(f"/problems/{problem.pk}/award-entry/", {"summary": "a", "sara_description": "b"})
    assert response.status_code == 403
    assert not AwardDraft.objects.exists()
    with pytest.raises(PermissionDenied):
        award_draft_save(actor=world.users["analyst"], problem=problem, summary="a", sara_description="b")


def test_outsiders_get_404(client: Client, world: Any) -> None:
    problem = _closed(world)
    for persona in ("partner_member", "unrelated_partner", "administrator"):
        sign_in(client, world.users[persona])
        assert client.get(f"/problems/{problem.pk}/award-entry/").status_code == 404
        assert client.get(f"/problems/{problem.pk}/award-entry/pdf/").status_code == 404


def test_pdf_is_a_real_pdf_holding_the_saved_entry(client: Client, world: Any) -> None:
    problem = _closed(world)
    award_draft_save(
        actor=world.users["officer"],
        problem=problem,
        summary="Residents reclaimed the parade.",
        sara_description="Scanning found nightly drinking.",
    )
    sign_in(client, world.users["supervisor"])
    response = client.get(f"/problems/{problem.pk}/award-entry/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Residents reclaimed the parade." in text
    assert "Scanning found nightly drinking." in text
    event = AuditEvent.objects.get(verb="problems.problem.consulted", target_id=str(problem.pk), detail__how="export")
    # The PDF leaves the system: its event names who received it (DPA 2018 s.62).
    assert event.detail == {
        "how": "export",
        "document": "award entry",
        "recipient": recipient_of(world.users["supervisor"]),
    }


def test_closed_problem_query_count_is_fixed(client: Client, world: Any, django_assert_num_queries: Any) -> None:
    problem = _closed(world)
    sign_in(client, world.users["officer"])
    client.get(f"/problems/{problem.pk}/award-entry/")
    # session, user, OTP device, problem (with category, organisation, owner, draft),
    # objectives, hypotheses, actions (with organisations).
    with django_assert_num_queries(7):
        client.get(f"/problems/{problem.pk}/award-entry/")
    for _ in range(4):
        ResponseActionFactory(problem=problem, responsible_organisation=world.partner)
    with django_assert_num_queries(7):
        client.get(f"/problems/{problem.pk}/award-entry/")


def test_problem_page_links_to_the_award_entry_once_closed(client: Client, world: Any) -> None:
    from evaluation.views.award import register_award_panel

    # The lead wires this into EvaluationConfig.ready(); registering twice is harmless.
    register_award_panel()
    closed = _closed(world)
    still_open = problem_at(Stage.RESPONSE, force=world.force, owner=world.users["officer"])
    sign_in(client, world.users["officer"])
    assert f"/problems/{closed.pk}/award-entry/" in client.get(f"/problems/{closed.pk}/").content.decode()
    assert "/award-entry/" not in client.get(f"/problems/{still_open.pk}/").content.decode()
