"""Reads for sharing: the shares of a problem, the agreements a share may rely on, the "Shared with
us" list of a partner organisation, and the share behind a partner's view of a problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.access import get_visible_or_404
from partnerships.models import Agreement, AgreementParty, DataCategory, Organisation, OrganisationKind
from partnerships.models.agreements import IN_FORCE_STATUSES
from problems.models import OPEN_ACTION_STATUSES, Problem
from problems.models.sara import ResponseAction
from problems.models.sharing import ProblemShare
from problems.selectors.access import can_change_problem, problem_get_for_user, problems_shared_with

if TYPE_CHECKING:
    from accounts.models import User


def share_list_for_problem(*, problem: Problem) -> QuerySet[ProblemShare]:
    """Every share of a problem, active first, newest first: one query."""
    return (
        ProblemShare.objects.filter(problem=problem)
        .select_related("organisation", "agreement", "shared_by", "ended_by")
        .order_by(F("ended_at").desc(nulls_first=True), "-shared_at", "-pk")
    )


def share_get_for_user(*, user: User, pk: object) -> ProblemShare:
    """A share of a problem the user may see (else 404), to revoke: owner or supervisor (else 403)."""
    share = get_visible_or_404(ProblemShare.objects.select_related("problem", "organisation", "agreement"), pk=pk)
    # The problem's own access rules decide: 404 for outsiders, 403 for those who may not change it.
    problem_get_for_user(user=user, pk=share.problem_id, action="change")
    return share


def partner_organisations_for_sharing() -> QuerySet[Organisation]:
    return Organisation.objects.filter(active=True, kind=OrganisationKind.PARTNER).order_by("name")


def agreements_in_force_for(*, owner: Organisation) -> QuerySet[Agreement]:
    """Agreements in force today to which the owning force is party, with their parties and the
    data categories each covers (the share form shows them before it is sent)."""
    today = timezone.localdate()
    return (
        Agreement.objects.filter(
            Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation=owner)),
            status__in=IN_FORCE_STATUSES,
            start_date__lte=today,
            expiry_date__gte=today,
        )
        .prefetch_related("parties__organisation", "data_categories")
        .order_by("reference", "-version")
    )


def data_categories_for_sharing() -> QuerySet[DataCategory]:
    return DataCategory.objects.all()


def share_for_partner_view(*, user: User, problem: Problem) -> ProblemShare | None:
    """The active share through which a partner user sees the problem (for the banner)."""
    if not user.is_authenticated or not user.is_partner:
        return None
    return (
        ProblemShare.objects.filter(problem=problem, organisation_id=user.organisation_id, ended_at__isnull=True)
        .select_related("agreement", "organisation")
        .first()
    )


def can_manage_shares(user: User, problem: Problem) -> bool:
    return bool(user.is_authenticated and can_change_problem(user, problem))


def shared_with_us_list(*, user: User, search: str = "", stage: str = "") -> QuerySet[Problem]:
    """The problems shared with a partner user's organisation (police users: none), problems with
    overdue actions assigned to the organisation first, each annotated with its agreement and
    access level. One query whatever the number of rows."""
    problems = problems_shared_with(user).select_related("neighbourhood")
    if search:
        problems = problems.filter(
            Q(reference__icontains=search) | Q(title__icontains=search) | Q(neighbourhood__name__icontains=search)
        )
    if stage:
        problems = problems.filter(stage=stage)
    if not user.is_authenticated or not user.is_partner:
        return problems
    today = timezone.localdate()
    # The problems with an action overdue for the organisation, found once (a hashed set each row
    # is looked up in), not tested problem by problem: the list sorts every shared problem by it.
    overdue = ResponseAction.objects.filter(
        responsible_organisation_id=user.organisation_id,
        due_date__lt=today,
        status__in=OPEN_ACTION_STATUSES,
    ).values("problem_id")
    share = ProblemShare.objects.filter(
        problem_id=OuterRef("pk"), organisation_id=user.organisation_id, ended_at__isnull=True
    )
    return problems.annotate(
        has_overdue=ExpressionWrapper(Q(pk__in=overdue), output_field=BooleanField()),
        share_access=Subquery(share.values("access_level")[:1]),
        share_agreement=Subquery(share.values("agreement__reference")[:1]),
        share_agreement_title=Subquery(share.values("agreement__title")[:1]),
    ).order_by("-has_overdue", "next_review_date", "reference")
