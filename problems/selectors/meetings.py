"""Reads of partnership tasking meetings (issue 21), with their access rules.

Who sees a meeting: police officers, supervisors and analysts (who see every partnership), and
the users of a partner organisation currently a member of the meeting's partnership. Who runs it
(holds a meeting, writes minutes, assigns actions): officers, supervisors and partner users among
those; analysts read (403 on writes). Administrators and data protection officers see no
operational records (404). A joint decision on an item is written into its problem's decision
log, so only the problem's lead organisation's users record it (problems.selectors.access).

An agenda item names a problem, an action or a referral. The meeting is seen by the whole
partnership, but a problem's title, its action's text and the minutes of its item are shown only
to those who may see the problem (the others see that an item is withheld)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import PARTNER_ROLES, Role
from core.access import get_visible_or_404
from partnerships.models import Organisation, Partnership, PartnershipMembership
from partnerships.selectors.partnerships import current_membership_q, partnership_visible
from problems.models import (
    OPEN_ACTION_STATUSES,
    AgendaItem,
    MeetingDecision,
    Problem,
    ProblemShare,
    Referral,
    ReferralStatus,
    ResponseAction,
    Stage,
    TaskingMeeting,
)
from problems.selectors.access import problems_visible_to, share_in_force

if TYPE_CHECKING:
    from accounts.models import User

MeetingAction = Literal["view", "run"]
RUNNING_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, *PARTNER_ROLES})
READING_ROLES = RUNNING_ROLES | {Role.ANALYST}
CANNOT_RUN_MEETING = "Analysts read tasking meetings; officers, supervisors and partners run them."
# An organisation that missed this many of the partnership's latest meetings in a row "has stopped
# coming" (the partnership page says so), after attending at least one before.
STOPPED_COMING_AFTER = 3
ATTENDANCE_MEETINGS_SHOWN = 6


def can_run_meeting(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in RUNNING_ROLES)


def meeting_partnerships_visible_to(user: User) -> QuerySet[Partnership]:
    """The partnerships whose meetings `user` may see."""
    if not user.is_authenticated or user.role not in READING_ROLES:
        return Partnership.objects.none()
    return partnership_visible(user=user)


def partnership_for_meetings(*, user: User, pk: object, action: MeetingAction = "view") -> Partnership:
    partnership = get_visible_or_404(meeting_partnerships_visible_to(user), pk=pk)
    if action == "run" and not can_run_meeting(user):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    return partnership


def meetings_visible_to(user: User) -> QuerySet[TaskingMeeting]:
    return TaskingMeeting.objects.filter(partnership__in=meeting_partnerships_visible_to(user))


def meeting_get_for_user(*, user: User, pk: object, action: MeetingAction = "view") -> TaskingMeeting:
    meeting = get_visible_or_404(meetings_visible_to(user).select_related("partnership"), pk=pk)
    if action == "run" and not can_run_meeting(user):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    return meeting


def item_problem_id(item: AgendaItem) -> int | None:
    """The problem an agenda item is about (its own, or its action's), or None for a referral."""
    if item.problem_id is not None:
        return item.problem_id
    return item.action.problem_id if item.action is not None else None


def agenda_item_get_for_user(*, user: User, pk: object, action: MeetingAction = "view") -> AgendaItem:
    """An agenda item of a meeting `user` may see whose problem (if any) they may see too."""
    items = AgendaItem.objects.filter(meeting__in=meetings_visible_to(user)).select_related(
        "meeting__partnership", "problem", "action", "referral"
    )
    item = get_visible_or_404(items, pk=pk)
    problem_id = item_problem_id(item)
    if problem_id is not None and not problems_visible_to(user).filter(pk=problem_id).exists():
        raise Http404
    if action == "run" and not can_run_meeting(user):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    return item


def current_member_organisations(
    *, partnership: Partnership, today: datetime.date | None = None
) -> QuerySet[Organisation]:
    members = PartnershipMembership.objects.filter(current_membership_q(today=today), partnership=partnership)
    return Organisation.objects.filter(pk__in=members.values("organisation_id")).order_by("name")


# --- the agenda's sources ---------------------------------------------------------------------


def partnership_open_shared_problems(
    *, partnership: Partnership, today: datetime.date | None = None
) -> QuerySet[Problem]:
    """The partnership's open shared problems: open, unrestricted problems of a member force that
    are shared (a share in force) with another member organisation, or led by one."""
    members = current_member_organisations(partnership=partnership, today=today).values("pk")
    shared = ProblemShare.objects.filter(share_in_force(), problem_id=OuterRef("pk"), organisation_id__in=members)
    return (
        Problem.objects.filter(owning_organisation_id__in=members, restricted=False, disposed_at__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .filter(Q(Exists(shared)) | Q(lead_organisation_id__in=members))
        .order_by("reference")
    )


def partnership_overdue_actions(
    *, partnership: Partnership, today: datetime.date | None = None
) -> QuerySet[ResponseAction]:
    today = today or timezone.localdate()
    problems = partnership_open_shared_problems(partnership=partnership, today=today)
    return ResponseAction.objects.filter(
        problem__in=problems, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
    ).order_by("due_date", "id")


def partnership_new_referrals(*, partnership: Partnership) -> QuerySet[Referral]:
    return Referral.objects.filter(partnership=partnership, status=ReferralStatus.PENDING).order_by("created_at")


# --- the meeting page -------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: AgendaItem
    # The problem's title, the action's text and the minutes may be shown to this user.
    disclosed: bool
    decisions: list[MeetingDecision] = field(default_factory=list)


def meeting_items_for(*, user: User, meeting: TaskingMeeting) -> list[ItemRow]:
    """The agenda, each item with whether its problem may be shown to `user`. Three queries: the
    items with problems, actions (with theirs and their organisations) and referrals; their
    decisions with entries; the problems of these `user` may see."""
    items = list(
        meeting.items.select_related(
            "problem", "action__problem", "action__responsible_organisation", "referral__referring_organisation"
        ).prefetch_related(Prefetch("decisions", queryset=MeetingDecision.objects.select_related("entry")))
    )
    ids = [pk for pk in (item_problem_id(i) for i in items) if pk is not None]
    seen = set(problems_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    rows = []
    for item in items:
        problem_id = item_problem_id(item)
        rows.append(
            ItemRow(item=item, disclosed=problem_id is None or problem_id in seen, decisions=list(item.decisions.all()))
        )
    return rows


def meeting_list_for_partnership(*, partnership: Partnership) -> QuerySet[TaskingMeeting]:
    return TaskingMeeting.objects.filter(partnership=partnership).prefetch_related("organisations")


@dataclass
class AttendanceRow:
    organisation: Organisation
    attended: list[bool]
    stopped_coming: bool


def partnership_attendance(*, partnership: Partnership) -> tuple[list[TaskingMeeting], list[AttendanceRow]]:
    """Attendance by organisation over the partnership's latest meetings (oldest first), for its
    current members: who came to which, and who has stopped coming (missed the latest
    STOPPED_COMING_AFTER in a row after coming before). Three queries."""
    meetings = list(meeting_list_for_partnership(partnership=partnership)[:ATTENDANCE_MEETINGS_SHOWN])[::-1]
    all_attended = {
        organisation_id
        for organisation_id in TaskingMeeting.objects.filter(partnership=partnership).values_list(
            "organisations", flat=True
        )
        if organisation_id is not None
    }
    rows = []
    for organisation in current_member_organisations(partnership=partnership):
        attended = [any(o.pk == organisation.pk for o in m.organisations.all()) for m in meetings]
        latest = attended[-STOPPED_COMING_AFTER:]
        stopped = len(latest) == STOPPED_COMING_AFTER and not any(latest) and organisation.pk in all_attended
        rows.append(AttendanceRow(organisation=organisation, attended=attended, stopped_coming=stopped))
    return meetings, rows


def partnership_attendance_panel(*, partnership: Partnership, user: User) -> dict[str, object] | None:
    """The partnership page's "Tasking meetings" panel (partnerships.panels): attendance by
    organisation over the latest meetings. Nothing for those who see no meetings."""
    if not meeting_partnerships_visible_to(user).filter(pk=partnership.pk).exists():
        return None
    meetings, rows = partnership_attendance(partnership=partnership)
    return {
        "partnership": partnership,
        "attendance_meetings": meetings,
        "attendance": rows,
        "stopped_after": STOPPED_COMING_AFTER,
    }
