"""The audit viewer's reads (DESIGN.md section 5): the events a supervisor or the data protection
officer may read, filtered by who, what, which kind of event and when.

Scope: the events of the reader's force. An event is the force's when one of the force's users did
it, or it was done (by anyone, or by the system) to one of the force's problems, the shares of
those problems, the force's users, an agreement the force is party to or one of its breaches.
Supervisors read the same minus the data protection officer's own work (`dataprotection.*`: the
names searched for in subject-access requests and the breach log are not theirs to see)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from dataprotection.models import Breach
from partnerships.models import Agreement
from problems.models import Problem, ProblemShare

if TYPE_CHECKING:
    from django.db.models import Model

DATA_PROTECTION_VERBS = "dataprotection."

# The kinds of object an event may be about, for the viewer's filter: "<app>.<model>" labels.
TARGET_TYPES: tuple[tuple[str, str], ...] = (
    ("problems.problem", "Problem"),
    ("problems.problemshare", "Share of a problem"),
    ("problems.problemupdate", "Problem update"),
    ("problems.decisionlogentry", "Decision"),
    ("partnerships.agreement", "Agreement"),
    ("partnerships.organisation", "Organisation"),
    ("accounts.user", "User"),
    ("engagement.engagementevent", "Engagement event"),
    ("engagement.safetyplan", "Safety plan"),
    ("evaluation.survey", "Survey"),
    ("dataprotection.breach", "Breach"),
    ("core.reminder", "Reminder"),
)


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""
    target_type: str = ""
    target: str = ""
    verb: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters used, for the audit event that records the search."""
        return {name: value for name, value in self.__dict__.items() if value not in ("", None)}


def _keys(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Primary keys as text, to compare with AuditEvent.target_id (a subquery, not a list)."""
    return rows.annotate(key=Cast("pk", CharField())).values("key")


def _about(model: type[Model], rows: QuerySet[Any]) -> Q:
    return Q(target_type=model._meta.label_lower, target_id__in=_keys(rows))


def force_events(force_id: int) -> Q:
    """The events of one force (see the module's docstring)."""
    return (
        Q(actor_organisation_id=force_id)
        | _about(Problem, Problem.objects.filter(owning_organisation_id=force_id))
        | _about(ProblemShare, ProblemShare.objects.filter(problem__owning_organisation_id=force_id))
        | _about(User, User.objects.filter(organisation_id=force_id))
        | _about(Agreement, Agreement.objects.filter(parties__organisation_id=force_id))
        | _about(Breach, Breach.objects.filter(organisation_id=force_id))
    )


def audit_events_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Every event `user` may read (the caller has checked they may read the audit log)."""
    events = AuditEvent.objects.filter(force_events(user.organisation_id))
    if not user.is_data_protection_officer:
        events = events.exclude(verb__startswith=DATA_PROTECTION_VERBS)
    return events


def _target(filters: AuditFilters, force_id: int) -> Q:
    """An object by id, or a problem or agreement by its reference."""
    text = filters.target.strip()
    if text.isdigit():
        return Q(target_id=text)
    return _about(Problem, Problem.objects.filter(owning_organisation_id=force_id, reference__iexact=text)) | _about(
        Agreement, Agreement.objects.filter(reference__iexact=text)
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list(*, user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events `user` may read that match `filters`, newest first, with their actors."""
    events = audit_events_visible_to(user=user)
    who = filters.who.strip()
    if who:
        events = events.filter(Q(actor__email__iexact=who) | Q(actor__full_name__icontains=who))
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target.strip():
        events = events.filter(_target(filters, user.organisation_id))
    if filters.verb.strip():
        events = events.filter(verb__startswith=filters.verb.strip().lower())
    if filters.since:
        events = events.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        events = events.filter(created_at__lt=_day_start(filters.until + datetime.timedelta(days=1)))
    return events.select_related("actor", "actor_organisation").order_by("-created_at", "-id")
