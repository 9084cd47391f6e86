"""Naming a problem's lead agency (DESIGN.md section 4): the owning force, or a partner that then
works the problem as the force's officers do (problems.selectors.access). A partner may lead only
while it holds a contribute share in force, so sharing still needs a covering agreement: the share
comes first (problems.services.sharing), then the lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from problems.models import Problem, ProblemShare, ShareAccess
from problems.selectors.access import CANNOT_LEAD, can_change_problem, share_in_force

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Organisation

LEAD_AGENCY_NEEDS_SHARE = (
    "{organisation} cannot lead this problem: share it with {organisation} with contribute access, under an "
    "agreement in force, first."
)
LEAD_AGENCY_RESTRICTED = "A restricted problem is never shared, so only its force can lead it."
LEAD_AGENCY_CLOSED = "This problem is closed: reopen it before changing who leads it."


def lead_agency_refusal(*, problem: Problem, organisation: Organisation | None) -> str | None:
    """Why `organisation` may not lead `problem` (None: it may). The owning force always may."""
    if organisation is None or organisation.pk == problem.owning_organisation_id:
        return None
    if problem.restricted:
        return LEAD_AGENCY_RESTRICTED
    covered = ProblemShare.objects.filter(
        share_in_force(), problem_id=problem.pk, organisation_id=organisation.pk, access_level=ShareAccess.CONTRIBUTE
    ).exists()
    if organisation.is_police or not covered:
        return LEAD_AGENCY_NEEDS_SHARE.format(organisation=organisation.name)
    return None


@transaction.atomic
def problem_set_lead_agency(*, actor: User, problem: Problem, organisation: Organisation | None) -> Problem:
    """Name the organisation leading `problem`: None or the owning force for the force, or a
    partner holding a contribute share in force."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied(CANNOT_LEAD)
    problem = Problem.objects.select_for_update(of=("self",)).select_related("owning_organisation").get(pk=problem.pk)
    if not problem.is_open:
        raise ValidationError(LEAD_AGENCY_CLOSED)
    refusal = lead_agency_refusal(problem=problem, organisation=organisation)
    if refusal:
        raise ValidationError({"organisation": refusal})
    before = problem.lead_organisation_id
    after = None if organisation is None or organisation.pk == problem.owning_organisation_id else organisation.pk
    problem.lead_organisation_id = after
    problem.save(update_fields=["lead_organisation", "updated_at"])
    audit_record(
        actor=actor,
        verb="problems.problem.lead_agency_set",
        target=problem,
        detail={"reference": problem.reference, "lead_organisation": {"before": before, "after": after}},
    )
    return problem
