"""Community priorities: setting them, deciding on them, recording what was done, and turning one
into a problem. Each service takes the acting user first, runs in a transaction and records an
audit event. The issue and the actions are published ("You said, we did"), so they are checked for
the personal details most often pasted in by mistake."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes, snapshot
from core.concurrency import SOMEONE, StateConflict, last_saved_by, version_claim, when
from engagement.models import (
    CHOSEN_AT_A_MEETING,
    PRIORITY_TRANSITIONS,
    ChosenBy,
    CommunityPriority,
    EngagementEvent,
    PriorityAction,
    PriorityStatus,
)
from engagement.selectors.access import can_change_in, can_record_engagement
from engagement.services.common import check_public_text, text
from partnerships.models import Neighbourhood
from problems.models import DemandSourceKind, Problem, ProblemCategory, ProblemSource
from problems.services.problems import problem_create
from problems.services.sara import problem_scanning_update

if TYPE_CHECKING:
    from accounts.models import User

PRIORITY_CANNOT_CHANGE = "Only officers and supervisors of the force covering the neighbourhood can set its priorities."
ISSUE_REQUIRED = "Say what residents asked the team to work on."
ISSUE_DATE_IN_FUTURE = "The date the priority was set cannot be in the future."
CHOSEN_BY_INVALID = "Choose how the priority was chosen."
VOTES_REQUIRED = "Enter the number of votes for the priority, as there was a vote."
VOTES_MORE_THAN_CAST = "The votes for the priority cannot be more than the votes cast."
EVENT_OTHER_NEIGHBOURHOOD = "Choose a meeting held in the same neighbourhood."
SURVEY_LINKED = (
    "This priority was set from a survey's results: unlink it there before saying it was chosen another way."
)
STATUS_NOT_ALLOWED = "A priority that is {current} cannot become {new}."
PRIORITY_STATUS_CHANGED = (
    "This priority is already {status}: {name} changed it {when}. Nothing was changed: check it as it is now."
)
NOT_ADOPTED_REASON_REQUIRED = "Give the reason the priority was not adopted."
ACTION_REQUIRED = "Say what was done."
ACTION_DATE_IN_FUTURE = "The date of the action cannot be in the future."
ACTION_BEFORE_ISSUE = "The action cannot be dated before the priority was set ({date:%d %B %Y})."
ACTION_NOT_ADOPTED = "Adopt the priority before recording what was done about it."
PROBLEM_NEEDS_ADOPTION = "Only an adopted priority, or one in progress, can become a problem."
# The demand notes of a problem opened from a community priority.
PRIORITY_DEMAND_NOTE = "A community priority ({how})."

PRIORITY_FIELDS = ("neighbourhood", "issue", "issue_date", "chosen_by", "votes_for", "votes_cast", "event", "survey")
EDITABLE_FIELDS = ("issue", "issue_date", "chosen_by", "votes_for", "votes_cast", "event")
# A problem's title is at most 200 characters; a longer issue is cut at a word.
PROBLEM_TITLE_LENGTH = 200


def _check(priority: CommunityPriority) -> None:
    errors: dict[str, str] = {}
    if not priority.issue:
        errors["issue"] = ISSUE_REQUIRED
    elif message := check_public_text(priority.issue):
        errors["issue"] = message
    if priority.issue_date > timezone.localdate():
        errors["issue_date"] = ISSUE_DATE_IN_FUTURE
    if priority.survey_id is not None and priority.chosen_by != ChosenBy.SURVEY:
        errors["chosen_by"] = SURVEY_LINKED
    elif priority.chosen_by not in ChosenBy.values:
        errors["chosen_by"] = CHOSEN_BY_INVALID
    elif priority.chosen_by == ChosenBy.MEETING_VOTE and priority.votes_for is None:
        errors["votes_for"] = VOTES_REQUIRED
    if priority.votes_for is not None and priority.votes_cast is not None and priority.votes_for > priority.votes_cast:
        errors["votes_cast"] = VOTES_MORE_THAN_CAST
    if priority.event_id is not None and priority.event.neighbourhood_id != priority.neighbourhood_id:  # type: ignore[union-attr]
        errors["event"] = EVENT_OTHER_NEIGHBOURHOOD
    if errors:
        raise ValidationError(errors)


def _lock(priority: CommunityPriority, actor: User) -> CommunityPriority:
    priority = CommunityPriority.objects.select_for_update().select_related("neighbourhood").get(pk=priority.pk)
    if not can_change_in(actor, priority.neighbourhood):
        raise PermissionDenied(PRIORITY_CANNOT_CHANGE)
    return priority


@transaction.atomic
def priority_create(
    *,
    actor: User,
    neighbourhood: Neighbourhood,
    issue: str,
    chosen_by: str,
    issue_date: datetime.date | None = None,
    votes_for: int | None = None,
    votes_cast: int | None = None,
    event: EngagementEvent | None = None,
) -> CommunityPriority:
    """Set a priority for a neighbourhood; it starts as proposed."""
    if not (can_record_engagement(actor) and can_change_in(actor, neighbourhood) and neighbourhood.active):
        raise PermissionDenied(PRIORITY_CANNOT_CHANGE)
    priority = CommunityPriority(
        neighbourhood=neighbourhood,
        issue=text(issue),
        issue_date=issue_date or timezone.localdate(),
        chosen_by=chosen_by,
        votes_for=votes_for,
        votes_cast=votes_cast,
        event=event,
        created_by=actor,
    )
    _check(priority)
    priority.save()
    audit_record(
        actor=actor, verb="engagement.priority.created", target=priority, detail=snapshot(priority, PRIORITY_FIELDS)
    )
    return priority


@transaction.atomic
def priority_update(
    *, actor: User, priority: CommunityPriority, seen_version: int | None = None, **fields: Any
) -> CommunityPriority:
    """Change a priority's details. `seen_version`: the `lock_version` its editor saw; a change over
    a later one is refused (core.concurrency); None saves without checking."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    priority = _lock(priority, actor)
    before = snapshot(priority, PRIORITY_FIELDS)
    if "issue" in fields:
        fields["issue"] = text(fields["issue"])
    if fields.get("issue_date", priority.issue_date) is None:
        fields.pop("issue_date")
    for name, value in fields.items():
        setattr(priority, name, value)
    _check(priority)
    diff = changes(before, snapshot(priority, PRIORITY_FIELDS))
    if diff:
        version_claim(priority, seen=seen_version, verbs=("engagement.priority.updated",))
    priority.save()
    if diff:
        audit_record(actor=actor, verb="engagement.priority.updated", target=priority, detail=diff)
    return priority


