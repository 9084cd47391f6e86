"""Telling people of a problem's news: one fan-out for every problem event (stage moves, handovers,
decisions, updates, shares, actions assigned), and the daily digest for followers who ask for it.

Who is told: the problem's followers and whoever the calling service names (the partner told of a
share, the organisation given an action, the incoming lead), never the actor, each once, and only
those who can see the problem at that moment (problems.selectors.access.problem_viewers): a
follower who lost sight of it (a share ended, the problem restricted) is simply not told. The
in-app title names the problem by reference and title, which every recipient may see.

Emails carry no case detail: they say only that a problem was shared or an action assigned (or
that there is news) and link to the problem, behind the access checks. They go through the
reminder ledger (core.reminders): queued after commit, sent exactly once, retried on failure,
never lost to a broker outage. One email a day at most per recipient, problem and event: a second
action assigned to the same organisation on the same day is in the app, not in another email."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import Notification, Reminder
from core.reminders import ReminderSpec, reminders_queue
from problems.models import Problem, ProblemFollower, Stage
from problems.selectors.access import problem_viewers, problems_visible_to

if TYPE_CHECKING:
    from partnerships.models import Organisation

# The events (a notification's kind is "problems.<event>").
STAGE_MOVED = "stage_moved"
REOPENED = "reopened"
SIGNED_OFF = "signed_off"
HANDED_OVER = "handed_over"
DECISION_RECORDED = "decision_recorded"
UPDATE_ADDED = "update_added"
SHARED = "shared"
ACTION_ASSIGNED = "action_assigned"

# What the title says after "<reference> <title>: ". {stage} is the problem's stage now;
# {organisation} the organisation shared with or given the action ("your organisation" for its own
# people).
PHRASES = {
    STAGE_MOVED: "moved to {stage}",
    REOPENED: "reopened at {stage}",
    SIGNED_OFF: "assessment signed off",
    HANDED_OVER: "handed over",
    DECISION_RECORDED: "decision recorded",
    UPDATE_ADDED: "update added",
    SHARED: "shared with {organisation}",
    ACTION_ASSIGNED: "action assigned to {organisation}",
}
EVENT_KINDS = tuple(f"problems.{event}" for event in PHRASES)
CLOSED_PHRASE = "closed"
YOUR_ORGANISATION = "your organisation"

# The email of each event: none names the problem, only what happened to it, with a link.
EMAIL_TEMPLATES = {
    SHARED: "problem_shared",
    ACTION_ASSIGNED: "problem_action_assigned",
    HANDED_OVER: "problem_handed_over",
}
GENERIC_EMAIL_TEMPLATE = "problem_news"

TITLE_MAX_LENGTH = 200
PROBLEM_TARGET = "problems.problem"


def problem_link(problem: Problem) -> str:
    return reverse("problem-detail", kwargs={"pk": problem.pk})


def _phrase(event: str, problem: Problem, organisation: str) -> str:
    if event == STAGE_MOVED and problem.stage == Stage.CLOSED:
        return CLOSED_PHRASE
    return PHRASES[event].format(stage=problem.get_stage_display().lower(), organisation=organisation)


def notification_title(problem: Problem, phrase: str) -> str:
    """'<reference> <title>: <phrase>', the problem's title shortened to fit the column."""
    room = TITLE_MAX_LENGTH - len(problem.reference) - len(phrase) - 3
    title = problem.title if len(problem.title) <= room else problem.title[: max(room - 1, 0)].rstrip() + "…"
    return f"{problem.reference} {title}: {phrase}"


def problem_notify(
    *,
    problem: Problem,
    event: str,
    actor: User | None,
    extra_recipients: Iterable[User] = (),
    email_recipients: Iterable[User] = (),
    organisation: Organisation | None = None,
) -> int:
    """Tell the problem's followers and `extra_recipients` of `event` in the app, and
    `email_recipients` by email too, never the actor, each once, and only those who can see the
    problem now. `organisation` is the one shared with or given an action (its name is in the
    title). Runs inside the caller's transaction: nothing is told if it rolls back, and the emails
    are queued after it commits. Returns how many were told.

    Queries: one for the recipients (followers and visibility in one), one INSERT of the
    notifications; with emails, one INSERT and one SELECT of their reminder rows."""
    if event not in PHRASES:
        raise ValueError(f"Unknown problem event {event!r}")
    named = {user.pk for user in extra_recipients}
    emailed = {user.pk for user in email_recipients}
    followers = ProblemFollower.objects.filter(problem_id=problem.pk).values("user_id")
    candidates = User.objects.filter(Q(pk__in=followers) | Q(pk__in=named | emailed), is_active=True)
    if actor is not None:
        candidates = candidates.exclude(pk=actor.pk)
    recipients = list(problem_viewers(problem, candidates).order_by("pk").values_list("pk", "organisation_id"))
    if not recipients:
        return 0
    name = organisation.name if organisation is not None else ""
    general = _phrase(event, problem, name)
    own = _phrase(event, problem, YOUR_ORGANISATION) if event == ACTION_ASSIGNED else general
    titles = {
        pk: notification_title(problem, own if organisation is not None and org_id == organisation.pk else general)
        for pk, org_id in recipients
    }
    kind, link = f"problems.{event}", problem_link(problem)
    reminder_ids = _email_rows(problem, event, kind, link, {pk: titles[pk] for pk in titles if pk in emailed})
    # ignore_conflicts: two notifications racing for one reminder (the same event twice at once)
    # keep the first; the database's one-per-reminder key decides.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                title=titles[pk],
                link=link,
                target_type=PROBLEM_TARGET,
                target_id=str(problem.pk),
                reminder_id=reminder_ids.get(pk),
            )
            for pk in titles
        ],
        ignore_conflicts=True,
    )
    if reminder_ids:
        reminders_queue(sorted(reminder_ids.values()))
    return len(recipients)


