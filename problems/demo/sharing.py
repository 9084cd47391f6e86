"""Demo share: one open problem shared with the city council, with contribute access, under the
active town-centre agreement, so that the council's users have something in "Shared with us".

The share discloses ASB reports and locations only, so the council sees some entries withheld: the
officer's update about a vulnerable young person (in "Safeguarding and vulnerability information"),
and the problem analysis triangle and controllers (their usual category, names and contact details)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from partnerships.models import Agreement, AgreementStatus, DataCategory, Organisation
from problems.models import Problem, ProblemShare, ShareAccess
from problems.services.contributions import problem_update_add
from problems.services.sharing import share_create

PROBLEM_TITLE = "Repeat criminal damage to Eastgate bus shelters"
PARTNER = "Northshire City Council"
AGREEMENT_TITLE = "Town centre anti-social behaviour information sharing"
CATEGORIES = ("asb-reports", "location-data")
SAFEGUARDING_UPDATE = (
    "One of the group at the shelters most evenings is a 14-year-old known to children's services; "
    "a safeguarding referral has been made and the school's designated lead told."
)


def seed(*, stdout: Any) -> None:
    problem = Problem.objects.filter(title=PROBLEM_TITLE).first()
    partner = Organisation.objects.filter(name=PARTNER).first()
    agreement = Agreement.objects.filter(title=AGREEMENT_TITLE, status=AgreementStatus.ACTIVE).first()
    if problem is None or partner is None or agreement is None:
        return
    if ProblemShare.objects.filter(problem=problem, organisation=partner, ended_at__isnull=True).exists():
        return
    owner = get_user_model().objects.get(pk=problem.owner_id)
    share_create(
        actor=owner,
        problem=problem,
        organisation=partner,
        access_level=ShareAccess.CONTRIBUTE,
        agreement=agreement,
        data_categories=DataCategory.objects.filter(code__in=CATEGORIES),
    )
    problem_update_add(
        actor=owner,
        problem=problem,
        text=SAFEGUARDING_UPDATE,
        data_category=DataCategory.objects.filter(code="safeguarding").first(),
    )
