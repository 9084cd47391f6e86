"""Who may see and do what with engagement records (DESIGN.md section 4). The one place these rules
live: views, selectors and templates all ask here.

Engagement events, community priorities and safety plans belong to a neighbourhood. Police users of
the force covering the neighbourhood see them; officers and supervisors also record and change
them (an analyst reads only). A partner user sees those of the neighbourhoods worked by a
partnership their organisation is a member of today. Administrators see no operational records.
The public sees only the published "You said, we did" page (engagement.views.public). Outsiders get
404, never 403; a reader gets 403 on a write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import Role
from core.access import get_visible_or_404
from engagement.models import CommunityPriority, EngagementEvent, SafetyPlan
from partnerships.models import Neighbourhood, PartnershipMembership
from partnerships.selectors.partnerships import current_membership_q

if TYPE_CHECKING:
    from accounts.models import User

Action = Literal["view", "change"]
# Officers and supervisors log engagement and change it; analysts read it.
EDITING_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def neighbourhoods_visible_to(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose engagement records the user may see."""
    if not user.is_authenticated:
        return Neighbourhood.objects.none()
    if user.is_police:
        return Neighbourhood.objects.filter(organisation_id=user.organisation_id)
    if user.is_partner:
        memberships = PartnershipMembership.objects.filter(
            current_membership_q(today=timezone.localdate()),
            partnership_id=OuterRef("partnership_id"),
            organisation_id=user.organisation_id,
        )
        return Neighbourhood.objects.filter(Exists(memberships))
    return Neighbourhood.objects.none()


def neighbourhoods_editable_by(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods in which the user may record engagement (active ones only)."""
    if not can_record_engagement(user):
        return Neighbourhood.objects.none()
    return Neighbourhood.objects.filter(organisation_id=user.organisation_id, active=True)


def can_record_engagement(user: User) -> bool:
    return user.is_authenticated and user.role in EDITING_ROLES and user.is_police


def can_change_in(user: User, neighbourhood: Neighbourhood) -> bool:
    """Change the engagement records of `neighbourhood`: officers and supervisors of its force."""
    return user.role in EDITING_ROLES and neighbourhood.organisation_id == user.organisation_id


def _visible[M: Model](model: type[M], user: User) -> QuerySet[M]:
    return model._default_manager.filter(neighbourhood__in=neighbourhoods_visible_to(user))


def events_visible_to(user: User) -> QuerySet[EngagementEvent]:
    return _visible(EngagementEvent, user)


def priorities_visible_to(user: User) -> QuerySet[CommunityPriority]:
    return _visible(CommunityPriority, user)


def plans_visible_to(user: User) -> QuerySet[SafetyPlan]:
    return _visible(SafetyPlan, user)


def _get[M: Model](visible: QuerySet[M], *, user: User, pk: object, action: Action) -> M:
    if action not in ("view", "change"):
        raise ValueError(f"Unknown action {action!r}")
    obj = get_visible_or_404(visible.select_related("neighbourhood"), pk=pk)
    if action == "change" and not can_change_in(user, obj.neighbourhood):  # type: ignore[attr-defined]
        raise PermissionDenied
    return obj


def event_get_for_user(
    *, user: User, pk: object, action: Action = "view", queryset: QuerySet[EngagementEvent] | None = None
) -> EngagementEvent:
    """The event if the user may see it (else 404) and may do `action` to it (else 403)."""
    visible = events_visible_to(user)
    return _get(visible if queryset is None else queryset & visible, user=user, pk=pk, action=action)


def priority_source_survey_for(user: User, priority: CommunityPriority) -> Any:
    """The survey the priority was set from, if `user` may see its results: a survey's results are
    its owning organisation's (evaluation.selectors.surveys_access), and only a police force's
    public surveys are linked to priorities (evaluation.services.survey_priorities)."""
    survey = priority.survey
    return survey if survey is not None and survey.owner_id == user.organisation_id else None


def priority_get_for_user(
    *, user: User, pk: object, action: Action = "view", queryset: QuerySet[CommunityPriority] | None = None
) -> CommunityPriority:
    """The priority if the user may see it (else 404) and may do `action` to it (else 403)."""
    visible = priorities_visible_to(user)
    return _get(visible if queryset is None else queryset & visible, user=user, pk=pk, action=action)


def plan_get_for_user(
    *, user: User, pk: object, action: Action = "view", queryset: QuerySet[SafetyPlan] | None = None
) -> SafetyPlan:
    """The safety plan if the user may see it (else 404) and may do `action` to it (else 403)."""
    visible = plans_visible_to(user)
    return _get(visible if queryset is None else queryset & visible, user=user, pk=pk, action=action)