@transaction.atomic
def priority_set_status(
    *,
    actor: User,
    priority: CommunityPriority,
    status: str,
    reason: str = "",
    on: datetime.date | None = None,
    seen_status: str | None = None,
) -> CommunityPriority:
    """Move a priority on (PRIORITY_TRANSITIONS). Adopting it records the day (`on`, else today),
    which is when it joins the public page; not adopting it needs a reason. `seen_status`: the
    status on the page the move was made from; two moves at once end in one (core.concurrency)."""
    priority = _lock(priority, actor)
    previous = priority.status
    if seen_status is not None and seen_status != previous:
        saved = last_saved_by(priority, ("engagement.priority.status_changed",))
        name, moment = saved if saved else (SOMEONE, priority.updated_at)
        raise StateConflict(
            PRIORITY_STATUS_CHANGED.format(status=priority.get_status_display().lower(), name=name, when=when(moment)),
            current=priority,
            field="seen_status",
            value=previous,
        )
    if status not in PRIORITY_TRANSITIONS.get(previous, ()):
        current = PriorityStatus(previous).label.lower()
        new = PriorityStatus(status).label.lower() if status in PriorityStatus.values else status
        raise ValidationError({"status": STATUS_NOT_ALLOWED.format(current=current, new=new)})
    reason = text(reason)
    if status == PriorityStatus.NOT_ADOPTED and not reason:
        raise ValidationError({"reason": NOT_ADOPTED_REASON_REQUIRED})
    priority.status = status
    if status == PriorityStatus.ADOPTED:
        priority.adopted_on = on or timezone.localdate()
    elif status == PriorityStatus.PROPOSED:
        priority.adopted_on = None
    priority.not_adopted_reason = reason if status == PriorityStatus.NOT_ADOPTED else ""
    priority.save(update_fields=["status", "adopted_on", "not_adopted_reason", "updated_at"])
    audit_record(
        actor=actor,
        verb="engagement.priority.status_changed",
        target=priority,
        detail={"status": {"before": previous, "after": status}, "reason": reason, "adopted_on": priority.adopted_on},
    )
    return priority


