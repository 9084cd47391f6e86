"""Changing who works a problem: handover by its lead, reassignment by a supervisor (one problem or
many, with one note), the incoming lead's acknowledgement, and the problem team.

The lead (`Problem.owner`) changes when the handover is made, in the same transaction that records
it, so that the old lead loses edit rights on their next request and the new lead gains them;
nothing else on the problem changes (decisions, actions, shares and reviews stay). Review
reminders already made for the old lead and not yet sent are withdrawn, so the next sweep
addresses the new lead and the old one is never reminded of a problem they no longer lead."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from core.audit import audit_record
from problems.models import Handover, HandoverKind, Problem, ProblemFollower, ProblemTeamMember
from problems.reminders import reminders_withdraw_for_problems
from problems.selectors.access import CANNOT_LEAD, CONTRIBUTING_ROLES, can_change_problem, can_reassign_problems
from problems.services.following import problem_follow
from problems.services.notifications import HANDED_OVER, problem_notify

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
HANDOVER_TO_CURRENT_LEAD = "{name} already leads this problem: choose another officer."
HANDOVER_TO_INACTIVE = "{name}'s account is not active: choose an active officer."
HANDOVER_TO_OTHER_FORCE = "{name} is not an officer of {force}: a problem is handed over within its force."
HANDOVER_TO_NON_OFFICER = "{name} is not an officer or supervisor, so cannot lead a problem."
HANDOVER_NOTE_REQUIRED = "Write a handover note: what the incoming lead needs to know."
HANDOVER_DATE_IN_FUTURE = "The handover date cannot be in the future."
HANDOVER_PROBLEM_CLOSED = "{reference} is closed: reopen it before handing it over."
HANDOVER_TEXT_TOO_LONG = "Keep each part of the handover to {limit} characters or fewer."
REASSIGN_NOT_SUPERVISOR = "Only a supervisor of the owning force can reassign problems."
REASSIGN_NOTHING_CHOSEN = "Choose at least one problem to reassign."
ACKNOWLEDGE_NOT_YOURS = "Only the incoming lead can acknowledge this handover."
ACKNOWLEDGE_NOT_PENDING = "This handover is not awaiting acknowledgement."
TEAM_NOT_OFFICER = "{name} cannot join the team: only active officers of {force} can."
TEAM_IS_LEAD = "{name} leads this problem already."
TEAM_ALREADY = "{name} is on the team already."
TEAM_CANNOT_SEE = "{name} cannot see this restricted problem: name them on it first."

HANDOVER_TEXT_LIMIT = 5000


def _check_incoming_lead(problem: Problem, to_user: User) -> None:
    name = to_user.full_name or to_user.email
    if to_user.pk == problem.owner_id:
        raise ValidationError({"to_user": HANDOVER_TO_CURRENT_LEAD.format(name=name)})
    if to_user.organisation_id != problem.owning_organisation_id:
        raise ValidationError(
            {"to_user": HANDOVER_TO_OTHER_FORCE.format(name=name, force=problem.owning_organisation.name)}
        )
    if not to_user.is_active:
        raise ValidationError({"to_user": HANDOVER_TO_INACTIVE.format(name=name)})
    if to_user.role not in CONTRIBUTING_ROLES:
        raise ValidationError({"to_user": HANDOVER_TO_NON_OFFICER.format(name=name)})


def _clean_handover_text(*, note: str, outstanding_items: str, known_risks: str) -> tuple[str, str, str]:
    note, outstanding_items, known_risks = ((value or "").strip() for value in (note, outstanding_items, known_risks))
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = HANDOVER_NOTE_REQUIRED
    for field, value in (("note", note), ("outstanding_items", outstanding_items), ("known_risks", known_risks)):
        if len(value) > HANDOVER_TEXT_LIMIT:
            errors[field] = HANDOVER_TEXT_TOO_LONG.format(limit=HANDOVER_TEXT_LIMIT)
    if errors:
        raise ValidationError(errors)
    return note, outstanding_items, known_risks


def _hand_over(
    *,
    actor: User,
    problem: Problem,
    to_user: User,
    kind: str,
    note: str,
    outstanding_items: str,
    known_risks: str,
    handover_date: datetime.date,
    old_lead_follows: bool = False,
) -> Handover:
    """Record one change of lead on a locked, open problem (checks done by the caller), tell the
    incoming lead (in the app and by email) and the followers, and keep the old lead as a follower
    if they asked to."""
    now = timezone.now()
    from_user_id = problem.owner_id
    # At most one handover awaits acknowledgement: a later one supersedes it.
    Handover.objects.filter(problem=problem, acknowledged_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=now
    )
    handover = Handover.objects.create(
        problem=problem,
        kind=kind,
        from_user_id=from_user_id,
        to_user=to_user,
        note=note,
        outstanding_items=outstanding_items,
        known_risks=known_risks,
        handover_date=handover_date,
        made_by=actor,
    )
    problem.owner = to_user
    problem.save(update_fields=["owner", "updated_at"])
    # The lead is not also a team member.
    ProblemTeamMember.objects.filter(problem=problem, user=to_user).delete()
    reminders_withdraw_for_problems(problem_ids=[problem.pk], recipient_id=from_user_id)
    already_follows = ProblemFollower.objects.filter(problem=problem, user_id=from_user_id).exists()
    if old_lead_follows and actor.pk == from_user_id and not already_follows:
        problem_follow(actor=actor, problem=problem)
    problem_notify(
        problem=problem, event=HANDED_OVER, actor=actor, extra_recipients=[to_user], email_recipients=[to_user]
    )
    audit_record(
        actor=actor,
        verb=f"problems.problem.{'handed_over' if kind == HandoverKind.HANDOVER else 'reassigned'}",
        target=problem,
        detail={
            "reference": problem.reference,
            "handover": handover.pk,
            "from": from_user_id,
            "to": to_user.pk,
            "handover_date": handover_date,
        },
    )
    return handover


def _lock_open(problem: Problem) -> Problem:
    locked = Problem.objects.select_for_update(of=("self",)).select_related("owning_organisation").get(pk=problem.pk)
    if not locked.is_open:
        raise ValidationError(HANDOVER_PROBLEM_CLOSED.format(reference=locked.reference))
    return locked


def _handover_date(value: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if value is None:
        return today
    if value > today:
        raise ValidationError({"handover_date": HANDOVER_DATE_IN_FUTURE})
    return value


@transaction.atomic
def problem_hand_over(
    *,
    actor: User,
    problem: Problem,
    to_user: User,
    note: str,
    outstanding_items: str = "",
    known_risks: str = "",
    handover_date: datetime.date | None = None,
    keep_following: bool = False,
) -> Handover:
    """The lead (a "handover") or a supervisor of the owning force (a "reassignment") makes
    `to_user` the problem's lead, with a structured handover the incoming lead acknowledges. A
    lead handing over may stay on as a follower (`keep_following`)."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied(CANNOT_LEAD)
    note, outstanding_items, known_risks = _clean_handover_text(
        note=note, outstanding_items=outstanding_items, known_risks=known_risks
    )
    when = _handover_date(handover_date)
    problem = _lock_open(problem)
    _check_incoming_lead(problem, to_user)
    kind = HandoverKind.HANDOVER if actor.pk == problem.owner_id else HandoverKind.REASSIGNMENT
    return _hand_over(
        actor=actor,
        problem=problem,
        to_user=to_user,
        kind=kind,
        note=note,
        outstanding_items=outstanding_items,
        known_risks=known_risks,
        handover_date=when,
        old_lead_follows=keep_following,
    )


