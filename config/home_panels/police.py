"""The police home pages' panels: the officer's own problems and reviews due; the supervisor's
overdue reviews, problems awaiting sign-off, undelivered reminders, partnership gaps and
seldom-heard coverage gaps. Each function returns the template context of its role's panels."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from config.home_panels.common import FAILED_REMINDERS_DAYS, failed_reminders_for_organisation, first_rows
from config.home_panels.data_protection import retention_panel
from engagement.selectors.coverage import coverage_gaps_for
from engagement.selectors.officer_home import event_list_recorded_by, priority_list_awaiting_action_for
from partnerships.selectors.organisations import organisation_list_without_active_spoc
from problems.models import Stage
from problems.selectors.leads import handover_list_awaiting_first, problem_list_led_by_inactive
from problems.selectors.problems import (
    OPEN_STAGES,
    owned_stage_key,
    problem_count_owned_by_stage,
    problem_list_awaiting_sign_off,
    problem_list_overdue_for_force,
    problem_list_owned_by,
    problem_list_review_due_for,
)

# The officer's "Reviews due" panel: their open problems due for review within this many days,
# and those already overdue.
REVIEWS_DUE_WITHIN_DAYS = 3
# The supervisor's "Overdue reviews" and "Awaiting sign-off" panels show this many; the problem
# list shows them all.
OVERDUE_PANEL_SIZE = 10
SIGN_OFF_PANEL_SIZE = 10
FAILED_REMINDERS_PANEL_SIZE = 10
# The officer's "Engagement" panel: this many of their latest events and of the priorities awaiting
# an action; the engagement and priority lists show them all.
EVENTS_PANEL_SIZE = 10
PRIORITIES_PANEL_SIZE = 10
# "My problems" shows this many of each stage (soonest review first), with how many there are,
# counted up to MY_PROBLEMS_COUNT_LIMIT a stage (beyond it: "more than"), so that the panel costs
# the same whatever the number of problems an officer leads.
MY_PROBLEMS_PER_STAGE = 10
MY_PROBLEMS_COUNT_LIMIT = 1000
REVIEWS_DUE_PANEL_SIZE = 10
HANDOVERS_PANEL_SIZE = 10
LED_BY_INACTIVE_PANEL_SIZE = 10


def handover_panel(user: User) -> dict[str, Any]:
    """ "Handovers awaiting your acknowledgement", for officers and supervisors: one query."""
    rows = handover_list_awaiting_first(user=user, limit=HANDOVERS_PANEL_SIZE + 1)
    handovers, more = first_rows(rows, HANDOVERS_PANEL_SIZE)
    return {"handovers_awaiting": handovers, "more_handovers_awaiting": more}


def _stage_group(stage: str, mine: list[Any], total: int) -> dict[str, Any]:
    """One stage of "My problems": the problems shown, how many the officer owns (`capped`: more
    than `total`), how many more."""
    shown = sorted((problem for problem in mine if problem.stage == stage), key=owned_stage_key)
    capped = total > MY_PROBLEMS_COUNT_LIMIT
    total = min(total, MY_PROBLEMS_COUNT_LIMIT)
    return {
        "stage": stage,
        "label": Stage(stage).label,
        "problems": shown,
        "total": total,
        "capped": capped,
        "more": total - len(shown),
    }


def officer_panels(user: User) -> dict[str, Any]:
    """ "My problems" by stage (the first few of each, and how many, capped: a query each) and
    "Reviews due" (a query); "Engagement" from two more: their latest events (and those events' seldom-heard groups),
    and the priorities of their neighbourhoods awaiting an action. Each list fetches one row more
    than it shows, to know whether to link to the rest without counting them."""
    today = timezone.localdate()
    mine = list(problem_list_owned_by(user, today=today, per_stage=MY_PROBLEMS_PER_STAGE))
    totals = problem_count_owned_by_stage(user, limit=MY_PROBLEMS_COUNT_LIMIT, today=today)
    groups = [_stage_group(stage, mine, totals[stage]) for stage in OPEN_STAGES]
    due_by = today + datetime.timedelta(days=REVIEWS_DUE_WITHIN_DAYS)
    reviews_due, more_reviews_due = first_rows(
        problem_list_review_due_for(user, due_by=due_by, today=today), REVIEWS_DUE_PANEL_SIZE
    )
    events, more_events = first_rows(event_list_recorded_by(user=user), EVENTS_PANEL_SIZE)
    priorities, more_priorities = first_rows(
        priority_list_awaiting_action_for(user=user, today=today), PRIORITIES_PANEL_SIZE
    )
    return {
        **handover_panel(user),
        "my_problems_by_stage": groups,
        "my_problem_count": sum(group["total"] for group in groups),
        "my_problem_count_capped": any(group["capped"] for group in groups),
        "reviews_due": reviews_due,
        "more_reviews_due": more_reviews_due,
        "my_events": events,
        "more_events": more_events,
        "priorities_awaiting_action": priorities,
        "more_priorities_awaiting_action": more_priorities,
    }


def supervisor_panels(user: User) -> dict[str, Any]:
    """Four queries, whatever the number of partners, problems and reminders: partners with no
    SPOC, the force's overdue problems, those awaiting sign-off, and reminders that failed; then
    the seldom-heard gaps (the force's neighbourhoods, the groups, and one query per reach source,
    whatever the number of neighbourhoods, events or responses)."""
    context: dict[str, Any] = {"organisations_without_spoc": list(organisation_list_without_active_spoc(user=user))}
    context["overdue_reviews"], context["more_overdue"] = first_rows(
        problem_list_overdue_for_force(user), OVERDUE_PANEL_SIZE
    )
    context["awaiting_sign_off"], context["more_awaiting_sign_off"] = first_rows(
        problem_list_awaiting_sign_off(user), SIGN_OFF_PANEL_SIZE
    )
    context["failed_reminders"], context["more_failed_reminders"] = first_rows(
        failed_reminders_for_organisation(user.organisation_id), FAILED_REMINDERS_PANEL_SIZE
    )
    context["failed_reminders_days"] = FAILED_REMINDERS_DAYS
    context["coverage_gaps"] = coverage_gaps_for(user=user)
    context["led_by_inactive"], context["more_led_by_inactive"] = first_rows(
        problem_list_led_by_inactive(user=user), LED_BY_INACTIVE_PANEL_SIZE
    )
    context.update(handover_panel(user))
    context.update(retention_panel(user))
    return context
