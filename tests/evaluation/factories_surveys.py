"""Surveys for tests, built through the services so that object graphs stay consistent (a survey's
creator belongs to its owning organisation; a published public survey has its link)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from evaluation.models.surveys import (
    Answer,
    Audience,
    Question,
    QuestionKind,
    Survey,
    SurveyResponse,
)
from evaluation.services.surveys import survey_create, survey_publish
from evaluation.services.surveys_questions import OptionInput, question_add


def make_survey(
    creator: User,
    *,
    title: str = "Test survey",
    audience: str = Audience.PUBLIC,
    template: str = "",
    publish: bool = True,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    **fields: Any,
) -> Survey:
    today = timezone.localdate()
    survey = survey_create(
        actor=creator,
        title=title,
        audience=audience,
        opens_on=opens_on or today - datetime.timedelta(days=7),
        closes_on=closes_on or today + datetime.timedelta(days=30),
        template_key=template,
        **fields,
    )
    if not template:
        question_add(
            actor=creator, survey=survey, kind=QuestionKind.AGREEMENT, text="The police do a good job.", required=True
        )
    if publish:
        survey_publish(actor=creator, survey=survey)
    return survey


def add_every_kind(creator: User, survey: Survey) -> dict[str, Question]:
    """One question of each type, the choice ones with three options; only `agreement` required."""
    specs: list[tuple[str, str, dict[str, Any]]] = [
        ("rating", "Rate the service.", {}),
        ("single", "How did you hear about us?", {"options": ["Leaflet", "Meeting", "Online"]}),
        ("multiple", "Which matter most?", {"options": ["Speeding", "Litter", "Noise"]}),
        ("yes_no", "Have you contacted us this year?", {}),
        ("number", "How many years have you lived here?", {"min_value": 0, "max_value": 100}),
        ("text", "Anything else?", {}),
    ]
    questions = {"agreement": survey.questions.get()}
    for kind, text, extra in specs:
        options = [OptionInput(label=label) for label in extra.pop("options", [])]
        questions[kind] = question_add(actor=creator, survey=survey, kind=kind, text=text, options=options, **extra)
    return questions


def add_response(
    survey: Survey,
    values: dict[Question, Any],
    *,
    submitted_at: datetime.datetime | None = None,
    respondent: User | None = None,
) -> SurveyResponse:
    """A response stored directly (for results tests: the submit path has its own tests). Values:
    an int for scales, a Decimal for numbers, an option label or list of labels, or text."""
    response = SurveyResponse.objects.create(
        survey=survey,
        submitted_at=submitted_at or timezone.now(),
        neighbourhood_id=survey.neighbourhood_id,
        respondent=respondent,
    )
    rows = []
    for question, value in values.items():
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            labels = value if isinstance(value, list) else [value]
            rows += [
                Answer(response=response, question=question, option=question.options.get(label=lb)) for lb in labels
            ]
        elif question.kind == QuestionKind.NUMBER:
            rows.append(Answer(response=response, question=question, value_number=Decimal(value)))
        elif question.kind == QuestionKind.TEXT:
            rows.append(Answer(response=response, question=question, value_text=value))
        else:
            rows.append(Answer(response=response, question=question, value_int=value))
    Answer.objects.bulk_create(rows)
    return response
