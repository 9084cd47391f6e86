"""Reminder sweeps of the problems app, registered with core.reminders (ProblemsConfig.ready):

- reviews due in 3 days, due today and overdue, to the owning officer; overdue by more than 7
  days, also to the supervisors of the owning organisation;
- response actions due in 3 days and overdue, to the responsible user or, for a partner
  organisation without one, its single points of contact (else the problem's owner);
- a weekly digest for each supervisor who wants it: overdue reviews, stalled problems, overdue
  partner actions and agreements due for review in their force;
- when a share is suspended because its agreement ended, its problem's owner is told;
- a daily digest for each follower who asked for it (problems.services.notifications).

Each selection is one indexed query (problem_review_due_idx, action_status_due_idx); everything
per recipient is looked up in one more query, never one per item. Emails and notifications name a
problem by its reference only: no title, description or other case detail (restricted or not), so
a reminder discloses nothing and the link leads to the record behind the access checks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.dates import long_date
from core.models import Reminder, ReminderState
from core.reminders import ReminderSpec, register_sweep, reminders_create, reminders_queue_pending
from partnerships.models import Agreement, Contact, Organisation
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.models.organisations import OrganisationKind
from partnerships.selectors.organisations import spoc_on
from problems.models import OPEN_ACTION_STATUSES, Problem, ProblemShare, ResponseAction
from problems.selectors.problems import OPEN_STAGES, overdue_review, problem_list_due_for_review
from problems.services import notifications

REVIEW_SOON_DAYS = 3
ESCALATE_AFTER_DAYS = 7
ACTION_SOON_DAYS = 3
STALLED_AFTER_DAYS = 30

REVIEW_KINDS = (
    "problems.review_due_soon",
    "problems.review_due_today",
    "problems.review_overdue",
    "problems.review_overdue_supervisor",
)
ACTION_KINDS = ("problems.action_due_soon", "problems.action_overdue")
DIGEST_KIND = "problems.weekly_digest"
SHARE_SUSPENDED_KIND = "problems.share_suspended"


def _problem_link(pk: int) -> str:
    return reverse("problem-detail", kwargs={"pk": pk})


def supervisors_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active supervisors of each police organisation, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(
        organisation_id__in=set(organisation_ids), role=Role.SUPERVISOR, is_active=True
    ).values_list("organisation_id", "pk")
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


# --- Reviews -------------------------------------------------------------------------------------


def review_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    """Reviews due in exactly REVIEW_SOON_DAYS, due today, or overdue (one reminder per review date;
    a later review date is a new reminder)."""
    soon = today + datetime.timedelta(days=REVIEW_SOON_DAYS)
    rows = problem_list_due_for_review(on_date=today, within_days=REVIEW_SOON_DAYS).values_list(
        "pk", "reference", "next_review_date", "owner_id", "owning_organisation_id"
    )
    escalations: list[tuple[int, str, datetime.date, int]] = []
    for pk, reference, review_date, owner_id, organisation_id in rows.iterator(chunk_size=2000):
        if review_date is None:  # never: the query asks for a date (this tells the type checker)
            continue
        context = {"reference": reference, "due_on": long_date(review_date)}
        if review_date == soon:
            kind, when, title = REVIEW_KINDS[0], "soon", f"Review of {reference} due on {long_date(review_date)}"
        elif review_date == today:
            kind, when, title = REVIEW_KINDS[1], "today", f"Review of {reference} due today"
        elif review_date < today:
            kind, when, title = (
                REVIEW_KINDS[2],
                "overdue",
                f"Review of {reference} overdue since {long_date(review_date)}",
            )
            if (today - review_date).days > ESCALATE_AFTER_DAYS:
                escalations.append((pk, reference, review_date, organisation_id))
        else:
            continue
        yield ReminderSpec(
            kind=kind,
            target=Problem(pk=pk),
            due_date=review_date,
            recipient_id=owner_id,
            template="review_reminder",
            title=title,
            link=_problem_link(pk),
            context={**context, "when": when},
        )
    supervisors = supervisors_by_organisation(org for *_, org in escalations)
    for pk, reference, review_date, organisation_id in escalations:
        days = (today - review_date).days
        for supervisor_id in supervisors.get(organisation_id, []):
            yield ReminderSpec(
                kind=REVIEW_KINDS[3],
                target=Problem(pk=pk),
                due_date=review_date,
                recipient_id=supervisor_id,
                template="review_reminder",
                title=f"Review of {reference} overdue by {days} days",
                link=_problem_link(pk),
                context={"reference": reference, "due_on": long_date(review_date), "when": "escalated", "days": days},
            )


# --- Response actions ----------------------------------------------------------------------------


def actions_due(today: datetime.date) -> Q:
    """Open actions of open problems due in ACTION_SOON_DAYS or before: a range scan of the
    (status, due_date) index."""
    return Q(
        status__in=OPEN_ACTION_STATUSES,
        due_date__lte=today + datetime.timedelta(days=ACTION_SOON_DAYS),
        problem__stage__in=OPEN_STAGES,
    )


def spoc_users_by_organisation(organisation_ids: Iterable[int], today: datetime.date) -> dict[int, list[int]]:
    """The active users who are a single point of contact of each organisation today, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = (
        Contact.objects.filter(spoc_on(today), organisation_id__in=set(organisation_ids), user__is_active=True)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
        .values_list("organisation_id", "user_id")
        .distinct()
    )
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


