"""Reads of problem records: the problem list, the officer's own problems, and what is due for
review. Lists are built on problems_visible_to, so they never show what the user may not see."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from partnerships.models import Neighbourhood, Organisation
from problems.models import Problem, ProblemCategory, ReviewEntry, Stage
from problems.selectors.access import problems_visible_to
from problems.selectors.sharing import problem_list_from_shares

if TYPE_CHECKING:
    from accounts.models import User

OPEN_STAGES: tuple[str, ...] = tuple(stage for stage in Stage.values if stage != Stage.CLOSED)
LIST_RELATIONS = ("category", "owner", "owning_organisation", "neighbourhood")


def overdue_review(today: datetime.date) -> Q:
    """Open problems whose next review date has passed. Written as `stage IN (open stages)` rather
    than `stage <> closed` so that PostgreSQL can use the (stage, next_review_date) index."""
    return Q(stage__in=OPEN_STAGES, next_review_date__lt=today)


def with_overdue_flag(problems: QuerySet[Problem], today: datetime.date) -> QuerySet[Problem]:
    """Each problem annotated with `is_overdue` (never NULL: no review date is not overdue)."""
    return problems.annotate(
        is_overdue=Case(
            When(overdue_review(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def problem_list_visible_to(
    *,
    user: User,
    search: str = "",
    stage: str = "",
    category: ProblemCategory | None = None,
    neighbourhood: Neighbourhood | None = None,
    owner: User | None = None,
    overdue: bool = False,
    restricted: bool | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Problem]:
    """The problem list: what `user` may see, filtered, each row with its category, owner, owning
    organisation and neighbourhood (one query for a page, whatever its length) and `is_overdue`."""
    today = today or timezone.localdate()
    # A partner's list starts from their organisation's active shares (the same rows as the guardian
    # projection, problems.selectors.sharing.problem_list_from_shares), not from every problem
    # passed through the permission join.
    visible = problem_list_from_shares(user) if user.is_authenticated and user.is_partner else problems_visible_to(user)
    problems = with_overdue_flag(visible, today).select_related(*LIST_RELATIONS)
    search = search.strip()
    if search:
        matches = Q(reference__icontains=search) | Q(title__icontains=search)
        # A partner's search never reads a description: its share may not disclose it, and a match
        # would tell them what it says (problems.selectors.disclosure).
        if not user.is_partner:
            matches |= Q(description__icontains=search)
        problems = problems.filter(matches)
    if stage:
        problems = problems.filter(stage=stage)
    if category is not None:
        problems = problems.filter(category=category)
    if neighbourhood is not None:
        problems = problems.filter(neighbourhood=neighbourhood)
    if owner is not None:
        problems = problems.filter(owner=owner)
    if overdue:
        problems = problems.filter(overdue_review(today))
    if restricted is not None:
        problems = problems.filter(restricted=restricted)
    return problems


def neighbourhoods_for_problem(*, force: Organisation, problem: Problem | None = None) -> QuerySet[Neighbourhood]:
    """The neighbourhoods a problem of `force` may be recorded in: the force's active ones, and
    the one the problem is in already (kept when retired since). The service checks the same."""
    in_use = Q(active=True)
    if problem is not None and problem.neighbourhood_id is not None:
        in_use |= Q(pk=problem.neighbourhood_id)
    return Neighbourhood.objects.filter(in_use, organisation_id=force.pk).order_by("name")


def problem_list_neighbourhoods_for(user: User) -> QuerySet[Neighbourhood]:
    """The problem list's neighbourhood filter: a police user's force's active neighbourhoods; a
    partner's, the active neighbourhoods of the problems shared with their organisation."""
    if not user.is_authenticated:
        return Neighbourhood.objects.none()
    if user.is_police:
        return Neighbourhood.objects.filter(organisation_id=user.organisation_id, active=True).order_by("name")
    # DISTINCT: PostgreSQL then plans the subquery on its own, from the organisation's active
    # shares (a few neighbourhoods' ids). Without it the planner turned IN into a semi-join that
    # probed every problem of every neighbourhood in the country for a share: 4.0 s at 1,000,000
    # problems, against 0.7 s (benchmarks/test_national_scale.py).
    in_shared = (
        problem_list_from_shares(user)
        .filter(neighbourhood_id__isnull=False)
        .order_by()
        .values("neighbourhood_id")
        .distinct()
    )
    return Neighbourhood.objects.filter(pk__in=in_shared, active=True).order_by("name")


def _open_owned_by(user: User, today: datetime.date | None) -> QuerySet[Problem]:
    """The open problems `user` owns and may see, each with `is_overdue`."""
    visible = with_overdue_flag(problems_visible_to(user), today or timezone.localdate())
    return visible.filter(owner_id=user.pk, stage__in=OPEN_STAGES)


def _owned_in_stage_order(user: User, today: datetime.date | None) -> QuerySet[Problem]:
    return _open_owned_by(user, today).order_by(F("next_review_date").asc(nulls_last=True), "pk")


