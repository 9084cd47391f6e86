"""Who may see and do what with a problem (DESIGN.md section 4). The one place these rules live:
views, selectors and templates all ask here.

Police users of the owning force see its unrestricted problems; a restricted problem is seen only
by its owner, the owning force's supervisors and its named users. A partner user sees a problem
only while it is shared with their organisation: the guardian permission on their organisation's
group (direct foreign-key table, one codename, never a model-level permission) AND an active share
whose agreement is in force today, so access ends on the next request when the agreement lapses,
before any sweep. Administrators see no operational records. Outsiders get 404, never 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import PARTNER_ROLES, POLICE_ROLES, Role
from core.access import get_visible_or_404
from partnerships.models.agreements import IN_FORCE_STATUSES
from problems.models import DecisionLogEntry, Problem, ProblemTeamMember
from problems.models.sharing import ProblemGroupObjectPermission, ProblemShare, ShareAccess

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Organisation

PROBLEM_ACTIONS = ("view", "edit", "change", "contribute", "decide", "review", "sign_off")
# Analysts read problems to prepare comparisons; officers and supervisors also work them.
CONTRIBUTING_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _group_permission(user: User, codename: str) -> Exists:
    """The partner's organisation group holds `codename` on the problem: one join on the direct
    foreign-key permission table (no model-level or generic permissions are consulted)."""
    return Exists(
        ProblemGroupObjectPermission.objects.filter(
            content_object_id=OuterRef("pk"),
            group_id=user.organisation.group_id,
            permission__codename=codename,
            permission__content_type__app_label="problems",
            permission__content_type__model="problem",
        )
    )


def _share_in_force() -> Q:
    """A share that is active and whose agreement is in force today."""
    today = timezone.localdate()
    return Q(
        ended_at__isnull=True,
        agreement__status__in=IN_FORCE_STATUSES,
        agreement__start_date__lte=today,
        agreement__expiry_date__gte=today,
    )


def _active_share(user: User, *, contribute: bool = False) -> Exists:
    """An active share with the user's organisation whose agreement is in force today."""
    shares = ProblemShare.objects.filter(
        _share_in_force(), problem_id=OuterRef("pk"), organisation_id=user.organisation_id
    )
    if contribute:
        shares = shares.filter(access_level=ShareAccess.CONTRIBUTE)
    return Exists(shares)


def problems_shared_with(user: User, *, contribute: bool = False) -> QuerySet[Problem]:
    """The problems shared with a partner user's organisation (with `contribute`: those it may
    contribute to). Restricted problems are never shared."""
    if not user.is_authenticated or not user.is_partner:
        return Problem.objects.none()
    codename = "contribute_problem" if contribute else "view_problem"
    return Problem.objects.filter(
        _group_permission(user, codename), _active_share(user, contribute=contribute), restricted=False
    )


def problems_visible_to(user: User) -> QuerySet[Problem]:
    """Every problem the user may see; a plain queryset to build lists and access helpers on."""
    if not user.is_authenticated:
        return Problem.objects.none()
    if user.is_partner:
        return problems_shared_with(user)
    if not user.is_police:
        return Problem.objects.none()
    own_force = Problem.objects.filter(owning_organisation_id=user.organisation_id)
    if user.role == Role.SUPERVISOR:
        return own_force
    named = Problem.named_users.through.objects.filter(problem_id=OuterRef("pk"), user_id=user.pk)
    return own_force.filter(Q(restricted=False) | Q(owner_id=user.pk) | Exists(named))


def problem_viewers(problem: Problem, users: QuerySet[User]) -> QuerySet[User]:
    """Of `users`, those who may see `problem` now: the rules of problems_visible_to asked the
    other way round, in one query whatever the number of users (whom to notify of a problem's
    news). tests/problems/test_followers.py checks the two agree for every persona."""
    own_force = Q(role__in=POLICE_ROLES, organisation_id=problem.owning_organisation_id)
    if problem.restricted:
        named = Problem.named_users.through.objects.filter(problem_id=problem.pk, user_id=OuterRef("pk"))
        # Restricted problems are never shared: only the owner, supervisors and named users.
        return users.filter(own_force & (Q(role=Role.SUPERVISOR) | Q(pk=problem.owner_id) | Exists(named)))
    permission = ProblemGroupObjectPermission.objects.filter(
        content_object_id=problem.pk,
        group_id=OuterRef("organisation__group_id"),
        permission__codename="view_problem",
        permission__content_type__app_label="problems",
        permission__content_type__model="problem",
    )
    share = ProblemShare.objects.filter(
        _share_in_force(), problem_id=problem.pk, organisation_id=OuterRef("organisation_id")
    )
    return users.filter(own_force | (Q(role__in=PARTNER_ROLES) & Exists(permission) & Exists(share)))