def action_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    soon = today + datetime.timedelta(days=ACTION_SOON_DAYS)
    rows = list(
        ResponseAction.objects.filter(actions_due(today))
        .filter(Q(due_date=soon) | Q(due_date__lt=today))
        .values_list(
            "pk",
            "due_date",
            "responsible_user_id",
            "responsible_user__is_active",
            "responsible_organisation_id",
            "responsible_organisation__kind",
            "problem_id",
            "problem__reference",
            "problem__owner_id",
        )
        .order_by("due_date", "pk")
    )
    partner_orgs = [row[4] for row in rows if not row[2] and row[5] != OrganisationKind.POLICE_FORCE]
    spocs = spoc_users_by_organisation(partner_orgs, today) if partner_orgs else {}
    for pk, due, user_id, user_active, org_id, org_kind, problem_id, reference, owner_id in rows:
        if user_id and user_active:
            recipients = [user_id]
        elif org_kind != OrganisationKind.POLICE_FORCE and spocs.get(org_id):
            recipients = spocs[org_id]
        else:
            # A police action with nobody named, or a partner with no SPOC today: the owner chases it.
            recipients = [owner_id]
        overdue = due < today
        kind = ACTION_KINDS[1] if overdue else ACTION_KINDS[0]
        title = (
            f"An action on {reference} is overdue (due {long_date(due)})"
            if overdue
            else f"An action on {reference} is due on {long_date(due)}"
        )
        for recipient_id in recipients:
            yield ReminderSpec(
                kind=kind,
                target=ResponseAction(pk=pk),
                due_date=due,
                recipient_id=recipient_id,
                template="action_reminder",
                title=title,
                link=_problem_link(problem_id),
                context={"reference": reference, "due_on": long_date(due), "overdue": overdue},
            )


# --- Weekly digest for supervisors -----------------------------------------------------------------


def week_start(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=today.weekday())


def digest_counts(organisation_ids: list[int], today: datetime.date) -> dict[int, dict[str, int]]:
    """For each police organisation: overdue reviews, stalled problems (open, no change in
    STALLED_AFTER_DAYS), overdue actions of partner organisations, agreements due for review.
    Four grouped queries, whatever the number of organisations."""
    counts: dict[int, dict[str, int]] = {
        pk: {"overdue_reviews": 0, "stalled": 0, "overdue_partner_actions": 0, "agreements_due": 0}
        for pk in organisation_ids
    }

    def fill(key: str, rows: Iterable[Mapping[str, Any]], field: str) -> None:
        for row in rows:
            counts[row[field]][key] = row["n"]

    fill(
        "overdue_reviews",
        Problem.objects.filter(overdue_review(today), owning_organisation_id__in=organisation_ids)
        .values("owning_organisation_id")
        .annotate(n=Count("pk")),
        "owning_organisation_id",
    )
    stalled_since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=STALLED_AFTER_DAYS), datetime.time.min)
    )
    fill(
        "stalled",
        Problem.objects.filter(
            stage__in=OPEN_STAGES, updated_at__lt=stalled_since, owning_organisation_id__in=organisation_ids
        )
        .values("owning_organisation_id")
        .annotate(n=Count("pk")),
        "owning_organisation_id",
    )
    fill(
        "overdue_partner_actions",
        ResponseAction.objects.filter(
            status__in=OPEN_ACTION_STATUSES,
            due_date__lt=today,
            problem__stage__in=OPEN_STAGES,
            problem__owning_organisation_id__in=organisation_ids,
        )
        .exclude(responsible_organisation__kind=OrganisationKind.POLICE_FORCE)
        .values("problem__owning_organisation_id")
        .annotate(n=Count("pk")),
        "problem__owning_organisation_id",
    )
    fill(
        "agreements_due",
        Agreement.objects.filter(
            status__in=IN_FORCE_STATUSES, review_date__lte=today, parties__organisation_id__in=organisation_ids
        )
        .values("parties__organisation_id")
        .annotate(n=Count("pk", distinct=True)),
        "parties__organisation_id",
    )
    return counts


