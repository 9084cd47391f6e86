"""Reads for sharing: the shares of a problem, the agreements a share may rely on, the "Shared with
us" list of a partner organisation, and the share behind a partner's view of a problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.access import get_visible_or_404
from partnerships.models import Agreement, AgreementParty, DataCategory, Organisation, OrganisationKind
from partnerships.models.agreements import IN_FORCE_STATUSES
from problems.models import OPEN_ACTION_STATUSES, Problem
from problems.models.sara import ResponseAction
from problems.models.sharing import ProblemShare
from problems.selectors.access import can_change_problem, problem_get_for_user

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


def problem_list_from_shares(user: User) -> QuerySet[Problem]:
    """The problems shared with a partner user's organisation, for its LISTS, found from the other
    end: the organisation's active shares (share_org_active_idx: organisation, problem, active
    only) whose agreement is in force today, joined to their problems; police users: none.

    The same rows as problems_shared_with (problems.selectors.access), which stays the rule: the
    guardian permissions on the organisation's group are a projection of exactly these shares
    (granted and revoked only with them by problems.services.sharing, rebuilt by the reconcile
    command), and tests/problems/test_partner_lists.py checks that both give the same rows in the
    same order for a world of active, suspended, revoked and lapsed shares. Asking the permission
    table as well sent every shared problem through a second join before a page of them was
    sorted out (the partner's lists ran at 5.6-7.8x a bare join of the shares,
    benchmarks/test_list_pages.py). At most one active share per problem and organisation
    (share_one_active), so the join adds no duplicate; each row is annotated with that share's
    access level (`share_access`), agreement reference and title, and when it was made."""
    if not user.is_authenticated or not user.is_partner:
        return Problem.objects.none()
    today = timezone.localdate()
    # One filter() call: every condition is on the same share row (one join).
    return Problem.objects.filter(
        shares__organisation_id=user.organisation_id,
        shares__ended_at__isnull=True,
        shares__agreement__status__in=IN_FORCE_STATUSES,
        shares__agreement__start_date__lte=today,
        shares__agreement__expiry_date__gte=today,
        restricted=False,
    ).annotate(
        share_access=F("shares__access_level"),
        share_agreement=F("shares__agreement__reference"),
        share_agreement_title=F("shares__agreement__title"),
        share_shared_at=F("shares__shared_at"),
    )


def shared_with_us_list(*, user: User, search: str = "", stage: str = "") -> QuerySet[Problem]:
    """The problems shared with a partner user's organisation (police users: none), problems with
    overdue actions assigned to the organisation first, each annotated with its agreement and
    access level (problem_list_from_shares). One query whatever the number of rows."""
    problems = problem_list_from_shares(user).select_related("neighbourhood")
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
    return problems.annotate(
        has_overdue=ExpressionWrapper(Q(pk__in=overdue), output_field=BooleanField()),
    ).order_by("-has_overdue", "next_review_date", "reference")
