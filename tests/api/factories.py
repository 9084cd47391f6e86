"""A world with something behind every API endpoint: a problem of the force shared with the council
to contribute, with an objective, the council's action, an update, a decision and a review; an
agreement, an engagement event and priority, a survey and a crime import run; and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from api.models import TokenScope
from api.services import token_create
from evaluation.models import CrimeImportRun
from problems.models import Problem, ResponseAction
from problems.models.sharing import ShareAccess
from problems.services.contributions import problem_update_add
from problems.services.problems import problem_review_record
from tests.engagement.factories import make_event, make_priority, neighbourhood_for
from tests.evaluation.factories_surveys import make_survey
from tests.problems.factories_decisions import decision
from tests.problems.factories_sara import ObjectiveFactory, ResponseActionFactory
from tests.problems.factories_sharing import canary_problem, share


@dataclass
class ApiWorld:
    problem: Problem
    action: ResponseAction


def api_world(world: Any) -> ApiWorld:
    officer = world.users["officer"]
    problem = share(world, canary_problem(world), access_level=ShareAccess.CONTRIBUTE).problem
    ObjectiveFactory(problem=problem)
    action = ResponseActionFactory(problem=problem, responsible_organisation=world.partner)
    problem_update_add(actor=officer, problem=problem, text="Met the council's ASB team on the parade.")
    decision(problem=problem, author=officer)
    problem_review_record(actor=world.users["supervisor"], problem=problem, notes="On track.")
    neighbourhood = neighbourhood_for(world)
    make_event(neighbourhood, by=officer)
    make_priority(neighbourhood, by=officer)
    make_survey(officer)
    CrimeImportRun.objects.create(organisation=world.force, started_by=world.users["analyst"], file_name="x.csv")
    return ApiWorld(problem=problem, action=action)


def token_client(user: Any, *, scope: str = TokenScope.READ_WRITE, lifetime_days: int = 30) -> tuple[Client, Any]:
    """A test client sending `user`'s new token, and the token."""
    made = token_create(actor=user, name="case system", scope=scope, lifetime_days=lifetime_days)
    return Client(headers={"Authorization": f"Bearer {made.text}"}), made
