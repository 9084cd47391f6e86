"""Partnership tasking meetings (issue 21): holding one (date, attendees by organisation and
person, the agenda built from the partnership's open shared problems, overdue actions and new
referrals), minutes per item, joint decisions recorded into each problem's decision log naming
the organisations present, and actions assigned to attendees' organisations. Every write is
audited; decisions and actions go through the decision-log and response-action services, so
their own rules (who writes a decision log, which stage takes actions) hold at a meeting too."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from partnerships.models import Organisation, Partnership
from problems.models import AgendaItem, AgendaItemKind, MeetingDecision, ResponseAction, TaskingMeeting
from problems.selectors.meetings import (
    CANNOT_RUN_MEETING,
    can_run_meeting,
    current_member_organisations,
    partnership_new_referrals,
    partnership_open_shared_problems,
    partnership_overdue_actions,
)
from problems.services.decisions import decision_record
from problems.services.sara.actions import action_add

if TYPE_CHECKING:
    from accounts.models import User

MEETING_DATE_REQUIRED = "Enter the date of the meeting."
MEETING_NO_ORGANISATIONS = "Choose the organisations that attended."
MEETING_NOT_MEMBER = "{organisation} is not a current member of {partnership}."
MEETING_PERSON_NOT_PRESENT = "{name} is from {organisation}, which is not among the organisations that attended."
MINUTES_TOO_LONG = "Keep the minutes of an item to 10,000 characters."
DECISION_NOT_A_PROBLEM_ITEM = "A joint decision is recorded against a problem: this item has none."
ACTION_NOT_ATTENDEE = "Assign the action to one of the organisations that attended."
JOINT_DECISION_PREFIX = (
    "Joint decision at the {partnership} tasking meeting on {date}. Organisations present: {present}."
)
MINUTES_MAX_LENGTH = 10000


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    partnership: Partnership,
    held_on: datetime.date | None,
    organisations: Iterable[Organisation],
    people: Iterable[User] = (),
    title: str = "",
) -> TaskingMeeting:
    """Hold a tasking meeting: record who attended and build its agenda from the partnership's
    open shared problems, their overdue actions and the referrals to it awaiting a decision."""
    if not can_run_meeting(actor):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    chosen = list(dict.fromkeys(organisations))
    attendees = list(dict.fromkeys(people))
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = MEETING_DATE_REQUIRED
    members = {o.pk for o in current_member_organisations(partnership=partnership, today=held_on)}
    if not chosen:
        errors["organisations"] = MEETING_NO_ORGANISATIONS
    for organisation in chosen:
        if organisation.pk not in members:
            errors["organisations"] = MEETING_NOT_MEMBER.format(organisation=organisation, partnership=partnership)
    present = {o.pk for o in chosen}
    for person in attendees:
        if person.organisation_id not in present:
            errors["people"] = MEETING_PERSON_NOT_PRESENT.format(
                name=person.full_name, organisation=person.organisation
            )
    if errors or held_on is None:
        raise ValidationError(errors)
    meeting = TaskingMeeting.objects.create(
        partnership=partnership, held_on=held_on, title=(title or "").strip(), created_by=actor
    )
    meeting.organisations.set(chosen)
    meeting.people.set(attendees)
    items: list[AgendaItem] = []
    for problem in partnership_open_shared_problems(partnership=partnership):
        items.append(AgendaItem(meeting=meeting, kind=AgendaItemKind.PROBLEM, problem=problem, order=len(items) + 1))
    for action in partnership_overdue_actions(partnership=partnership):
        items.append(
            AgendaItem(meeting=meeting, kind=AgendaItemKind.OVERDUE_ACTION, action=action, order=len(items) + 1)
        )
    for referral in partnership_new_referrals(partnership=partnership):
        items.append(AgendaItem(meeting=meeting, kind=AgendaItemKind.REFERRAL, referral=referral, order=len(items) + 1))
    AgendaItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        verb="problems.meeting.created",
        target=meeting,
        detail={
            "partnership": partnership.pk,
            "held_on": held_on,
            "organisations": sorted(present),
            "people": sorted(p.pk for p in attendees),
            "items": len(items),
        },
    )
    return meeting


@transaction.atomic
def agenda_item_minutes_set(*, actor: User, item: AgendaItem, minutes: str) -> AgendaItem:
    if not can_run_meeting(actor):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    minutes = (minutes or "").strip()
    if len(minutes) > MINUTES_MAX_LENGTH:
        raise ValidationError({"minutes": MINUTES_TOO_LONG})
    before = item.minutes
    item.minutes = minutes
    item.save(update_fields=["minutes"])
    audit_record(
        actor=actor,
        verb="problems.meeting.minutes_set",
        target=item,
        detail={"meeting": item.meeting_id, "minutes": {"before": before, "after": minutes}},
    )
    return item


def _item_problem(item: AgendaItem) -> Any:
    if item.problem_id is not None:
        return item.problem
    if item.action_id is not None:
        return item.action.problem  # type: ignore[union-attr]
    raise ValidationError(DECISION_NOT_A_PROBLEM_ITEM)


@transaction.atomic
def meeting_decision_record(*, actor: User, item: AgendaItem, **texts: Any) -> MeetingDecision:
    """Record a joint decision taken at the meeting on `item`'s problem into the problem's
    decision log (decision_record: only the lead organisation's users write it), naming the
    organisations present: in the entry's text, and as the partner organisations of the joint
    decision (the owning force aside), whose leads then confirm it."""
    if not can_run_meeting(actor):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    problem = _item_problem(item)
    meeting = item.meeting
    present = list(meeting.organisations.order_by("name"))
    heading = JOINT_DECISION_PREFIX.format(
        partnership=meeting.partnership.name,
        date=f"{meeting.held_on.day} {meeting.held_on:%B %Y}",
        present=", ".join(o.name for o in present),
    )
    information = (texts.pop("information", "") or "").strip()
    entry = decision_record(
        actor=actor,
        problem=problem,
        information=f"{heading}\n\n{information}" if information else "",
        is_joint=True,
        partner_organisations=[o for o in present if o.pk != problem.owning_organisation_id],
        **texts,
    )
    decision = MeetingDecision.objects.create(item=item, entry=entry)
    audit_record(
        actor=actor,
        verb="problems.meeting.decision_recorded",
        target=decision,
        detail={"meeting": meeting.pk, "problem": problem.pk, "entry": entry.pk},
    )
    return decision


@transaction.atomic
def meeting_action_assign(
    *,
    actor: User,
    item: AgendaItem,
    organisation: Organisation | None,
    description: str,
    intervention_kind: str,
    due_date: datetime.date | None,
) -> ResponseAction:
    """Assign an action agreed at the meeting to an attending organisation, as a response action
    of the item's problem (action_add: the problem's editors, at the response stage). The person
    responsible is the organisation until it names one on the problem."""
    if not can_run_meeting(actor):
        raise PermissionDenied(CANNOT_RUN_MEETING)
    problem = _item_problem(item)
    if organisation is None or not item.meeting.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": ACTION_NOT_ATTENDEE})
    action = action_add(
        actor=actor,
        problem=problem,
        description=description,
        intervention_kind=intervention_kind,
        responsible_organisation=organisation,
        due_date=due_date,
        responsible_person=f"{organisation.name} (agreed at the tasking meeting of {item.meeting.held_on:%d/%m/%Y})",
    )
    audit_record(
        actor=actor,
        verb="problems.meeting.action_assigned",
        target=action,
        detail={"meeting": item.meeting_id, "item": item.pk, "organisation": organisation.pk},
    )
    return action