@transaction.atomic
def problems_reassign(
    *,
    actor: User,
    problems: Iterable[Problem],
    to_user: User,
    note: str,
    outstanding_items: str = "",
    known_risks: str = "",
) -> list[Handover]:
    """A supervisor reassigns several problems of their force to one officer, with one note.
    All or nothing: if any problem cannot be reassigned, none is."""
    if not can_reassign_problems(actor):
        raise PermissionDenied(REASSIGN_NOT_SUPERVISOR)
    chosen = list(problems)
    if not chosen:
        raise ValidationError({"problems": REASSIGN_NOTHING_CHOSEN})
    note, outstanding_items, known_risks = _clean_handover_text(
        note=note, outstanding_items=outstanding_items, known_risks=known_risks
    )
    if any(problem.owning_organisation_id != actor.organisation_id for problem in chosen):
        raise PermissionDenied(REASSIGN_NOT_SUPERVISOR)
    # Every problem is locked, in a fixed order, before the first audit event: recording one holds
    # the audit chain's lock until commit, so waiting on a row after it could deadlock.
    locked_problems = list(
        Problem.objects.select_for_update(of=("self",))
        .select_related("owning_organisation")
        .filter(pk__in=[problem.pk for problem in chosen])
        .order_by("pk")
    )
    for locked in locked_problems:
        if not locked.is_open:
            raise ValidationError(HANDOVER_PROBLEM_CLOSED.format(reference=locked.reference))
        _check_incoming_lead(locked, to_user)
    today = timezone.localdate()
    handovers = []
    for locked in locked_problems:
        handovers.append(
            _hand_over(
                actor=actor,
                problem=locked,
                to_user=to_user,
                kind=HandoverKind.REASSIGNMENT,
                note=note,
                outstanding_items=outstanding_items,
                known_risks=known_risks,
                handover_date=today,
            )
        )
    return handovers


