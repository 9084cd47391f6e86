"""Reads about who works a problem: its lead history, the handover awaiting acknowledgement, the
problem team, who may be chosen as a new lead or team member, and the lists supervisors reassign
from (DESIGN.md section 4: one lead at a time, changed only by a recorded handover or a
supervisor's reassignment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Role, User
from accounts.open_work import OpenWork
from core.access import get_visible_or_404
from core.compiled import CompiledQuery
from problems.models import Handover, Problem, ProblemTeamMember
from problems.selectors.access import CONTRIBUTING_ROLES, problems_visible_to
from problems.selectors.problems import OPEN_STAGES

if TYPE_CHECKING:
    from partnerships.models import Organisation


def lead_candidates(*, organisation: Organisation | int, exclude: User | None = None) -> QuerySet[User]:
    """Who may lead a problem of `organisation`: its active officers and supervisors."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    users = User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=CONTRIBUTING_ROLES)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("full_name", "email")


def team_candidates(*, problem: Problem) -> QuerySet[User]:
    """Who may join the problem's team: active officers of the owning force who may see it (a
    restricted problem's named users only), not its lead and not already on the team."""
    users = User.objects.filter(
        organisation_id=problem.owning_organisation_id, is_active=True, role=Role.OFFICER
    ).exclude(pk=problem.owner_id)
    users = users.exclude(problem_teams__problem=problem)
    if problem.restricted:
        users = users.filter(named_on_problems=problem)
    return users.order_by("full_name", "email")


def handover_list_for_problem(*, problem: Problem) -> QuerySet[Handover]:
    """The lead history, oldest first: who, from, to, by whom, when, the note, acknowledged when."""
    return Handover.objects.filter(problem=problem).select_related("from_user", "to_user", "made_by")


def handover_pending_for(*, problem: Problem) -> Handover | None:
    """The handover awaiting the incoming lead's acknowledgement, if any (at most one: a later
    handover supersedes it)."""
    return (
        Handover.objects.filter(problem=problem, acknowledged_at__isnull=True, superseded_at__isnull=True)
        .select_related("to_user")
        .order_by("-made_at", "-pk")
        .first()
    )


def handover_list_awaiting(*, user: User) -> QuerySet[Handover]:
    """The handovers `user` is to acknowledge (their home page), oldest first."""
    return (
        Handover.objects.filter(
            to_user=user,
            acknowledged_at__isnull=True,
            superseded_at__isnull=True,
            problem__in=problems_visible_to(user),
        )
        .select_related("problem", "from_user", "made_by")
        .order_by("made_at", "pk")
    )


def _police_handovers_awaiting(shape: tuple[str, int], *, user_id: int, organisation_id: int) -> QuerySet[Handover]:
    role, limit = shape
    user: Any = User(pk=user_id, organisation_id=organisation_id, role=role)
    return handover_list_awaiting(user=user)[:limit]


# The home page's handover panel for police users, compiled once per role and size (core.compiled):
# police visibility is a function of the role and the ids, with no date in it.
_POLICE_HANDOVERS_AWAITING: CompiledQuery[Handover] = CompiledQuery(_police_handovers_awaiting)


def handover_list_awaiting_first(*, user: User, limit: int) -> list[Handover]:
    """The first `limit` of handover_list_awaiting (the home page's panel, which asks one more than
    it shows)."""
    if user.is_authenticated and user.is_police:
        return _POLICE_HANDOVERS_AWAITING.fetch(
            (user.role, limit), user_id=user.pk, organisation_id=user.organisation_id
        )
    return list(handover_list_awaiting(user=user)[:limit])


def handover_get_for_user(*, user: User, pk: object) -> Handover:
    """A handover of a problem the user may see (else 404)."""
    visible = Handover.objects.filter(problem__in=problems_visible_to(user)).select_related("problem", "to_user")
    return get_visible_or_404(visible, pk=pk)


def team_list_for_problem(*, problem: Problem) -> QuerySet[ProblemTeamMember]:
    return ProblemTeamMember.objects.filter(problem=problem).select_related("user", "added_by")


def team_member_get_for_problem(*, problem: Problem, user_pk: object) -> ProblemTeamMember:
    return get_visible_or_404(team_list_for_problem(problem=problem), user_id=user_pk)


def problem_list_open_led_by(*, user: User, lead: User) -> QuerySet[Problem]:
    """The open problems `lead` leads that supervisor `user` may reassign: of the supervisor's own
    force only (a supervisor of another force sees none)."""
    if user.role != Role.SUPERVISOR:
        return Problem.objects.none()
    return (
        problems_visible_to(user)
        .filter(owning_organisation_id=user.organisation_id, owner_id=lead.pk, stage__in=OPEN_STAGES)
        .select_related("category")
        .order_by("reference")
    )


def problem_list_led_by_inactive(*, user: User) -> QuerySet[Problem]:
    """Open problems of the supervisor's force whose lead's account is inactive (their home page),
    oldest first, with the lead. Reads the force's inactive accounts when called."""
    if user.role != Role.SUPERVISOR:
        return Problem.objects.none()
    # The force's inactive accounts first (a short list, usually empty: then no problem is read at
    # all): given as a subquery instead, PostgreSQL walked every open problem of the force in the
    # list's order looking for one whose lead is inactive (300-580 ms for 80,000, finding none).
    inactive = list(
        User.objects.filter(organisation_id=user.organisation_id, is_active=False).values_list("pk", flat=True)
    )
    if not inactive:
        return Problem.objects.none()
    return (
        problems_visible_to(user)
        .filter(owning_organisation_id=user.organisation_id, stage__in=OPEN_STAGES, owner_id__in=inactive)
        .select_related("owner")
        .order_by("opened_on", "pk")
    )


def reassignable_leads(*, user: User) -> QuerySet[User]:
    """The officers of the supervisor's force who lead at least one open problem (the reassignment
    page's "whose problems" list), inactive ones included: they are the ones to reassign from."""
    if user.role != Role.SUPERVISOR:
        return User.objects.none()
    return (
        User.objects.filter(
            organisation_id=user.organisation_id,
            owned_problems__stage__in=OPEN_STAGES,
            owned_problems__owning_organisation_id=user.organisation_id,
        )
        .distinct()
        .order_by("full_name", "email")
    )


@dataclass(frozen=True)
class ProblemPeople:
    """Who works a problem, for its page: the lead history (oldest first), the handover awaiting
    acknowledgement (if any) and the team. Two queries."""

    handovers: list[Handover]
    pending: Handover | None
    team: list[ProblemTeamMember]


def problem_people(*, problem: Problem) -> ProblemPeople:
    handovers = list(handover_list_for_problem(problem=problem))
    pending = next((h for h in reversed(handovers) if h.is_pending), None)
    return ProblemPeople(handovers=handovers, pending=pending, team=list(team_list_for_problem(problem=problem)))


def open_problems_led_by(user: User) -> list[OpenWork]:
    """For an administrator deactivating `user`: the open problems they lead, and where a
    supervisor reassigns them (registered with accounts.open_work)."""
    count = Problem.objects.filter(owner_id=user.pk, stage__in=OPEN_STAGES).count()
    if not count:
        return []
    return [
        OpenWork(
            description=f"leads {count} open problem{'s' if count != 1 else ''}",
            link=f"{reverse('problem-reassign')}?lead={user.pk}",
            link_text="reassign them (a supervisor of their force)",
        )
    ]
