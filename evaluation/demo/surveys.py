"""Demo surveys: three rounds of the trust-and-confidence survey in Eastgate and Riverside (about
three hundred public responses, with Eastgate improving round by round and Riverside dipping then
recovering), and one partnership health check of the Community Safety Partnership answered by its
members' demo users. The Riverside priorities chosen by survey (engagement's demo) are recorded as
set from the summer round's results.

Surveys are built through the services (so the shipped template, audit events and the public link
are the real ones); responses are written with bulk_create so the seed stays quick. Idempotent: a
survey whose title exists is left alone. Random answers come from a fixed seed, so every run of
the demo gives the same figures."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from accounts.models import User
from engagement.models import ChosenBy, CommunityPriority
from evaluation.models import Answer, Audience, Question, Survey, SurveyResponse, SurveyStatus
from evaluation.services.survey_priorities import survey_priority_link
from evaluation.services.survey_templates import PARTNERSHIP_HEALTH, TEMPLATES, TRUST_CONFIDENCE
from evaluation.services.surveys import survey_close, survey_create, survey_publish
from partnerships.models import Neighbourhood, Partnership

BUILDER = "supervisor@police.example"
CSP = "Northshire Community Safety Partnership"
# Mean agreement (1-5) per round: Eastgate improves; Riverside dips, then recovers.
ROUNDS: dict[str, list[float]] = {"Eastgate": [2.7, 3.2, 3.8], "Riverside": [3.5, 2.9, 3.3]}
ROUND_NAMES = ["spring", "summer", "autumn"]
RESPONSES_PER_ROUND = 50
# Round n opens this many days ago; the last is still open.
ROUND_OPENS_DAYS_AGO = [240, 150, 30]
ROUND_LENGTH_DAYS = 42
# Knowing how to contact the local team trails the other items.
ITEM_OFFSET = {"know_contact": -0.5, "relied_on": -0.2}
HEALTH_CHECK_TITLE = "Partnership health check, Northshire Community Safety Partnership"
HEALTH_CHECK_RESPONDENTS = [
    "lead@council.example",
    "member@council.example",
    "lead@housing.example",
    "lead@health.example",
    "lead@youthjustice.example",
    "officer@police.example",
]
HEALTH_COMMENTS = [
    "Agree one shared dashboard for the quarterly meeting.",
    "Data requests still take too long to come back.",
    "Better attendance from housing this year; keep it up.",
]


def _round_title(neighbourhood: str, round_index: int) -> str:
    return f"Trust and confidence, {neighbourhood}, {ROUND_NAMES[round_index]} round"


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _trust_answers(rng: random.Random, questions: list[Question], mood: float) -> list[Answer]:
    answers = []
    for question in questions:
        if question.kind == "agreement":
            value = _clamp(rng.gauss(mood + ITEM_OFFSET.get(question.item_key, 0.0), 1.0), 1, 5)
            answers.append(Answer(question=question, value_int=value))
        elif question.item_key == "age_band" and rng.random() < 0.7:
            options = list(question.options.all())
            answers.append(Answer(question=question, option=rng.choices(options, weights=[1, 3, 10, 4, 1])[0]))
        elif question.item_key == "describes_you" and rng.random() < 0.4:
            chosen = rng.sample(list(question.options.all()), k=rng.choice([1, 1, 2]))
            answers += [Answer(question=question, option=option) for option in chosen]
    return answers


def _store(survey: Survey, rows: list[tuple[datetime.datetime, User | None, list[Answer]]]) -> None:
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, submitted_at=at, neighbourhood_id=survey.neighbourhood_id, respondent=who)
        for at, who, _ in rows
    )
    answers = []
    for response, (_, _, items) in zip(responses, rows, strict=True):
        for answer in items:
            answer.response = response
            answers.append(answer)
    Answer.objects.bulk_create(answers)


def _trust_rounds(builder: User, rng: random.Random, stdout: Any) -> int:
    today = timezone.localdate()
    created = 0
    for name, moods in ROUNDS.items():
        neighbourhood = Neighbourhood.objects.filter(name=name).first()
        if neighbourhood is None:
            continue
        for index, mood in enumerate(moods):
            title = _round_title(name, index)
            if Survey.objects.filter(title=title).exists():
                continue
            opens_on = today - datetime.timedelta(days=ROUND_OPENS_DAYS_AGO[index])
            survey = survey_create(
                actor=builder,
                title=title,
                audience=Audience.PUBLIC,
                introduction=TEMPLATES[TRUST_CONFIDENCE].introduction,
                consent_text=TEMPLATES[TRUST_CONFIDENCE].consent_text,
                neighbourhood=neighbourhood,
                opens_on=opens_on,
                closes_on=opens_on + datetime.timedelta(days=ROUND_LENGTH_DAYS),
                template_key=TRUST_CONFIDENCE,
            )
            survey_publish(actor=builder, survey=survey)
            questions = list(survey.questions.prefetch_related("options"))
            window = min(ROUND_LENGTH_DAYS, (today - opens_on).days)
            rows: list[tuple[datetime.datetime, User | None, list[Answer]]] = []
            for _ in range(RESPONSES_PER_ROUND):
                day = opens_on + datetime.timedelta(days=rng.randrange(window + 1))
                at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(rng.randrange(8, 21), rng.randrange(60)))
                )
                rows.append((min(at, timezone.now()), None, _trust_answers(rng, questions, mood)))
            _store(survey, rows)
            if survey.closes_on < today:
                survey_close(actor=builder, survey=survey)
            created += 1
    return created


def _health_check(builder: User, rng: random.Random) -> int:
    partnership = Partnership.objects.filter(name=CSP).first()
    if partnership is None or Survey.objects.filter(title=HEALTH_CHECK_TITLE).exists():
        return 0
    today = timezone.localdate()
    survey = survey_create(
        actor=builder,
        title=HEALTH_CHECK_TITLE,
        audience=Audience.PARTNER,
        introduction=TEMPLATES[PARTNERSHIP_HEALTH].introduction,
        partnership=partnership,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=14),
        template_key=PARTNERSHIP_HEALTH,
    )
    survey_publish(actor=builder, survey=survey)
    questions = list(survey.questions.all())
    users = {user.email: user for user in User.objects.filter(email__in=HEALTH_CHECK_RESPONDENTS)}
    rows: list[tuple[datetime.datetime, User | None, list[Answer]]] = []
    for index, email in enumerate(HEALTH_CHECK_RESPONDENTS):
        if email not in users:
            continue
        answers = []
        for question in questions:
            if question.kind == "rating":
                low = 3 if question.item_key == "data_sharing" else 5
                answers.append(Answer(question=question, value_int=rng.randint(low, 9)))
            elif index < len(HEALTH_COMMENTS):
                answers.append(Answer(question=question, value_text=HEALTH_COMMENTS[index]))
        rows.append((timezone.now() - datetime.timedelta(days=rng.randrange(1, 12)), users[email], answers))
    _store(survey, rows)
    return 1


def _priorities_from_results(builder: User) -> int:
    """Link Riverside's priorities chosen by survey (and not yet linked) to its summer round."""
    survey = Survey.objects.filter(title=_round_title("Riverside", 1)).first()
    if survey is None or survey.neighbourhood_id is None:
        return 0
    chosen = CommunityPriority.objects.filter(
        neighbourhood_id=survey.neighbourhood_id, chosen_by=ChosenBy.SURVEY, survey__isnull=True
    )
    for priority in chosen:
        survey_priority_link(actor=builder, survey=survey, priority=priority)
    return len(chosen)


def seed_records(*, stdout: Any) -> None:
    builder = User.objects.filter(email=BUILDER).first()
    if builder is None:
        return
    # A fixed seed: the demo's figures are the same on every machine (made-up answers, not secrets).
    rng = random.Random(2026)  # noqa: S311
    rounds = _trust_rounds(builder, rng, stdout)
    checks = _health_check(builder, rng)
    linked = _priorities_from_results(builder)
    total = SurveyResponse.objects.filter(survey__status__in=(SurveyStatus.PUBLISHED, SurveyStatus.CLOSED)).count()
    stdout.write(
        f"Surveys: {rounds} trust-and-confidence rounds and {checks} health check created; {total} responses; "
        f"{linked} priorit{'y' if linked == 1 else 'ies'} linked to the results they were set from."
    )