def problem_list_owned_by(
    user: User, *, today: datetime.date | None = None, per_stage: int | None = None
) -> QuerySet[Problem]:
    """The open problems `user` owns (their home page), soonest review first within each stage,
    each with `is_overdue` and its category. Without `per_stage`, all of them in SARA order; with
    it, only the first that many of each stage, in one query: a UNION ALL of one LIMITed part per
    stage, each read in order from problem_owner_stage_review_idx (owner, stage, next review date,
    id) and stopped after its rows, so that a home page costs the same for 10 owned problems as
    for 80,000 (benchmarks/test_list_pages.py). The union's rows come in no guaranteed order: the
    home page groups them by stage and orders each group (`owned_stage_key`)."""
    owned = _owned_in_stage_order(user, today).select_related("category")
    if per_stage is None:
        stage_order = Case(*(When(stage=stage, then=Value(i)) for i, stage in enumerate(OPEN_STAGES)))
        return owned.order_by(stage_order, F("next_review_date").asc(nulls_last=True), "pk")
    if connection.features.supports_slicing_ordering_in_compound:
        first, *others = (owned.filter(stage=stage)[:per_stage] for stage in OPEN_STAGES)
        # No order on the whole (the model's default would sort the union by opening date).
        return first.union(*others, all=True).order_by()
    # SQLite (the embedded default) refuses a LIMIT inside a UNION's parts: the same rows, still in
    # one query, as one LIMITed `IN (...)` per stage (tests/home/test_demo_on_sqlite.py).
    in_a_stage = Q()
    for stage in OPEN_STAGES:
        in_a_stage |= Q(pk__in=owned.filter(stage=stage).values("pk")[:per_stage])
    return owned.filter(in_a_stage).order_by()


def owned_stage_key(problem: Problem) -> tuple[bool, datetime.date, int]:
    """The order of a stage of "My problems": soonest review first (none last), then oldest record."""
    return (problem.next_review_date is None, problem.next_review_date or datetime.date.min, problem.pk)


def problem_count_owned_by_stage(user: User, *, limit: int, today: datetime.date | None = None) -> dict[str, int]:
    """How many open problems `user` owns in each stage, each counted up to `limit` + 1 (more than
    `limit`: "more than limit"), in one query of one capped count per stage: a count read from
    the index and stopped at the cap, never a count of everything they own."""
    parts: list[str] = []
    params: list[Any] = []
    for stage in OPEN_STAGES:
        capped = _open_owned_by(user, today).filter(stage=stage).order_by().values("pk")[: limit + 1]
        sql, stage_params = capped.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608
        params += stage_params
    # Only Django's own compiled subqueries are interpolated; every value is a bound parameter.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(OPEN_STAGES, (int(n) for n in row), strict=True))


def problem_list_review_due_for(
    user: User, *, due_by: datetime.date, today: datetime.date | None = None
) -> QuerySet[Problem]:
    """The open problems `user` owns whose review falls on or before `due_by` (overdue ones too),
    soonest first, each with `is_overdue`: the officer's "Reviews due"."""
    return _open_owned_by(user, today).filter(next_review_date__lte=due_by).order_by("next_review_date", "pk")


def problem_list_overdue_for_force(user: User, *, today: datetime.date | None = None) -> QuerySet[Problem]:
    """The open problems of `user`'s force (as far as they may see) whose review is overdue,
    longest overdue first: the supervisor's home page."""
    today = today or timezone.localdate()
    return (
        problems_visible_to(user)
        .filter(overdue_review(today))
        .select_related("owner")
        .order_by("next_review_date", "pk")
    )


def problem_list_awaiting_sign_off(user: User) -> QuerySet[Problem]:
    """The problems of `user`'s force (as far as they may see) in assessment that no supervisor
    has signed off (closure needs it), longest untouched first: the supervisor's home page."""
    return (
        problems_visible_to(user)
        .filter(owning_organisation_id=user.organisation_id, stage=Stage.ASSESSMENT, signed_off_at__isnull=True)
        .select_related("owner")
        .order_by("updated_at", "pk")
    )


def problem_list_due_for_review(*, on_date: datetime.date, within_days: int = 0) -> QuerySet[Problem]:
    """Every open problem, of every force, whose next review date is on or before `on_date` plus
    `within_days` (the overdue ones included). For the reminders, which run as the system and
    address each problem's owner: it is not filtered by a user, so never show it to one as is.
    One range scan of the (stage, next_review_date) index."""
    until = on_date + datetime.timedelta(days=within_days)
    return (
        Problem.objects.filter(stage__in=OPEN_STAGES, next_review_date__lte=until)
        .select_related("owner", "owning_organisation")
        .order_by("next_review_date", "pk")
    )


def review_list_for_problem(*, problem: Problem) -> QuerySet[ReviewEntry]:
    """A problem's reviews, newest first, with who made them."""
    return problem.reviews.select_related("reviewed_by")