def organisation_sees_problem(*, organisation: Organisation, problem: Problem) -> bool:
    """Whether the users of `organisation` can see `problem`: its owning force, or a partner with
    an active share in force (what an action assigned to an organisation needs to be seen)."""
    if organisation.pk == problem.owning_organisation_id:
        return True
    if organisation.is_police or problem.restricted:
        return False
    shares = ProblemShare.objects.filter(_share_in_force(), problem_id=problem.pk, organisation_id=organisation.pk)
    return shares.exists()


def can_create_problem(user: User) -> bool:
    return user.is_authenticated and user.role in CONTRIBUTING_ROLES and user.organisation.is_police


def can_reassign_problems(user: User) -> bool:
    """Reassign several problems of the force at once (an officer's open problems): supervisors."""
    return user.is_authenticated and user.role == Role.SUPERVISOR


def force_leads(problem: Problem) -> bool:
    """Whether the owning force leads the problem (no partner lead agency is named)."""
    return problem.lead_organisation_id is None or problem.lead_organisation_id == problem.owning_organisation_id


def is_lead_agency_user(user: User, problem: Problem) -> bool:
    """A user of the partner organisation that leads the problem (lead agency), while that
    organisation holds a contribute share in force: the agreement still covers the work, so a
    lapsed agreement or a revoked share ends the lead agency's rights on the next request."""
    if force_leads(problem) or problem.restricted or problem.disposed_at is not None:
        return False
    if not (user.is_authenticated and user.is_active and user.is_partner):
        return False
    if problem.lead_organisation_id != user.organisation_id:
        return False
    return problems_shared_with(user, contribute=True).filter(pk=problem.pk).exists()


def can_change_problem(user: User, problem: Problem) -> bool:
    """Lead the problem's record: edit its details (restriction included), move it between
    stages, share it, hand it over, name its lead agency. Its lead officer or a supervisor of the
    owning force. When a partner is the lead agency the force still holds the record (it is the
    controller of what it shares), so its supervisors and the lead officer keep these; the lead
    agency works the content (can_edit_problem_sections)."""
    if problem.disposed_at is not None:
        return False
    if problem.owning_organisation_id != user.organisation_id:
        return False
    return problem.owner_id == user.pk or user.role == Role.SUPERVISOR


def is_on_problem_team(user: User, problem: Problem) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role in CONTRIBUTING_ROLES
        and problem.owning_organisation_id == user.organisation_id
        and ProblemTeamMember.objects.filter(problem_id=problem.pk, user_id=user.pk).exists()
    )


def can_edit_problem_sections(user: User, problem: Problem) -> bool:
    """Edit the SARA sections (scanning, analysis, controllers, hypotheses, objectives, response
    actions, assessment). A force-led problem: whoever leads it (`can_change_problem`) and the
    problem team. A partner-led problem: the lead agency's users; the force contributes (updates,
    its actions) instead."""
    if problem.disposed_at is not None:
        return False
    if not force_leads(problem):
        return is_lead_agency_user(user, problem)
    return can_change_problem(user, problem) or is_on_problem_team(user, problem)


def can_contribute_to_problem(user: User, problem: Problem) -> bool:
    """Add updates and files: officers and supervisors of the owning force; a partner user whose
    organisation has an active contribute share of the problem (the lead agency holds one)."""
    if problem.disposed_at is not None:
        return False
    if problem.owning_organisation_id == user.organisation_id and user.role in CONTRIBUTING_ROLES:
        return True
    if user.is_authenticated and user.is_partner:
        return problems_shared_with(user, contribute=True).filter(pk=problem.pk).exists()
    return False


def can_record_decision(user: User, problem: Problem) -> bool:
    """Add to the decision log (NDM): "written by the lead organisation's users" (DESIGN.md section
    4): the owning force's officers and supervisors, or, when a partner leads, the lead agency's
    users. A contribute share alone does not reach it: a partner takes part in a joint decision by
    being named on the entry, never by writing another organisation's permanent record."""
    if problem.disposed_at is not None:
        return False
    if not force_leads(problem):
        return is_lead_agency_user(user, problem)
    return problem.owning_organisation_id == user.organisation_id and user.role in CONTRIBUTING_ROLES


