"""Referrals and partner-led problems for tests, built through the real services."""

from __future__ import annotations

from typing import Any

from partnerships.models import Organisation
from problems.models import Problem, Referral, ShareAccess
from problems.services.lead_agency import problem_set_lead_agency
from problems.services.referrals import referral_create
from tests.problems.factories_sharing import canary_problem, share


def referral(world: Any, *, by: str = "partner_member", force: Organisation | None = None, **fields: Any) -> Referral:
    values = {
        "title": "Fly-tipping behind Mill Lane shops",
        "location": "Mill Lane service road",
        "why_now": "Twelve reports in a month and a fire last week.",
        "evidence": "Council cleansing logs; photographs from residents.",
    }
    values.update(fields)
    partnership = values.pop("partnership", None)
    return referral_create(
        actor=world.users[by], force=None if partnership else (force or world.force), partnership=partnership, **values
    )


def partner_led_problem(world: Any, **fields: Any) -> Problem:
    """A problem of the force shared with the council (world.partner) with contribute access and
    led by it (lead agency). A canary in its title."""
    problem = canary_problem(world, **fields)
    share(world, problem, access_level=ShareAccess.CONTRIBUTE)
    return problem_set_lead_agency(actor=world.users["supervisor"], problem=problem, organisation=world.partner)
