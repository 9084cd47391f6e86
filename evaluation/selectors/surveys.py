"""Reads of surveys for the builder: the survey list, a survey with its questions and options, the
signed-in surveys waiting for a user's answer, and the survey reach source of seldom-heard coverage."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from evaluation.models.surveys import Answer, Audience, Question, QuestionOption, Survey, SurveyResponse, SurveyStatus
from evaluation.selectors.surveys_access import surveys_answerable_by, surveys_visible_to

if TYPE_CHECKING:
    from accounts.models import User

LIST_RELATIONS = ("owner", "neighbourhood", "partnership", "problem")


def survey_list_visible_to(*, user: User) -> QuerySet[Survey]:
    """Surveys whose results `user` may see, each with its relations and response count: one query."""
    return (
        surveys_visible_to(user)
        .select_related(*LIST_RELATIONS)
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-opens_on", "-id")
    )


def survey_list_to_answer(*, user: User) -> QuerySet[Survey]:
    """Published signed-in surveys `user` may answer and has not answered yet."""
    answered = SurveyResponse.objects.filter(survey_id=OuterRef("pk"), respondent_id=user.pk)
    return (
        surveys_answerable_by(user)
        .filter(status=SurveyStatus.PUBLISHED)
        .exclude(Exists(answered))
        .select_related("owner")
        .order_by("closes_on", "id")
    )


def questions_with_options(survey: Survey) -> list[Question]:
    """The survey's questions in order with their options (two queries)."""
    options = Prefetch("options", queryset=QuestionOption.objects.select_related("seldom_heard_group"))
    return list(survey.questions.prefetch_related(options).order_by("order", "id"))


def survey_reach(
    neighbourhood_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> Iterable[tuple[int, int]]:
    """Seldom-heard coverage from surveys (registered in EvaluationConfig.ready): the groups whose
    mapped option a member of the public chose, in a public survey of the neighbourhood, answered
    from `start` to `end`. Distinct pairs, one query."""
    return (
        Answer.objects.filter(
            response__survey__audience=Audience.PUBLIC,
            response__neighbourhood_id__in=list(neighbourhood_ids),
            response__submitted_at__date__gte=start,
            response__submitted_at__date__lte=end,
            option__seldom_heard_group__isnull=False,
        )
        .values_list("response__neighbourhood_id", "option__seldom_heard_group_id")
        .order_by()
        .distinct()
    )