def _email_rows(problem: Problem, event: str, kind: str, link: str, titles: dict[int, str]) -> dict[int, int]:
    """A reminder row per emailed recipient (sent by core.reminders after commit); a recipient
    already emailed of this event on this problem today gets no second row. Returns the new rows'
    ids by recipient."""
    if not titles:
        return {}
    today = timezone.localdate()
    template = EMAIL_TEMPLATES.get(event, GENERIC_EMAIL_TEMPLATE)
    rows = [
        Reminder(
            kind=kind,
            target_type=PROBLEM_TARGET,
            target_id=str(problem.pk),
            due_date=today,
            recipient_id=pk,
            template=template,
            title=title,
            link=link,
            # No case detail: the email says what happened, not to what (the link says which).
            context={"what": _phrase(event, problem, YOUR_ORGANISATION)} if template == GENERIC_EMAIL_TEMPLATE else {},
        )
        for pk, title in titles.items()
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    # The rows of today without a notification are the ones just made (each row made here gets
    # its notification in the same transaction).
    return dict(
        Reminder.objects.filter(
            kind=kind,
            target_type=PROBLEM_TARGET,
            target_id=str(problem.pk),
            due_date=today,
            recipient_id__in=list(titles),
            notification__isnull=True,
        ).values_list("recipient_id", "pk")
    )


# --- The daily digest for followers ------------------------------------------------------------

DIGEST_KIND = "problems.follower_digest"
DIGEST_MAX_ITEMS = 50


def follower_digest_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    """One email a day to each active user following a problem with the digest: their unread
    notifications of those problems since their last digest (each notification's title: the
    reference, the problem's title and what happened), and only of problems they can still see.
    Nothing twice: a digest starts where the last one (its reminder row) was made.

    Queries: the digest follows, the last digests, the unread notifications, the users, then one
    visibility query per user with news (what each may see depends on who they are)."""
    followed: dict[int, set[int]] = defaultdict(set)
    for user_id, problem_id in ProblemFollower.objects.filter(digest=True, user__is_active=True).values_list(
        "user_id", "problem_id"
    ):
        followed[user_id].add(problem_id)
    if not followed:
        return
    last = dict(
        Reminder.objects.filter(kind=DIGEST_KIND, recipient_id__in=list(followed))
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    news: dict[int, list[tuple[int, str]]] = defaultdict(list)
    unread = (
        Notification.objects.filter(
            recipient_id__in=list(followed), read_at__isnull=True, kind__in=EVENT_KINDS, target_type=PROBLEM_TARGET
        )
        .order_by("created_at", "pk")
        .values_list("recipient_id", "target_id", "title", "created_at")
    )
    for user_id, target_id, title, created_at in unread:
        since = last.get(user_id)
        if (since is None or created_at > since) and int(target_id) in followed[user_id]:
            news[user_id].append((int(target_id), title))
    if not news:
        return
    for user in User.objects.filter(pk__in=list(news)).select_related("organisation").order_by("pk"):
        items = news[user.pk]
        visible = set(problems_visible_to(user).filter(pk__in={pk for pk, _ in items}).values_list("pk", flat=True))
        titles = [title for pk, title in items if pk in visible]
        if not titles:
            continue
        yield ReminderSpec(
            kind=DIGEST_KIND,
            target=user,
            due_date=today,
            recipient_id=user.pk,
            template="follower_digest",
            title=f"Your daily digest: {len(titles)} item{'s' if len(titles) != 1 else ''} on problems you follow",
            link=reverse("notification-list"),
            context={"items": titles[:DIGEST_MAX_ITEMS], "more": max(len(titles) - DIGEST_MAX_ITEMS, 0)},
        )
