"""Reads for a partner user's home page: the problems shared with their organisation, latest first,
and the open response actions assigned to their organisation (or to them) on those problems.

Both start from the access selectors (problems.selectors.access, through the "Shared with us"
list), so the home page never shows a partner more than the problem pages would: a problem leaves
both lists on the request after its share is revoked or its agreement lapses (DESIGN.md section 4)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest

from problems.models import OPEN_ACTION_STATUSES, DisclosurePart, Problem, ResponseAction
from problems.models.sharing import ProblemShare
from problems.selectors.access import problems_visible_to
from problems.selectors.disclosure import disclosed_rows
from problems.selectors.sharing import shared_with_us_list

if TYPE_CHECKING:
    from accounts.models import User

# Done and cancelled actions need nothing more from anyone.


def _active_share_of(user: User, problem_ref: str) -> QuerySet[ProblemShare]:
    # At most one active share per problem and organisation (the share_one_active constraint), so
    # a subquery on it yields one row.
    return ProblemShare.objects.filter(
        problem_id=OuterRef(problem_ref), organisation_id=user.organisation_id, ended_at__isnull=True
    )


def shared_problem_list_recent(*, user: User) -> QuerySet[Problem]:
    """The "Shared with us" list (with its access level and agreement annotations), ordered by
    what last happened to each problem, newest first: the share itself, or a later change to the
    record. One query whatever the number of rows; police users get none."""
    problems = shared_with_us_list(user=user)
    if not user.is_authenticated or not user.is_partner:
        return problems
    # `share_shared_at`: when the organisation's active share was made (problem_list_from_shares).
    return problems.annotate(last_activity=Greatest("share_shared_at", "updated_at")).order_by("-last_activity", "-pk")


def partner_action_list_open(*, user: User, today: datetime.date) -> QuerySet[ResponseAction]:
    """Open actions assigned to the user's organisation or to the user, on problems the user may
    see today, due soonest first. Each carries its problem, `is_overdue`, `text_disclosed` and `share_access` (a
    partner with view-only access cannot mark an action done: action_complete_by_partner needs
    contribute access). One query whatever the number of rows."""
    if not user.is_authenticated or not user.is_partner:
        return ResponseAction.objects.none()
    return (
        ResponseAction.objects.filter(
            Q(responsible_organisation_id=user.organisation_id) | Q(responsible_user_id=user.pk),
            problem__in=problems_visible_to(user),
            status__in=OPEN_ACTION_STATUSES,
        )
        .select_related("problem")
        .annotate(
            is_overdue=ExpressionWrapper(Q(due_date__lt=today), output_field=BooleanField()),
            # Whether the share discloses the action's text (the row is the organisation's either way).
            text_disclosed=disclosed_rows(user=user, part=DisclosurePart.ACTION),
            share_access=Subquery(_active_share_of(user, "problem_id").values("access_level")[:1]),
        )
        .order_by("due_date", "pk")
    )
