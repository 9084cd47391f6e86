"""Shares for tests: an active agreement between the force and a partner, and a problem shared
through the real service (so the guardian permissions exist exactly as in production)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from partnerships.models import Agreement, AgreementStatus, Organisation
from problems.models import Problem
from problems.models.sharing import ProblemShare, ShareAccess
from problems.services.sharing import share_create
from tests.partnerships.factories_agreements import category, complete_agreement
from tests.problems.factories import ProblemFactory


def active_agreement(force: Organisation, partner: Organisation, **fields: Any) -> Agreement:
    return complete_agreement(parties=[force, partner], status=AgreementStatus.ACTIVE, **fields)


def share(
    world: Any,
    problem: Problem | None = None,
    *,
    organisation: Organisation | None = None,
    access_level: str = ShareAccess.VIEW,
    agreement: Agreement | None = None,
    **problem_fields: Any,
) -> ProblemShare:
    organisation = organisation or world.partner
    problem = problem or ProblemFactory(force=world.force, owner=world.users["officer"], **problem_fields)
    agreement = agreement or active_agreement(world.force, organisation)
    return share_create(
        actor=world.users["officer"],
        problem=problem,
        organisation=organisation,
        access_level=access_level,
        agreement=agreement,
        data_categories=[category("asb-reports")],
    )


_counter = itertools.count(1)


def canary() -> str:
    return f"CANARY-{next(_counter)}-{uuid.uuid4().hex[:10]}"


def canary_problem(world: Any, **fields: Any) -> Problem:
    """A problem of the force owned by the officer persona, with a unique canary in its title."""
    fields.setdefault("title", f"Problem {canary()}")
    return ProblemFactory(force=world.force, owner=world.users["officer"], **fields)
