"""Who may build, see the results of, and answer a survey (DESIGN.md section 4). The one place
these rules live: views, selectors and templates all ask here.

- Build and change: police officers, supervisors and analysts for their force's surveys; partner
  leads for their organisation's. A partner member, and a supervisor looking at a partner's survey,
  read the results only (403 on writes).
- Results: every user of the owning organisation, and supervisors of the police force concerned
  (the force covering the survey's neighbourhood, owning its problem, or a current member of its
  partnership). Administrators see no operational records. Outsiders get 404.
- Addressed to: a survey names a neighbourhood and a partnership only among those its builder may
  use (`neighbourhood_list_usable_for_surveys`, `partnership_list_usable_for_surveys`): the form
  offers these and the services refuse any other, because a partnership's current members answer
  a partner survey and the owner reads their answers, and the force covering a neighbourhood
  answers and reads officer surveys there.
- Answer (signed in): an officer survey by the police users of the owning force (or the force
  covering its neighbourhood); a partner survey by users of the owning organisation and of the
  current members of its partnership. The public answer public surveys by link only
  (`survey_get_by_token`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import FORCE_STAFF_ROLES, Role
from core.access import get_visible_or_404
from engagement.selectors.access import neighbourhoods_visible_to
from evaluation.models.surveys import Audience, Survey, SurveyStatus
from partnerships.models import Neighbourhood, Partnership, PartnershipMembership

if TYPE_CHECKING:
    from accounts.models import User

POLICE_BUILDER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ANALYST})
PARTNER_BUILDER_ROLES = frozenset({Role.PARTNER_LEAD})
SURVEY_ACTIONS = ("view", "change")
# A public link keeps showing the "closed" page this long after the survey closed; after that it
# is expired and gives 404 like an unknown link (a stale poster no longer reveals the survey).
DEFAULT_LINK_GRACE_DAYS = 90


def _current_member(user: User, partnership_ref: str = "partnership_id") -> Exists:
    today = timezone.localdate()
    return Exists(
        PartnershipMembership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=today),
            partnership_id=OuterRef(partnership_ref),
            organisation_id=user.organisation_id,
            joined_on__lte=today,
        )
    )


def can_build_surveys(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.organisation.is_police:
        return user.role in POLICE_BUILDER_ROLES
    return user.role in PARTNER_BUILDER_ROLES


def can_change_survey(user: User, survey: Survey) -> bool:
    return survey.owner_id == user.organisation_id and can_build_surveys(user)


def neighbourhood_list_usable_for_surveys(*, user: User) -> QuerySet[Neighbourhood]:
    """The active neighbourhoods a survey builder may survey: a police user's force's own, a
    partner lead's those worked by a partnership their organisation is a current member of (the
    neighbourhoods whose engagement they see)."""
    if not can_build_surveys(user):
        return Neighbourhood.objects.none()
    return neighbourhoods_visible_to(user).filter(active=True).order_by("name")


def partnership_list_usable_for_surveys(*, user: User) -> QuerySet[Partnership]:
    """The active partnerships a survey builder may survey: those their organisation is a current
    member of (their members answer, and the builder's organisation reads the answers)."""
    if not can_build_surveys(user):
        return Partnership.objects.none()
    return Partnership.objects.filter(_current_member(user, "pk"), active=True).order_by("name")


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    """The surveys whose results `user` may see."""
    if not user.is_authenticated or user.role in FORCE_STAFF_ROLES:
        return Survey.objects.none()
    visible = Q(owner_id=user.organisation_id)
    if user.role == Role.SUPERVISOR and user.organisation.is_police:
        visible |= (
            Q(neighbourhood__organisation_id=user.organisation_id)
            | Q(problem__owning_organisation_id=user.organisation_id)
            | Q(_current_member(user))
        )
    return Survey.objects.filter(visible)


def survey_get_for_user(
    *, user: User, pk: object, action: str = "view", queryset: QuerySet[Survey] | None = None
) -> Survey:
    """The survey if the user may see its results (else 404) and may do `action` (else 403)."""
    if action not in SURVEY_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    visible = surveys_visible_to(user)
    if queryset is not None:
        visible = queryset & visible
    survey = get_visible_or_404(visible, pk=pk)
    if action == "change" and not can_change_survey(user, survey):
        raise PermissionDenied
    return survey


def surveys_answerable_by(user: User) -> QuerySet[Survey]:
    """The signed-in surveys (published or closed, never drafts) `user` may answer."""
    if not user.is_authenticated or user.role in FORCE_STAFF_ROLES:
        return Survey.objects.none()
    shown = Survey.objects.exclude(status=SurveyStatus.DRAFT)
    partner = Q(audience=Audience.PARTNER) & (Q(owner_id=user.organisation_id) | Q(_current_member(user)))
    rule = partner
    if user.is_police:
        rule |= Q(audience=Audience.OFFICER) & (
            Q(owner_id=user.organisation_id) | Q(neighbourhood__organisation_id=user.organisation_id)
        )
    return shown.filter(rule)


def survey_get_for_answer(*, user: User, pk: object) -> Survey:
    return get_visible_or_404(surveys_answerable_by(user), pk=pk)


def survey_get_by_token(*, token: str, today: datetime.date | None = None) -> Survey:
    """A public survey by its link: unknown, draft or expired links give 404."""
    today = today or timezone.localdate()
    grace = datetime.timedelta(days=getattr(settings, "SURVEY_LINK_GRACE_DAYS", DEFAULT_LINK_GRACE_DAYS))
    surveys = Survey.objects.filter(
        audience=Audience.PUBLIC, status__in=(SurveyStatus.PUBLISHED, SurveyStatus.CLOSED), closes_on__gte=today - grace
    )
    return get_visible_or_404(surveys.select_related("neighbourhood", "owner"), public_token=token)


def survey_is_open(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == SurveyStatus.PUBLISHED and survey.opens_on <= today <= survey.closes_on


def survey_not_yet_open(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == SurveyStatus.PUBLISHED and today < survey.opens_on
