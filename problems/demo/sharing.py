"""Demo share: one open problem shared with the city council, with contribute access, under the
active town-centre agreement, so that the council's users have something in "Shared with us"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from partnerships.models import Agreement, AgreementStatus, DataCategory, Organisation
from problems.models import Problem, ProblemShare, ShareAccess
from problems.services.sharing import share_create

PROBLEM_TITLE = "Repeat criminal damage to Eastgate bus shelters"
PARTNER = "Northshire City Council"
AGREEMENT_TITLE = "Town centre anti-social behaviour information sharing"
CATEGORIES = ("asb-reports", "location-data")


def seed(*, stdout: Any) -> None:
    problem = Problem.objects.filter(title=PROBLEM_TITLE).first()
    partner = Organisation.objects.filter(name=PARTNER).first()
    agreement = Agreement.objects.filter(title=AGREEMENT_TITLE, status=AgreementStatus.ACTIVE).first()
    if problem is None or partner is None or agreement is None:
        return
    if ProblemShare.objects.filter(problem=problem, organisation=partner, ended_at__isnull=True).exists():
        return
    share_create(
        actor=get_user_model().objects.get(pk=problem.owner_id),
        problem=problem,
        organisation=partner,
        access_level=ShareAccess.CONTRIBUTE,
        agreement=agreement,
        data_categories=DataCategory.objects.filter(code__in=CATEGORIES),
    )
