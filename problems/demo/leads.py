"""Demo leads: a second neighbourhood officer (Owen Officer) who took over one of Olivia's
problems (a completed handover), is on the team of another, and is handing a third back to Olivia
(a handover awaiting her acknowledgement, on her home page)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from problems.models import Handover, Problem, ProblemTeamMember
from problems.services.leads import handover_acknowledge, problem_hand_over, problem_team_add

OFFICER = "officer@police.example"
SECOND_OFFICER = "officer2@police.example"
COMPLETED = "Cycle thefts from the railway station racks"
PENDING = "Nuisance motorbikes on Riverside towpath"
TEAM = "Drug dealing reported near Northfield play park"


def seed(*, stdout: Any) -> None:
    users = get_user_model().objects
    olivia, owen = users.filter(email=OFFICER).first(), users.filter(email=SECOND_OFFICER).first()
    problems = {p.title: p for p in Problem.objects.filter(title__in=(COMPLETED, PENDING, TEAM))}
    if olivia is None or owen is None or len(problems) < 3 or Handover.objects.filter(to_user=owen).exists():
        return
    today = timezone.localdate()
    completed = problem_hand_over(
        actor=olivia,
        problem=problems[COMPLETED],
        to_user=owen,
        note="The station racks are Owen's beat now. Scanning is under way: the crime data for the last "
        "six months is in, the rail operator's CCTV request is not.",
        outstanding_items="Chase the rail operator for the CCTV retention period.",
        known_risks="None known.",
        handover_date=today - datetime.timedelta(days=5),
    )
    handover_acknowledge(actor=owen, handover=completed)
    pending_problem = problems[PENDING]
    cover = problem_hand_over(
        actor=olivia,
        problem=pending_problem,
        to_user=owen,
        note="Owen covers Riverside while I am on the public order course.",
        handover_date=today - datetime.timedelta(days=30),
    )
    handover_acknowledge(actor=owen, handover=cover)
    pending_problem.refresh_from_db()
    problem_hand_over(
        actor=owen,
        problem=pending_problem,
        to_user=olivia,
        note="Back to Olivia now she has returned. The towpath patrols found two riders; the council's "
        "barriers are on order.",
        outstanding_items="Confirm the barrier installation date with the council.",
        known_risks="Riders have been seen on the path at night without lights.",
        handover_date=today,
    )
    team_problem = problems[TEAM]
    if not ProblemTeamMember.objects.filter(problem=team_problem, user=owen).exists():
        problem_team_add(actor=olivia, problem=team_problem, user=owen)
    stdout.write("Demo leads: a completed handover, one awaiting acknowledgement and a team member added.\n")