def digest_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    """One digest a week (keyed by the Monday) to each active supervisor who has not turned it off."""
    supervisors = list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, receives_weekly_digest=True)
        .values_list("pk", "organisation_id")
        .order_by("pk")
    )
    if not supervisors:
        return
    counts = digest_counts(sorted({org for _, org in supervisors}), today)
    monday = week_start(today)
    for user_id, organisation_id in supervisors:
        yield ReminderSpec(
            kind=DIGEST_KIND,
            target=Organisation(pk=organisation_id),
            due_date=monday,
            recipient_id=user_id,
            template="weekly_digest",
            title=f"Your weekly digest for the week of {long_date(monday)}",
            link=reverse("problem-list"),
            context={**counts[organisation_id], "week_of": long_date(monday)},
        )


# --- Shares suspended when their agreement ended ------------------------------------------------


def share_suspended_reminders(shares: Iterable[ProblemShare], today: datetime.date) -> Iterator[ReminderSpec]:
    for share in shares:
        problem = share.problem
        yield ReminderSpec(
            kind=SHARE_SUSPENDED_KIND,
            target=share,
            due_date=today,
            recipient_id=problem.owner_id,
            template="share_suspended",
            title=f"Sharing of {problem.reference} with {share.organisation.name} has stopped",
            link=_problem_link(problem.pk),
            context={
                "reference": problem.reference,
                "organisation": share.organisation.name,
                "agreement": share.agreement.reference,
            },
        )


def notify_owners_of_suspended_shares(shares: list[ProblemShare]) -> None:
    """Tell each affected problem's owner (email and in-app) that a share of it was suspended.
    Runs inside the suspending transaction: the reminders are queued only if it commits."""
    if not shares:
        return
    with transaction.atomic():
        reminders_create(share_suspended_reminders(shares, timezone.localdate()))
        reminders_queue_pending(kinds=[SHARE_SUSPENDED_KIND])


def register() -> None:
    register_sweep("problems.reviews", review_reminders, kinds=REVIEW_KINDS)
    register_sweep("problems.actions", action_reminders, kinds=ACTION_KINDS)
    register_sweep("problems.weekly_digest", digest_reminders, kinds=[DIGEST_KIND])
    register_sweep(
        "problems.follower_digest", notifications.follower_digest_reminders, kinds=[notifications.DIGEST_KIND]
    )


# --- A change of lead ------------------------------------------------------------------------------


def reminders_withdraw_for_problems(*, problem_ids: Iterable[int], recipient_id: int) -> int:
    """Withdraw the review and action reminders of these problems that are addressed to a lead who
    no longer leads them and are not yet being sent (a handover or reassignment): the next sweep
    makes them again for the new lead. One claimed or sent is history and is left alone."""
    ids = list(problem_ids)
    review = Q(kind__in=REVIEW_KINDS[:3], target_type=Problem._meta.label_lower, target_id__in=[str(pk) for pk in ids])
    action_ids = ResponseAction.objects.filter(problem_id__in=ids).values_list("pk", flat=True)
    action = Q(
        kind__in=ACTION_KINDS,
        target_type=ResponseAction._meta.label_lower,
        target_id__in=[str(pk) for pk in action_ids],
    )
    deleted, _ = Reminder.objects.filter(review | action, recipient_id=recipient_id, state=ReminderState.DUE).delete()
    return deleted
