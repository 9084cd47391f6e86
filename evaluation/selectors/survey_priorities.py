"""Community priorities set from a survey's results: which are shown on the results page, which a
user may link, and who may link them (evaluation.services.survey_priorities holds the writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from engagement.models import CHOSEN_AT_A_MEETING, CommunityPriority
from engagement.selectors.access import can_record_engagement, neighbourhoods_editable_by, priorities_visible_to
from evaluation.models.surveys import Audience, Survey, SurveyStatus
from evaluation.selectors.surveys_access import can_change_survey

if TYPE_CHECKING:
    from accounts.models import User


def can_link_priorities(user: User, survey: Survey) -> bool:
    """A public survey (community priorities come from residents) that has opened, and the survey's
    own builders who also set priorities: police officers and supervisors (a partner lead builds
    surveys but does not set the police's priorities; an analyst neither)."""
    return (
        survey.audience == Audience.PUBLIC
        and survey.status != SurveyStatus.DRAFT
        and survey.opens_on <= timezone.localdate()
        and can_change_survey(user, survey)
        and can_record_engagement(user)
    )


def survey_priorities_shown(*, user: User, survey: Survey) -> QuerySet[CommunityPriority]:
    """The priorities set from the survey that the user may see, with their neighbourhoods."""
    shown = priorities_visible_to(user).filter(survey=survey)
    return shown.select_related("neighbourhood").order_by("-issue_date", "-pk")


def survey_priority_candidates(*, user: User, survey: Survey) -> QuerySet[CommunityPriority]:
    """The priorities the user may link to the survey (the rules of
    evaluation.services.survey_priorities.survey_priority_link): set in a neighbourhood whose
    priorities they may change (the survey's own, when it has one), on or after the survey opened,
    not at a meeting, and not from another survey."""
    candidates = (
        priorities_visible_to(user)
        .filter(
            survey__isnull=True,
            neighbourhood__in=neighbourhoods_editable_by(user),
            issue_date__gte=survey.opens_on,
            event__isnull=True,
        )
        .exclude(chosen_by__in=CHOSEN_AT_A_MEETING)
    )
    if survey.neighbourhood_id is not None:
        candidates = candidates.filter(neighbourhood_id=survey.neighbourhood_id)
    return candidates.select_related("neighbourhood").order_by("-issue_date", "-pk")