def decision_confirm_refusal(user: User, entry: DecisionLogEntry) -> str | None:
    """Why `user` may not confirm the joint decision `entry` (None: they may), the problem being
    one they can see: only a lead of a partner organisation named on it confirms it, for their
    organisation (DESIGN.md section 4). Reads the entry's partner organisations through
    `.all()`, so a prefetched log asks nothing more of the database."""
    if user.role == Role.PARTNER_MEMBER:
        return CANNOT_CONFIRM_MEMBER
    if user.role != Role.PARTNER_LEAD:
        return CANNOT_CONFIRM_NOT_PARTNER_LEAD
    if not entry.is_joint or all(o.pk != user.organisation_id for o in entry.partner_organisations.all()):
        return CANNOT_CONFIRM_NOT_NAMED
    return None


def can_review_problem(user: User, problem: Problem) -> bool:
    """Record a review: by the organisation leading the problem. A force-led problem: officers and
    supervisors of the owning force (a partner with contribute access adds updates instead); a
    partner-led problem: the lead agency's users."""
    if problem.disposed_at is not None:
        return False
    if not force_leads(problem):
        return is_lead_agency_user(user, problem)
    return problem.owning_organisation_id == user.organisation_id and user.role in CONTRIBUTING_ROLES


def can_sign_off_problem(user: User, problem: Problem) -> bool:
    if problem.disposed_at is not None:
        return False
    return problem.owning_organisation_id == user.organisation_id and user.role == Role.SUPERVISOR


_CHECKS = {
    "edit": can_edit_problem_sections,
    "change": can_change_problem,
    "contribute": can_contribute_to_problem,
    "decide": can_record_decision,
    "review": can_review_problem,
    "sign_off": can_sign_off_problem,
}


# Why a user who may see a problem may not do `action` to it: shown on the 403 page, so that a
# colleague who is not the lead is told that ownership, not their role, is the reason.
CANNOT_EDIT = (
    "Only the organisation leading this problem can edit it: its lead officer, problem team and supervisors,"
    " or the users of the lead agency when a partner leads."
)
CANNOT_LEAD = "Only the lead officer and supervisors of its force can do this to the problem."
CANNOT_CONTRIBUTE = "Your organisation can read this problem but not add to it."
CANNOT_DECIDE = "Only the organisation leading this problem can add to its decision log."
# Confirming a joint decision (decision_confirm_refusal).
CANNOT_CONFIRM_MEMBER = (
    "Only your organisation's lead can confirm a joint decision. Add your views to the problem as an update."
)
CANNOT_CONFIRM_NOT_PARTNER_LEAD = (
    "A joint decision is confirmed by the lead of each partner organisation named on it, not by the force."
)
CANNOT_CONFIRM_NOT_NAMED = "Your organisation is not named on this joint decision, so it cannot confirm it."
CANNOT_REVIEW = "Only the organisation leading this problem can record a review."
CANNOT_SIGN_OFF = "Only a supervisor of the owning force can sign off this problem."
# A disposed problem (problems.services.retention) holds metadata only: nothing can change it.
PROBLEM_DISPOSED = "This problem was disposed of: it holds metadata only, and disposal cannot be undone."
DENIED_MESSAGES = {
    "edit": CANNOT_EDIT,
    "change": CANNOT_LEAD,
    "contribute": CANNOT_CONTRIBUTE,
    "decide": CANNOT_DECIDE,
    "review": CANNOT_REVIEW,
    "sign_off": CANNOT_SIGN_OFF,
}


def problem_get_for_user(
    *, user: User, pk: object, action: str = "view", queryset: QuerySet[Problem] | None = None
) -> Problem:
    """The problem if the user may see it (else 404) and may do `action` to it (else 403).
    `queryset` lets a view add its select_related/prefetch_related."""
    if action not in PROBLEM_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    visible = problems_visible_to(user)
    if queryset is not None:
        visible = queryset & visible
    problem = get_visible_or_404(visible, pk=pk)
    if action != "view" and problem.disposed_at is not None:
        raise PermissionDenied(PROBLEM_DISPOSED)
    if action != "view" and not _CHECKS[action](user, problem):
        raise PermissionDenied(DENIED_MESSAGES[action])
    return problem


def share_in_force() -> Q:
    """A share that is active and whose agreement is in force today (for the disclosure selector,
    which reads what such a share discloses)."""
    return _share_in_force()
