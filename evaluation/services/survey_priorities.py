"""Linking a community priority to the survey whose results set it (issue 7: priorities are set "at
a meeting or from a survey"). The link is the priority's `survey`; it lives here, not in
engagement, because the rules need the survey (engagement comes before evaluation). Each service
takes the acting user first, runs in a transaction and records an audit event on the priority."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from core.dates import long_date
from engagement.models import CHOSEN_AT_A_MEETING, ChosenBy, CommunityPriority
from engagement.selectors.access import can_change_in
from evaluation.models.surveys import Survey
from evaluation.selectors.survey_priorities import can_link_priorities

if TYPE_CHECKING:
    from accounts.models import User

CANNOT_LINK = (
    "Only the officers and supervisors of the force that owns a public survey can link priorities to it, once it "
    "has opened."
)
OTHER_NEIGHBOURHOOD = "Choose a priority of the survey's neighbourhood ({neighbourhood})."
FROM_ANOTHER_SURVEY = "This priority was set from another survey: unlink it there first."
CHOSEN_AT_MEETING = "This priority was set at a meeting; only a priority chosen by survey or another way can be linked."
SET_BEFORE_SURVEY = "This priority was set before the survey opened ({opens_on}), so not from its results."
INACTIVE_NEIGHBOURHOOD = "The priorities of a neighbourhood no longer in use cannot change."
NOT_LINKED = "This priority is not linked to this survey."


def _lock(priority: CommunityPriority, actor: User, survey: Survey) -> CommunityPriority:
    if not can_link_priorities(actor, survey):
        raise PermissionDenied(CANNOT_LINK)
    priority = CommunityPriority.objects.select_for_update().select_related("neighbourhood").get(pk=priority.pk)
    if not can_change_in(actor, priority.neighbourhood):
        raise PermissionDenied(CANNOT_LINK)
    return priority


@transaction.atomic
def survey_priority_link(*, actor: User, survey: Survey, priority: CommunityPriority) -> CommunityPriority:
    """Record that `priority` was set from the survey's results; it is then chosen by survey."""
    priority = _lock(priority, actor, survey)
    if not priority.neighbourhood.active:
        raise ValidationError({"priority": INACTIVE_NEIGHBOURHOOD})
    if survey.neighbourhood_id is not None and priority.neighbourhood_id != survey.neighbourhood_id:
        raise ValidationError({"priority": OTHER_NEIGHBOURHOOD.format(neighbourhood=survey.neighbourhood)})
    if priority.survey_id not in (None, survey.pk):
        raise ValidationError({"priority": FROM_ANOTHER_SURVEY})
    # Set at a meeting (its votes, its meeting) and from a survey are two stories: not both.
    if priority.chosen_by in CHOSEN_AT_A_MEETING or priority.event_id is not None:
        raise ValidationError({"priority": CHOSEN_AT_MEETING})
    if priority.issue_date < survey.opens_on:
        raise ValidationError({"priority": SET_BEFORE_SURVEY.format(opens_on=long_date(survey.opens_on))})
    before = {"survey": priority.survey_id, "chosen_by": priority.chosen_by}
    priority.survey, priority.chosen_by = survey, ChosenBy.SURVEY
    priority.save(update_fields=["survey", "chosen_by", "updated_at"])
    audit_record(
        actor=actor,
        verb="evaluation.survey.priority_linked",
        target=priority,
        detail={"survey": survey.pk, "before": before},
    )
    return priority


@transaction.atomic
def survey_priority_unlink(*, actor: User, survey: Survey, priority: CommunityPriority) -> CommunityPriority:
    """Remove the link; the priority keeps "chosen by survey" until someone says otherwise."""
    priority = _lock(priority, actor, survey)
    if priority.survey_id != survey.pk:
        raise ValidationError(NOT_LINKED)
    priority.survey = None
    priority.save(update_fields=["survey", "updated_at"])
    audit_record(actor=actor, verb="evaluation.survey.priority_unlinked", target=priority, detail={"survey": survey.pk})
    return priority
