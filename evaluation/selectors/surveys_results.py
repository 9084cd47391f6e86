"""Survey results, aggregated in the database: a fixed number of grouped queries per survey, never
one per question or per response.

- `survey_results`: counts and distributions per question (agreement, rating, yes/no and choice
  questions grouped by value or option; numbers summarised), net agreement for agreement-scale
  questions, and the free-text answers, filtered by neighbourhood and period.
- `trust_trend`: net agreement per trust-and-confidence item across the survey rounds the user may
  see, by neighbourhood (one grouped query over every round).
- `survey_export_rows`: the responses as CSV rows, without personal data.

Net agreement is the percentage who agree or strongly agree minus the percentage who disagree or
strongly disagree, of those who answered the question (CSEW practice)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation.models.surveys import (
    AGREEMENT_LABELS,
    YES_NO_LABELS,
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyResponse,
    SurveyStatus,
)
from evaluation.selectors.surveys import questions_with_options
from evaluation.selectors.surveys_access import surveys_visible_to
from evaluation.services.survey_templates import TEMPLATES, TRUST_CONFIDENCE

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Neighbourhood

TEXT_ANSWERS_SHOWN = 200


@dataclass
class Row:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    net_agreement: float | None = None
    mean: Decimal | float | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def chartable(self) -> bool:
        return bool(self.rows)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]

    def chart_data(self) -> list[dict[str, Any]]:
        """What static/js/survey_results.js draws: one bar chart per chartable question."""
        return [
            {
                "id": f"chart-q{result.question.pk}",
                "labels": [row.label for row in result.rows],
                "counts": [row.count for row in result.rows],
            }
            for result in self.questions
            if result.chartable
        ]


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def net_agreement(counts: dict[int, int], answered: int) -> float | None:
    if not answered:
        return None
    agree = counts.get(4, 0) + counts.get(5, 0)
    disagree = counts.get(1, 0) + counts.get(2, 0)
    return round(100 * (agree - disagree) / answered, 1)


def _responses(
    survey: Survey,
    neighbourhood: Neighbourhood | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[SurveyResponse]:
    responses = SurveyResponse.objects.filter(survey=survey)
    if neighbourhood is not None:
        responses = responses.filter(neighbourhood=neighbourhood)
    if start is not None:
        responses = responses.filter(submitted_at__date__gte=start)
    if end is not None:
        responses = responses.filter(submitted_at__date__lte=end)
    return responses


def _labels(question: Question) -> list[tuple[int, str]]:
    if question.kind == QuestionKind.AGREEMENT:
        return list(AGREEMENT_LABELS.items())
    if question.kind == QuestionKind.RATING:
        return [(n, str(n)) for n in range(1, 11)]
    if question.kind == QuestionKind.YES_NO:
        return list(YES_NO_LABELS.items())
    return [(option.pk, option.label) for option in question.options.all()]


def survey_results(
    *,
    survey: Survey,
    neighbourhood: Neighbourhood | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> SurveyResults:
    """Six queries whatever the number of responses: questions, their options, the response
    count, the grouped distribution, the per-question summary and the free-text answers."""
    questions = questions_with_options(survey)
    responses = _responses(survey, neighbourhood, start, end)
    total = responses.count()
    answers = Answer.objects.filter(response__in=responses)
    # Distribution: one row per (question, value) or (question, option).
    distribution: dict[tuple[int, int], int] = {}
    grouped = (
        answers.exclude(question__kind__in=(QuestionKind.NUMBER, QuestionKind.TEXT))
        .values("question_id", "value_int", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for group in grouped:
        key = group["option_id"] if group["option_id"] is not None else group["value_int"]
        distribution[(group["question_id"], key)] = group["n"]
    summaries: dict[int, dict[str, Any]] = {
        row["question_id"]: dict(row)
        for row in answers.values("question_id")
        .annotate(
            answered=Count("response_id", distinct=True),
            mean_int=Avg("value_int"),
            mean_number=Avg("value_number"),
            minimum=Min("value_number"),
            maximum=Max("value_number"),
        )
        .order_by()
    }
    texts: dict[int, list[str]] = {}
    text_rows = (
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(value_text="")
        .order_by("question_id", "-response__submitted_at", "-id")
        .values_list("question_id", "value_text")[: TEXT_ANSWERS_SHOWN * max(len(questions), 1)]
    )
    for question_id, text in text_rows:
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        summary = summaries.get(question.pk, {})
        answered = summary.get("answered", 0)
        result = QuestionResult(question=question, answered=answered)
        if question.kind == QuestionKind.NUMBER:
            result.mean = summary.get("mean_number")
            result.minimum, result.maximum = summary.get("minimum"), summary.get("maximum")
        elif question.kind == QuestionKind.TEXT:
            result.texts = texts.get(question.pk, [])[:TEXT_ANSWERS_SHOWN]
        else:
            counts = {key: distribution.get((question.pk, key), 0) for key, _ in _labels(question)}
            result.rows = [
                Row(label=label, count=counts[key], percent=_percent(counts[key], answered))
                for key, label in _labels(question)
            ]
            if question.kind == QuestionKind.AGREEMENT:
                result.net_agreement = net_agreement(counts, answered)
            if question.kind == QuestionKind.RATING and summary.get("mean_int") is not None:
                result.mean = round(float(summary["mean_int"]), 1)
        results.append(result)
    return SurveyResults(survey=survey, responses=total, questions=results)


# --- trends -------------------------------------------------------------------------------------


@dataclass
class TrendRound:
    survey: Survey
    responses: int
    net: dict[str, float | None]

    @property
    def overall(self) -> float | None:
        values = [value for value in self.net.values() if value is not None]
        return round(sum(values) / len(values), 1) if values else None


def trust_items() -> list[tuple[str, str]]:
    return [
        (item.key, item.text) for item in TEMPLATES[TRUST_CONFIDENCE].questions if item.kind == QuestionKind.AGREEMENT
    ]


def _responses_per_survey() -> QuerySet[Any, Any]:
    return (
        SurveyResponse.objects.filter(survey_id=OuterRef("pk"))
        .order_by()
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


def trust_trend(
    *,
    user: User,
    neighbourhood: Neighbourhood | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, list[TrendRound]]:
    """Trust-and-confidence rounds the user may see (opened within the period, if given), by
    neighbourhood name, oldest first, each with
    net agreement per item. Two queries: the rounds, and one grouped count over all of them."""
    surveys = (
        surveys_visible_to(user)
        .filter(template_key=TRUST_CONFIDENCE)
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("neighbourhood")
        # Each round's responses counted by a subquery on the survey's index, not by joining every
        # response to the rounds and grouping them back (half the query's time in the benchmark).
        .annotate(response_count=Coalesce(Subquery(_responses_per_survey()), 0))
        .order_by("neighbourhood__name", "opens_on", "id")
    )
    if neighbourhood is not None:
        surveys = surveys.filter(neighbourhood=neighbourhood)
    # A round belongs to the period it opened in.
    if start is not None:
        surveys = surveys.filter(opens_on__gte=start)
    if end is not None:
        surveys = surveys.filter(opens_on__lte=end)
    rounds = list(surveys)
    grouped = (
        (
            Answer.objects.filter(response__survey__in=[s.pk for s in rounds], question__kind=QuestionKind.AGREEMENT)
            .exclude(question__item_key="")
            .values("response__survey_id", "question__item_key")
            .annotate(
                answered=Count("id"),
                agree=Count("id", filter=Q(value_int__gte=4)),
                disagree=Count("id", filter=Q(value_int__lte=2)),
            )
            .order_by()
        )
        if rounds
        else []
    )
    net: dict[tuple[int, str], float | None] = {
        (g["response__survey_id"], g["question__item_key"]): round(
            100 * (g["agree"] - g["disagree"]) / g["answered"], 1
        )
        for g in grouped
        if g["answered"]
    }
    keys = [key for key, _ in trust_items()]
    by_area: dict[str, list[TrendRound]] = {}
    for survey in rounds:
        area = survey.neighbourhood.name if survey.neighbourhood else "No neighbourhood"
        by_area.setdefault(area, []).append(
            TrendRound(
                survey=survey,
                responses=survey.response_count,
                net={key: net.get((survey.pk, key)) for key in keys},
            )
        )
    return by_area


# --- export -------------------------------------------------------------------------------------


def _cell(answer: Answer) -> str | int | Decimal:
    """An answer as the CSV shows it: numbers stay numbers (the CSV writer quotes text that a
    spreadsheet would run as a formula, but never a number, negative ones included)."""
    question = answer.question
    if question.kind == QuestionKind.AGREEMENT and answer.value_int is not None:
        return AGREEMENT_LABELS.get(answer.value_int, str(answer.value_int))
    if question.kind == QuestionKind.YES_NO and answer.value_int is not None:
        return YES_NO_LABELS.get(answer.value_int, str(answer.value_int))
    if answer.value_int is not None:
        return answer.value_int
    if answer.value_number is not None:
        return answer.value_number
    if answer.option is not None:
        return answer.option.label
    return answer.value_text


def _joined(values: list[str | int | Decimal]) -> str | int | Decimal:
    return values[0] if len(values) == 1 else "; ".join(str(value) for value in values)


def survey_export_rows(*, survey: Survey) -> Iterator[list[Any]]:
    """A header, then one row per response: when, neighbourhood, and each question's answer
    (choices joined with "; "). No respondent: public responses hold none, and partners rate the
    partnership more honestly when their names are not exported.

    Four queries, streamed: the questions and their options, then the responses and the answers,
    both in (submitted, response id) order and merged side by side, so a response with no answer
    still has its row and memory does not grow with the survey."""
    questions = questions_with_options(survey)
    yield ["Response", "Submitted", "Neighbourhood", *(q.text for q in questions)]
    position = {question.pk: index for index, question in enumerate(questions)}
    responses = (
        SurveyResponse.objects.filter(survey=survey).select_related("neighbourhood").order_by("submitted_at", "id")
    )
    answers = (
        Answer.objects.filter(response__survey=survey)
        .select_related("question", "option")
        .order_by("response__submitted_at", "response_id", "question__order", "id")
    )
    by_response = groupby(answers.iterator(chunk_size=2000), key=lambda a: a.response_id)
    pending = next(by_response, None)
    for response in responses.iterator(chunk_size=2000):
        cells: list[list[str | int | Decimal]] = [[] for _ in questions]
        if pending is not None and pending[0] == response.pk:
            for answer in pending[1]:
                cells[position[answer.question_id]].append(_cell(answer))
            pending = next(by_response, None)
        yield [
            str(response.pk),
            response.submitted_at.strftime("%Y-%m-%d %H:%M"),
            response.neighbourhood.name if response.neighbourhood else "",
            *(_joined(cell) for cell in cells),
        ]
