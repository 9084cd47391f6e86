"""Demo engagement for Northshire Police: events over the last twelve months in Eastgate, Riverside
and Northfield, with deliberate gaps in seldom-heard coverage (Gypsy, Roma and Traveller
communities and LGBTQ+ people are reached nowhere; Northfield reaches only older people and
business owners; City Centre has no engagement at all), community priorities in every status (one
turned into a problem), and one co-produced safety plan.

Everything is written through the services, so the audit trail is real. Idempotent: an event, a
priority or a plan that exists (matched on its neighbourhood and date, issue, or title) is left
alone."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from engagement.models import (
    CHOSEN_AT_A_MEETING,
    ChosenBy,
    CommunityPriority,
    EngagementEvent,
    EventKind,
    Party,
    PriorityStatus,
    SafetyPlan,
)
from engagement.services.events import event_create
from engagement.services.plans import plan_action_add, plan_contribution_add, plan_create
from engagement.services.priorities import (
    priority_action_add,
    priority_create,
    priority_problem_create,
    priority_set_status,
)
from partnerships.demo.neighbourhoods import demo_point
from partnerships.models import Neighbourhood, Organisation, SeldomHeardGroup
from problems.models import ProblemCategory, RiskLevel

OFFICER = "officer@police.example"
SUPERVISOR = "supervisor@police.example"
COUNCIL = "Northshire City Council"
RESIDENTS = "Eastgate Residents' Association"

# (neighbourhood, kind, days ago, place, channel, attendees, groups represented, issues raised)
EVENTS: list[tuple[str, str, int, str, str, int, list[str], str]] = [
    (
        "Eastgate",
        EventKind.PACT_MEETING,
        330,
        "Eastgate Community Centre",
        "in_person",
        34,
        ["Older people", "Business owners", "Faith communities"],
        "Street drinking at the parade; speeding on Mill Road.",
    ),
    (
        "Eastgate",
        EventKind.SCHOOL_VISIT,
        270,
        "Eastgate Academy",
        "in_person",
        120,
        ["Young people"],
        "Pupils feel unsafe at the bus stop after school.",
    ),
    (
        "Eastgate",
        EventKind.COMMUNITY_GROUP_VISIT,
        200,
        "Al-Noor Mosque",
        "in_person",
        45,
        ["Faith communities", "Minority ethnic communities"],
        "Vehicle crime in the mosque car park.",
    ),
    (
        "Eastgate",
        EventKind.PUBLIC_MEETING,
        120,
        "Eastgate Library",
        "in_person",
        41,
        ["Older people", "Disabled people", "People experiencing homelessness"],
        "Street drinking continues; cycle thefts.",
    ),
    (
        "Eastgate",
        EventKind.SOCIAL_MEDIA,
        40,
        "",
        "social_media",
        2300,
        ["Young people", "Students"],
        "Questions about e-scooters on pavements.",
    ),
    (
        "Riverside",
        EventKind.STREET_BRIEFING,
        300,
        "Mill Lane",
        "in_person",
        18,
        ["Older people"],
        "Fly-tipping behind the garages.",
    ),
    (
        "Riverside",
        EventKind.PUBLIC_MEETING,
        150,
        "Riverside Hall",
        "in_person",
        27,
        ["Older people", "Disabled people"],
        "Fly-tipping and fires; poor lighting on the towpath.",
    ),
    (
        "Riverside",
        EventKind.SURVEY_DROP_IN,
        60,
        "Riverside Tenants' Hub",
        "in_person",
        22,
        ["Minority ethnic communities"],
        "Drug dealing near the tower blocks.",
    ),
    (
        "Northfield",
        EventKind.VISIBLE_PATROL,
        240,
        "Northfield shopping parade",
        "in_person",
        0,
        ["Business owners"],
        "Shop theft.",
    ),
    (
        "Northfield",
        EventKind.PACT_MEETING,
        90,
        "Northfield Methodist Hall",
        "in_person",
        15,
        ["Older people"],
        "Speeding on Northfield Road; doorstep scams.",
    ),
]

# (neighbourhood, issue, chosen by, votes for, votes cast, days ago, status, days ago adopted,
#  actions (days ago, text), reason not adopted)
PRIORITIES: list[tuple[str, str, str, int | None, int | None, int, str, str, list[tuple[int, str]]]] = [
    (
        "Eastgate",
        "Street drinking and anti-social behaviour around the Eastgate parade of shops.",
        ChosenBy.MEETING_VOTE,
        21,
        34,
        330,
        PriorityStatus.RESOLVED,
        "",
        [
            (280, "Patrols at the parade every afternoon and a dispersal order agreed with the council."),
            (150, "Benches moved and the shop agreed to stop selling high-strength cider; incidents down by half."),
        ],
    ),
    (
        "Eastgate",
        "Speeding on Mill Road near the primary school.",
        ChosenBy.MEETING_VOTE,
        9,
        34,
        330,
        PriorityStatus.NOT_ADOPTED,
        "Speed surveys by the council showed average speeds under the limit; passed to the road safety team.",
        [],
    ),
    (
        "Eastgate",
        "Cycle thefts from the library and station racks.",
        ChosenBy.MEETING_AGREEMENT,
        None,
        None,
        120,
        PriorityStatus.IN_PROGRESS,
        "",
        [(90, "Cycle marking sessions held at the library; two new secure stands fitted.")],
    ),
    (
        "Riverside",
        "Fly-tipping and fires behind the Mill Lane garages.",
        ChosenBy.MEETING_VOTE,
        19,
        27,
        150,
        PriorityStatus.IN_PROGRESS,
        "",
        [(120, "Council cleared the site and fitted a camera; housing association wrote to all tenants.")],
    ),
    (
        "Riverside",
        "Poor lighting on the towpath after dark.",
        ChosenBy.SURVEY,
        None,
        None,
        60,
        PriorityStatus.ADOPTED,
        "",
        [(30, "Problem opened with the council to survey the lighting.")],
    ),
    (
        "Northfield",
        "Doorstep scams targeting older residents.",
        ChosenBy.MEETING_AGREEMENT,
        None,
        None,
        90,
        PriorityStatus.PROPOSED,
        "",
        [],
    ),
]

PLAN_TITLE = "Eastgate parade: safer evenings plan"


def seed(*, stdout: Any) -> None:
    return None


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _seed_events(officer: User, neighbourhoods: dict[str, Neighbourhood]) -> int:
    groups = {group.name: group for group in SeldomHeardGroup.objects.all()}
    council = Organisation.objects.filter(name=COUNCIL).first()
    created = 0
    for n, (name, kind, days, place, channel, attendees, group_names, issues) in enumerate(EVENTS):
        neighbourhood = neighbourhoods[name]
        latitude, longitude = demo_point(name, n)
        held_on = _ago(days)
        if EngagementEvent.objects.filter(neighbourhood=neighbourhood, kind=kind, held_on=held_on).exists():
            continue
        event_create(
            actor=officer,
            neighbourhood=neighbourhood,
            kind=kind,
            held_on=held_on,
            place=place,
            channel=channel,
            attendees=attendees,
            groups_represented=[groups[g] for g in group_names if g in groups],
            organisations_present=[council] if council and kind == EventKind.PACT_MEETING else [],
            issues_raised=issues,
            latitude=latitude,
            longitude=longitude,
        )
        created += 1
    return created


def _seed_priorities(officer: User, neighbourhoods: dict[str, Neighbourhood]) -> int:
    created = 0
    for name, issue, chosen_by, votes_for, votes_cast, days, status, reason, actions in PRIORITIES:
        neighbourhood = neighbourhoods[name]
        if CommunityPriority.objects.filter(neighbourhood=neighbourhood, issue=issue).exists():
            continue
        issue_date = _ago(days)
        # Set at that day's meeting, if it was chosen at a meeting (not one chosen by survey).
        at_meeting = chosen_by in CHOSEN_AT_A_MEETING
        event = (
            EngagementEvent.objects.filter(neighbourhood=neighbourhood, held_on=issue_date).first()
            if at_meeting
            else None
        )
        priority = priority_create(
            actor=officer,
            neighbourhood=neighbourhood,
            issue=issue,
            chosen_by=chosen_by,
            issue_date=issue_date,
            votes_for=votes_for,
            votes_cast=votes_cast,
            event=event,
        )
        if status == PriorityStatus.NOT_ADOPTED:
            priority_set_status(actor=officer, priority=priority, status=status, reason=reason)
        elif status != PriorityStatus.PROPOSED:
            priority_set_status(actor=officer, priority=priority, status=PriorityStatus.ADOPTED, on=issue_date)
            for action_days, text in actions:
                priority_action_add(actor=officer, priority=priority, description=text, taken_on=_ago(action_days))
            if status in (PriorityStatus.IN_PROGRESS, PriorityStatus.RESOLVED):
                priority_set_status(actor=officer, priority=priority, status=status)
            if name == "Riverside" and status == PriorityStatus.ADOPTED:
                # One priority worked as a problem, opened from the priority in one step.
                priority_problem_create(
                    actor=officer,
                    priority=priority,
                    category=ProblemCategory.objects.get(code="asb"),
                    risk_level=RiskLevel.MEDIUM,
                )
        created += 1
    return created


def _seed_plan(officer: User, neighbourhoods: dict[str, Neighbourhood]) -> int:
    if SafetyPlan.objects.filter(title=PLAN_TITLE).exists():
        return 0
    eastgate = neighbourhoods["Eastgate"]
    force = eastgate.organisation
    council = Organisation.objects.get(name=COUNCIL)
    residents = Organisation.objects.filter(name=RESIDENTS).first()
    meeting = EngagementEvent.objects.filter(neighbourhood=eastgate, kind=EventKind.PUBLIC_MEETING).first()
    plan = plan_create(
        actor=officer,
        neighbourhood=eastgate,
        title=PLAN_TITLE,
        place="Eastgate parade of shops",
        aims="Shoppers, staff and residents feel safe at the parade in the evening; no street drinking.",
        review_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    plan_contribution_add(
        actor=officer,
        plan=plan,
        party=Party.RESIDENTS,
        name="Residents at the Eastgate public meeting",
        contribution="Mapped where they feel unsafe and chose the evening hours to focus on.",
        contributed_on=meeting.held_on if meeting else None,
        event=meeting,
    )
    plan_contribution_add(
        actor=officer,
        plan=plan,
        party=Party.PARTNER,
        organisation=council,
        contribution="Licensing review of the parade's off-licence and the lighting survey.",
    )
    if residents is not None:
        plan_contribution_add(
            actor=officer,
            plan=plan,
            party=Party.PARTNER,
            organisation=residents,
            contribution="Ran a street audit with twelve residents and drafted the evening walkabout rota.",
        )
    plan_action_add(
        actor=officer,
        plan=plan,
        party=Party.RESIDENTS,
        name="Eastgate street watch",
        description="Monthly evening walkabout with the PCSO; report broken lights.",
    )
    plan_action_add(
        actor=officer,
        plan=plan,
        party=Party.PARTNER,
        organisation=council,
        description="Replace the two broken lights behind the parade.",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    plan_action_add(
        actor=officer,
        plan=plan,
        party=Party.POLICE,
        organisation=force,
        description="Targeted patrols at the parade on Thursday to Saturday evenings.",
    )
    return 1


def seed_records(*, stdout: Any) -> None:
    officer = User.objects.filter(email=OFFICER).first()
    neighbourhoods = {n.name: n for n in Neighbourhood.objects.filter(name__in=["Eastgate", "Riverside", "Northfield"])}
    if officer is None or len(neighbourhoods) < 3:
        stdout.write("Engagement: demo officer or neighbourhoods missing; nothing added.")
        return
    events = _seed_events(officer, neighbourhoods)
    priorities = _seed_priorities(officer, neighbourhoods)
    plans = _seed_plan(officer, neighbourhoods)
    stdout.write(f"Engagement: {events} events, {priorities} priorities, {plans} safety plan created.")
