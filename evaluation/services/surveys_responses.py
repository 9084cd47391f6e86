"""Answering a survey: the public by link (no account; a repeat check per browser and a rate limit
per client address), signed-in partners and officers once each.

Why the checks live in the database: the public form must keep working when Redis is down, and
several web processes must share one limit, which a per-process cache cannot do. Both checks
store keyed digests (HMAC with the site's secret key) only, in rows not linked to the response, so
no public response carries personal data or can be traced to a browser or an address."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record
from evaluation.models.surveys import (
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyResponse,
    SurveySubmissionAttempt,
    SurveySubmissionMark,
)
from evaluation.selectors.surveys_access import survey_is_open, surveys_answerable_by

if TYPE_CHECKING:
    from accounts.models import User

SURVEY_NOT_OPEN = "This survey is not open for answers."
ALREADY_ANSWERED = "You have already answered this survey. Thank you."
ANSWER_REQUIRED = "Answer this question: {text}"
CANNOT_ANSWER = "You cannot answer this survey."

# Public submissions per client address within the window (a community event may share one Wi-Fi).
DEFAULT_RATE_LIMIT = 30
DEFAULT_RATE_WINDOW = datetime.timedelta(minutes=10)

AnswerValue = int | Decimal | str | QuestionOption | list[QuestionOption] | None


class RateLimited(Exception):
    """Too many public submissions from one address in the window."""


class AlreadyAnswered(Exception):
    """This browser (public) or user (signed in) has answered the survey already."""


def _digest(purpose: str, *parts: object) -> str:
    message = ":".join([purpose, *map(str, parts)]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def browser_mark(survey: Survey, browser_token: str) -> str:
    # Per survey, so marks of two surveys cannot be joined to follow one browser.
    return _digest("survey-browser", survey.pk, browser_token)


def browser_has_answered(*, survey: Survey, browser_token: str | None) -> bool:
    if not browser_token:
        return False
    return SurveySubmissionMark.objects.filter(survey=survey, digest=browser_mark(survey, browser_token)).exists()


@transaction.atomic
def submission_attempt_allowed(*, client_address: str | None, now: datetime.datetime | None = None) -> bool:
    """Count this attempt and say whether it is within the limit. Old attempts are deleted as new
    ones arrive, so the table only ever holds one window's worth."""
    now = now or timezone.now()
    limit = getattr(settings, "SURVEY_PUBLIC_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    window = getattr(settings, "SURVEY_PUBLIC_RATE_WINDOW", DEFAULT_RATE_WINDOW)
    digest = _digest("survey-address", now.date().isoformat(), client_address or "unknown")
    SurveySubmissionAttempt.objects.filter(created_at__lt=now - window).delete()
    recent = SurveySubmissionAttempt.objects.filter(digest=digest, created_at__gte=now - window).count()
    SurveySubmissionAttempt.objects.create(digest=digest, created_at=now)
    return recent < limit


def _answer_rows(question: Question, value: AnswerValue) -> list[Answer]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, list):
        return [Answer(question=question, option=option) for option in value]
    if isinstance(value, QuestionOption):
        return [Answer(question=question, option=value)]
    if question.kind == QuestionKind.NUMBER:
        return [Answer(question=question, value_number=Decimal(value))]
    if question.kind in (QuestionKind.AGREEMENT, QuestionKind.RATING, QuestionKind.YES_NO):
        return [Answer(question=question, value_int=int(value))]
    return [Answer(question=question, value_text=str(value).strip())]


def _check_required(questions: list[Question], answers: dict[int, AnswerValue]) -> None:
    missing = {
        f"q_{question.pk}": ANSWER_REQUIRED.format(text=question.text)
        for question in questions
        if question.required and answers.get(question.pk) in (None, "", [])
    }
    if missing:
        raise ValidationError(missing)


def _store(survey: Survey, answers: dict[int, AnswerValue], respondent: User | None) -> SurveyResponse:
    questions = list(survey.questions.all())
    _check_required(questions, answers)
    response = SurveyResponse.objects.create(
        survey=survey, submitted_at=timezone.now(), neighbourhood_id=survey.neighbourhood_id, respondent=respondent
    )
    rows = [row for question in questions for row in _answer_rows(question, answers.get(question.pk))]
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


def public_response_submit(
    *, survey: Survey, answers: dict[int, AnswerValue], browser_token: str, today: datetime.date | None = None
) -> SurveyResponse:
    """One public response. Raises ValidationError (closed, or a required answer missing) or
    AlreadyAnswered (this browser has answered)."""
    if not survey_is_open(survey, today):
        raise ValidationError(SURVEY_NOT_OPEN)
    try:
        with transaction.atomic():
            # The mark's unique constraint settles two submissions racing from one browser.
            SurveySubmissionMark.objects.create(survey=survey, digest=browser_mark(survey, browser_token))
            response = _store(survey, answers, respondent=None)
            audit_record(
                actor=None, verb="evaluation.response.submitted", target=response, detail={"survey": survey.pk}
            )
    except IntegrityError as error:
        raise AlreadyAnswered from error
    return response


def response_submit(
    *, actor: User, survey: Survey, answers: dict[int, AnswerValue], today: datetime.date | None = None
) -> SurveyResponse:
    """One signed-in response (partner and officer surveys), once per user."""
    if not surveys_answerable_by(actor).filter(pk=survey.pk).exists():
        raise PermissionDenied(CANNOT_ANSWER)
    if not survey_is_open(survey, today):
        raise ValidationError(SURVEY_NOT_OPEN)
    try:
        with transaction.atomic():
            response = _store(survey, answers, respondent=actor)
            audit_record(
                actor=actor, verb="evaluation.response.submitted", target=response, detail={"survey": survey.pk}
            )
    except IntegrityError as error:
        raise AlreadyAnswered from error
    return response


def user_has_answered(*, user: User, survey: Survey) -> bool:
    return SurveyResponse.objects.filter(survey=survey, respondent=user).exists()


def answers_from_form(cleaned: dict[str, Any]) -> dict[int, AnswerValue]:
    """The answer form's cleaned data ("q_<id>" fields) keyed by question id."""
    return {int(name[2:]): value for name, value in cleaned.items() if name.startswith("q_")}
