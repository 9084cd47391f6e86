"""Answering surveys: the public by link without an account (validation of every question type,
required answers named, closed and not-yet-open surveys, unknown and expired links, repeats from
one browser, the rate limit, no personal data stored), and signed-in partners once each."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from evaluation.models import (
    Answer,
    Audience,
    Question,
    Survey,
    SurveyResponse,
    SurveySubmissionAttempt,
    SurveySubmissionMark,
)
from evaluation.services.survey_templates import TRUST_CONFIDENCE
from evaluation.services.surveys import survey_close, survey_publish
from evaluation.services.surveys_questions import OptionInput, question_add
from evaluation.services.surveys_responses import ANSWER_REQUIRED
from evaluation.views.surveys_answer import BROWSER_COOKIE
from tests.conftest import World, sign_in
from tests.evaluation.factories_surveys import add_every_kind, make_survey
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _url(survey: Survey) -> str:
    return reverse("survey-public", kwargs={"token": survey.public_token})


def _every_kind_survey(world: World) -> tuple[Survey, dict[str, Question]]:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False, neighbourhood=NeighbourhoodFactory(organisation=world.force))
    questions = add_every_kind(officer, survey)
    survey_publish(actor=officer, survey=survey)
    return survey, questions


def _option(question: Question, label: str) -> int:
    return question.options.get(label=label).pk


def _complete(questions: dict[str, Question]) -> dict[str, Any]:
    q = questions
    return {
        f"q_{q['agreement'].pk}": "4",
        f"q_{q['rating'].pk}": "9",
        f"q_{q['single'].pk}": str(_option(q["single"], "Meeting")),
        f"q_{q['multiple'].pk}": [str(_option(q["multiple"], "Litter")), str(_option(q["multiple"], "Noise"))],
        f"q_{q['yes_no'].pk}": "0",
        f"q_{q['number'].pk}": "12.5",
        f"q_{q['text'].pk}": "  More patrols on Friday nights.  ",
    }


def test_member_of_the_public_answers_every_question_type_without_an_account(client: Client, world: World) -> None:
    survey, q = _every_kind_survey(world)
    assert client.get(_url(survey)).status_code == 200
    response = client.post(_url(survey), _complete(q))
    assert response["Location"] == reverse("survey-public-thanks", kwargs={"token": survey.public_token})
    stored = SurveyResponse.objects.get()
    assert (stored.survey, stored.neighbourhood, stored.respondent) == (survey, survey.neighbourhood, None)
    answers = {(a.question_id, a.value_int, a.value_number, a.option_id, a.value_text) for a in Answer.objects.all()}
    assert answers == {
        (q["agreement"].pk, 4, None, None, ""),
        (q["rating"].pk, 9, None, None, ""),
        (q["single"].pk, None, None, _option(q["single"], "Meeting"), ""),
        (q["multiple"].pk, None, None, _option(q["multiple"], "Litter"), ""),
        (q["multiple"].pk, None, None, _option(q["multiple"], "Noise"), ""),
        (q["yes_no"].pk, 0, None, None, ""),
        (q["number"].pk, None, Decimal("12.50"), None, ""),
        (q["text"].pk, None, None, None, "More patrols on Friday nights."),
    }


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("agreement", "6", "Choose one of the options for"),
        ("rating", "11", "Choose one of the options for"),
        ("rating", "ten", "Choose one of the options for"),
        ("yes_no", "2", "Choose one of the options for"),
        ("single", "999999", "Choose one of the options for"),
        ("multiple", "999999", "Choose one of the options for"),
        ("number", "lots", "Enter a number for"),
        ("number", "101", "Enter a number of no more than 100 for"),
        ("number", "-1", "Enter a number of at least 0 for"),
        ("text", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_each_question_type_refuses_invalid_answers(
    client: Client, world: World, kind: str, value: str, message: str
) -> None:
    survey, q = _every_kind_survey(world)
    data = _complete(q)
    data[f"q_{q[kind].pk}"] = value
    response = client.post(_url(survey), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not SurveyResponse.objects.exists()


def test_required_question_left_empty_keeps_other_answers_and_names_the_missing_one(
    client: Client, world: World
) -> None:
    survey, q = _every_kind_survey(world)
    data = _complete(q)
    del data[f"q_{q['agreement'].pk}"]
    response = client.post(_url(survey), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert ANSWER_REQUIRED.format(text="The police do a good job.") in body
    # What was typed and chosen is still there.
    assert "More patrols on Friday nights." in body
    assert _checked(body, q["single"], "Meeting")
    assert _checked(body, q["multiple"], "Noise")
    assert not _checked(body, q["single"], "Leaflet")
    assert 'value="12.5"' in body
    assert not SurveyResponse.objects.exists()


def _checked(body: str, question: Question, label: str) -> bool:
    pk = _option(question, label)
    return any(f'value="{pk}"' in part and "checked" in part for part in body.split("<input"))


def test_optional_questions_may_be_left_empty(client: Client, world: World) -> None:
    survey, q = _every_kind_survey(world)
    client.post(_url(survey), {f"q_{q['agreement'].pk}": "2"})
    assert list(Answer.objects.values_list("question_id", "value_int")) == [(q["agreement"].pk, 2)]


def test_consent_text_comes_before_the_first_demographic_question(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"], template=TRUST_CONFIDENCE, consent_text="We ask with consent.")
    body = client.get(_url(survey)).content.decode()
    consent = body.index("We ask with consent.")
    assert body.index("The police in this area do a good job.") < consent < body.index("How old are you?")


def test_closed_survey_shows_a_clear_page_and_refuses_answers(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    question = survey.questions.get()
    survey_close(actor=world.users["officer"], survey=survey)
    page = client.get(_url(survey))
    assert page.status_code == 200
    assert "This survey has closed" in page.content.decode()
    response = client.post(_url(survey), {f"q_{question.pk}": "5"})
    assert "This survey has closed" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_survey_past_its_closing_date_is_closed(client: Client, world: World) -> None:
    today = timezone.localdate()
    survey = make_survey(
        world.users["officer"],
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=1),
    )
    response = client.post(_url(survey), {f"q_{survey.questions.get().pk}": "5"})
    assert "This survey has closed" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_survey_before_its_opening_date_says_when_it_opens(client: Client, world: World) -> None:
    today = timezone.localdate()
    survey = make_survey(world.users["officer"], opens_on=today + datetime.timedelta(days=3))
    response = client.post(_url(survey), {f"q_{survey.questions.get().pk}": "5"})
    assert "This survey is not open yet" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_unknown_link_gets_404(client: Client, world: World) -> None:
    make_survey(world.users["officer"])
    assert client.get(reverse("survey-public", kwargs={"token": "not-a-real-token"})).status_code == 404


def test_link_expired_long_after_closing_gets_404(client: Client, world: World) -> None:
    today = timezone.localdate()
    survey = make_survey(
        world.users["officer"],
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=91),
    )
    assert client.get(_url(survey)).status_code == 404
    assert client.get(reverse("survey-public-thanks", kwargs={"token": survey.public_token})).status_code == 404


def test_draft_and_signed_in_surveys_have_no_public_form(client: Client, world: World) -> None:
    draft = make_survey(world.users["officer"], publish=False)
    draft.public_token = "draft-token-for-test"
    draft.save()
    assert client.get(reverse("survey-public", kwargs={"token": "draft-token-for-test"})).status_code == 404


def test_second_answer_from_the_same_browser_is_refused(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    field = f"q_{survey.questions.get().pk}"
    client.get(_url(survey))
    client.post(_url(survey), {field: "5"})
    again = client.post(_url(survey), {field: "1"})
    assert "You have already answered this survey" in again.content.decode()
    assert client.get(_url(survey)).content.decode().count("You have already answered") == 1
    assert SurveyResponse.objects.count() == 1
    # Another browser (no cookie) may answer.
    Client().post(_url(survey), {field: "1"})
    assert SurveyResponse.objects.count() == 2


def test_public_response_stores_no_browser_or_address(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    client.post(_url(survey), {f"q_{survey.questions.get().pk}": "5"}, REMOTE_ADDR="203.0.113.9")
    cookie = client.cookies[BROWSER_COOKIE].value
    mark = SurveySubmissionMark.objects.get()
    attempt = SurveySubmissionAttempt.objects.get()
    assert cookie not in mark.digest
    assert "203.0.113.9" not in attempt.digest
    assert SurveyResponse.objects.get().respondent is None


@override_settings(SURVEY_PUBLIC_RATE_LIMIT=3)
def test_public_form_is_rate_limited_per_address(world: World) -> None:
    survey = make_survey(world.users["officer"])
    field = f"q_{survey.questions.get().pk}"
    statuses = [Client().post(_url(survey), {field: "3"}, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert SurveyResponse.objects.count() == 3
    # Another address is not affected.
    assert Client().post(_url(survey), {field: "3"}, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_signed_in_user_may_also_answer_a_public_survey_anonymously(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    sign_in(client, world.users["partner_member"])
    client.post(_url(survey), {f"q_{survey.questions.get().pk}": "4"})
    assert SurveyResponse.objects.get().respondent is None


# --- signed-in audiences ------------------------------------------------------------------------


def test_partner_answers_their_organisations_survey_once(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"], audience=Audience.PARTNER)
    field = f"q_{survey.questions.get().pk}"
    sign_in(client, world.users["partner_member"])
    assert (
        client.get(reverse("survey-list")).content.decode().count(reverse("survey-answer", kwargs={"pk": survey.pk}))
        == 1
    )
    response = client.post(reverse("survey-answer", kwargs={"pk": survey.pk}), {field: "5"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().respondent == world.users["partner_member"]
    again = client.post(reverse("survey-answer", kwargs={"pk": survey.pk}), {field: "1"})
    assert "You have already answered this survey" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_officer_survey_is_answered_by_police_of_the_force_only(client: Client, world: World) -> None:
    survey = make_survey(world.users["supervisor"], audience=Audience.OFFICER)
    url = reverse("survey-answer", kwargs={"pk": survey.pk})
    sign_in(client, world.users["partner_lead"])
    assert client.get(url).status_code == 404
    sign_in(client, world.users["analyst"])
    assert client.get(url).status_code == 200


def test_partner_survey_refuses_an_answer_missing_a_required_question(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"], audience=Audience.PARTNER)
    sign_in(client, world.users["partner_lead"])
    response = client.post(reverse("survey-answer", kwargs={"pk": survey.pk}), {})
    assert "There is a problem" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("count", [1, 5])
def test_public_form_query_count_does_not_grow_with_questions(
    client: Client, world: World, count: int, django_assert_num_queries: Any
) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False)
    for n in range(count - 1):
        question_add(
            actor=officer,
            survey=survey,
            kind="single",
            text=f"Choice {n}",
            options=[OptionInput("A"), OptionInput("B")],
        )
    survey_publish(actor=officer, survey=survey)
    client.cookies[BROWSER_COOKIE] = "a-browser"
    # No session or user: the survey by its link; whether this browser has answered; the
    # questions; their options.
    with django_assert_num_queries(4):
        assert client.get(_url(survey)).status_code == 200
