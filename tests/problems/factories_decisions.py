"""Decision log entries for tests, recorded through the service as a user would."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from problems.models import DecisionLogEntry, Problem
from problems.services.decisions import decision_record

NDM_ANSWERS: dict[str, str] = {
    "information": "Twelve calls about drinking groups outside the shops in four weeks.",
    "threat_and_risk": "Medium: intimidation of shoppers and staff, no injuries so far.",
    "powers_and_policy": "Anti-social Behaviour, Crime and Policing Act 2014, dispersal powers.",
    "options": "Do nothing; patrols only; patrols with outreach by the council.",
    "decision_and_action": "Joint patrols on Friday and Saturday evenings with council outreach workers.",
    "review": "Review in four weeks at the neighbourhood meeting.",
    "code_of_ethics": "Proportionate: support is offered before any enforcement.",
}


def decision(*, problem: Problem, author: User, **overrides: Any) -> DecisionLogEntry:
    return decision_record(actor=author, problem=problem, **{**NDM_ANSWERS, **overrides})
