"""Reads of partner referrals, with their access rules. The referring organisation's users see
its referrals and their outcomes; the receiving side sees what was referred to it: police users
of the force referred to, or of a force currently a member of the partnership referred to.
Supervisors of the receiving side accept or decline. Anyone else gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import PARTNER_ROLES, Role
from core.access import get_visible_or_404
from partnerships.models import PartnershipMembership
from partnerships.selectors.partnerships import current_membership_q
from problems.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from accounts.models import User

ReferralAction = Literal["view", "decide"]

CANNOT_DECIDE_REFERRAL = "Only a supervisor of the force receiving this referral can accept or decline it."
REFERRAL_ALREADY_DECIDED = "This referral has already been {status}."


def can_refer(user: User) -> bool:
    """Partner leads and members propose problems (a force's officers log them directly)."""
    return bool(user.is_authenticated and user.is_active and user.role in PARTNER_ROLES)


def _receiving_q(user: User) -> Q:
    member_force = PartnershipMembership.objects.filter(
        current_membership_q(), partnership_id=OuterRef("partnership_id"), organisation_id=user.organisation_id
    )
    return Q(force_id=user.organisation_id) | Q(Exists(member_force))


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated:
        return Referral.objects.none()
    if user.is_partner:
        return Referral.objects.filter(referring_organisation_id=user.organisation_id)
    if user.is_police:
        return Referral.objects.filter(_receiving_q(user))
    return Referral.objects.none()


def referral_list_for(*, user: User) -> QuerySet[Referral]:
    """The referrals page: one query, whatever the number of rows."""
    return referrals_visible_to(user).select_related(
        "referring_organisation", "force", "partnership", "problem", "referred_by", "decided_by"
    )


def referral_list_pending_for(*, user: User) -> QuerySet[Referral]:
    return referral_list_for(user=user).filter(status=ReferralStatus.PENDING)


def can_decide_referral(user: User, referral: Referral) -> bool:
    """A supervisor of the receiving side: the force referred to, or a force currently a member of
    the partnership referred to."""
    if not (user.is_authenticated and user.is_active and user.role == Role.SUPERVISOR and user.is_police):
        return False
    if referral.force_id is not None:
        return referral.force_id == user.organisation_id
    return PartnershipMembership.objects.filter(
        current_membership_q(), partnership=referral.partnership, organisation_id=user.organisation_id
    ).exists()


def referral_get_for_user(*, user: User, pk: object, action: ReferralAction = "view") -> Referral:
    referral = get_visible_or_404(referral_list_for(user=user), pk=pk)
    if action == "decide" and not can_decide_referral(user, referral):
        raise PermissionDenied(CANNOT_DECIDE_REFERRAL)
    return referral
