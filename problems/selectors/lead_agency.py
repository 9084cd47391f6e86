"""Reads for naming a problem's lead agency."""

from __future__ import annotations

from django.db.models import QuerySet

from partnerships.models import Organisation
from problems.models import Problem, ProblemShare, ShareAccess
from problems.selectors.access import share_in_force


def lead_agency_choices(*, problem: Problem) -> QuerySet[Organisation]:
    """The partners that may lead `problem`: those holding a contribute share in force (the
    service checks the same, problems.services.lead_agency)."""
    shares = ProblemShare.objects.filter(share_in_force(), problem_id=problem.pk, access_level=ShareAccess.CONTRIBUTE)
    return Organisation.objects.filter(pk__in=shares.values("organisation_id")).order_by("name")