@transaction.atomic
def handover_acknowledge(*, actor: User, handover: Handover) -> Handover:
    """The incoming lead acknowledges the handover (recorded with the time)."""
    handover = Handover.objects.select_for_update(of=("self",)).select_related("problem").get(pk=handover.pk)
    if handover.to_user_id != actor.pk:
        raise PermissionDenied(ACKNOWLEDGE_NOT_YOURS)
    if not handover.is_pending or handover.problem.owner_id != actor.pk:
        raise ValidationError(ACKNOWLEDGE_NOT_PENDING)
    handover.acknowledged_at = timezone.now()
    handover.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor,
        verb="problems.handover.acknowledged",
        target=handover,
        detail={"reference": handover.problem.reference, "problem": handover.problem_id},
    )
    return handover


@transaction.atomic
def problem_team_add(*, actor: User, problem: Problem, user: User) -> ProblemTeamMember:
    """The lead or a supervisor adds an officer of the owning force to the problem team."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied(CANNOT_LEAD)
    name = user.full_name or user.email
    if user.organisation_id != problem.owning_organisation_id or not user.is_active or user.role != Role.OFFICER:
        raise ValidationError({"user": TEAM_NOT_OFFICER.format(name=name, force=problem.owning_organisation.name)})
    if user.pk == problem.owner_id:
        raise ValidationError({"user": TEAM_IS_LEAD.format(name=name)})
    if problem.restricted and not problem.named_users.filter(pk=user.pk).exists():
        raise ValidationError({"user": TEAM_CANNOT_SEE.format(name=name)})
    member, created = ProblemTeamMember.objects.get_or_create(problem=problem, user=user, defaults={"added_by": actor})
    if not created:
        raise ValidationError({"user": TEAM_ALREADY.format(name=name)})
    audit_record(
        actor=actor,
        verb="problems.team.member_added",
        target=problem,
        detail={"reference": problem.reference, "user": user.pk},
    )
    return member


@transaction.atomic
def problem_team_remove(*, actor: User, problem: Problem, member: ProblemTeamMember) -> None:
    """The lead or a supervisor takes an officer off the team; they lose edit rights on their
    next request."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied(CANNOT_LEAD)
    user_id = member.user_id
    member.delete()
    audit_record(
        actor=actor,
        verb="problems.team.member_removed",
        target=problem,
        detail={"reference": problem.reference, "user": user_id},
    )