@transaction.atomic
def priority_action_add(
    *, actor: User, priority: CommunityPriority, description: str, taken_on: datetime.date | None = None
) -> PriorityAction:
    """Record what was done about an adopted priority (published as the "we did")."""
    priority = _lock(priority, actor)
    if not priority.is_published:
        raise ValidationError(ACTION_NOT_ADOPTED)
    description = text(description)
    taken_on = taken_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = ACTION_REQUIRED
    elif message := check_public_text(description):
        errors["description"] = message
    if taken_on > timezone.localdate():
        errors["taken_on"] = ACTION_DATE_IN_FUTURE
    elif taken_on < priority.issue_date:
        errors["taken_on"] = ACTION_BEFORE_ISSUE.format(date=priority.issue_date)
    if errors:
        raise ValidationError(errors)
    action = PriorityAction.objects.create(
        priority=priority, description=description, taken_on=taken_on, created_by=actor
    )
    audit_record(
        actor=actor,
        verb="engagement.priority.action_added",
        target=priority,
        detail={"action": action.pk, "description": description, "taken_on": taken_on},
    )
    return action


def _problem_title(issue: str) -> str:
    first_line = issue.splitlines()[0].strip() if issue else ""
    if len(first_line) <= PROBLEM_TITLE_LENGTH:
        return first_line
    return first_line[: PROBLEM_TITLE_LENGTH - 3].rsplit(" ", 1)[0] + "..."


def _evidence(priority: CommunityPriority) -> str:
    chosen = ChosenBy(priority.chosen_by).label.lower()
    votes = ""
    if priority.votes_for is not None:
        votes = f", {priority.votes_for} votes" + (f" of {priority.votes_cast}" if priority.votes_cast else "")
    return (
        f"Community priority for {priority.neighbourhood.name} set on {priority.issue_date:%d %B %Y} ({chosen}{votes})."
    )


@transaction.atomic
def priority_problem_create(
    *, actor: User, priority: CommunityPriority, category: ProblemCategory, risk_level: str
) -> Problem:
    """Open a problem from an adopted priority in one step, through the problems app's own service:
    the issue becomes the problem's description and its scanning statement, the priority's origin
    its evidence, the community's words its perceived problem, and the two are linked (the priority
    lists the problem)."""
    priority = _lock(priority, actor)
    if not priority.can_become_problem:
        raise ValidationError(PROBLEM_NEEDS_ADOPTION)
    from_meeting = priority.chosen_by in CHOSEN_AT_A_MEETING
    problem = problem_create(
        actor=actor,
        title=_problem_title(priority.issue),
        description=priority.issue,
        category=category,
        neighbourhood=priority.neighbourhood,
        source=ProblemSource.PUBLIC_MEETING if from_meeting else ProblemSource.COMMUNITY_REPORT,
        risk_level=risk_level,
        # The demand: the community set the priority (at a ward panel's meeting, or otherwise), in
        # their words.
        demand_sources=[DemandSourceKind.WARD_PANEL if from_meeting else DemandSourceKind.OTHER],
        demand_note=PRIORITY_DEMAND_NOTE.format(how=priority.get_chosen_by_display().lower()),
        perceived_problem=priority.issue,
    )
    problem = problem_scanning_update(
        actor=actor, problem=problem, problem_statement=priority.issue, evidence_sources=_evidence(priority)
    )
    priority.problems.add(problem)
    audit_record(
        actor=actor,
        verb="engagement.priority.problem_created",
        target=priority,
        detail={"problem": problem.pk, "reference": problem.reference},
    )
    return problem
