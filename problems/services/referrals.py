"""Partner referrals (issue 21): a partner proposes a problem to a force or a partnership; a
supervisor of the receiving side accepts it, which logs a problem linked to the referral, shares it
with the referring organisation (under an agreement in force that covers it: no agreement, no
acceptance) and optionally names that organisation the lead agency; or declines it with a reason
the partner sees. The referring organisation's people are told of the outcome in the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.audit import audit_record
from core.models import Notification
from partnerships.models import DataCategory, Neighbourhood, Partnership, PartnershipMembership
from partnerships.selectors.agreements import agreement_coverage_gap, agreement_covering
from partnerships.selectors.organisations import organisation_people_to_tell
from partnerships.selectors.partnerships import current_membership_q
from problems.models import Problem, ProblemCategory, ProblemSource, Referral, ReferralStatus, ShareAccess
from problems.selectors.referrals import (
    CANNOT_DECIDE_REFERRAL,
    REFERRAL_ALREADY_DECIDED,
    can_decide_referral,
    can_refer,
)
from problems.services.lead_agency import problem_set_lead_agency
from problems.services.problems import problem_create
from problems.services.sharing import share_create

if TYPE_CHECKING:
    from partnerships.models import Organisation

REFERRAL_NOT_PARTNER = "Only partner leads and members can refer a problem."
REFERRAL_RECIPIENT_REQUIRED = "Choose a police force or a partnership to refer the problem to, not both."
REFERRAL_FORCE_INVALID = "Choose an active police force."
REFERRAL_NOT_MEMBER = "Your organisation is not a current member of {partnership}: choose a partnership it belongs to."
REFERRAL_TEXT_REQUIRED = {
    "title": "Say what the problem is.",
    "location": "Say where the problem is.",
    "why_now": "Say why you are referring it now.",
    "evidence": "Describe the evidence.",
}
DECLINE_REASON_REQUIRED = "Give the reason for declining: the referring organisation will see it."
ACCEPT_NO_CATEGORIES = "Choose at least one category of data to share with the referring organisation."

NOTIFY_ACCEPTED = "Your referral \u201c{title}\u201d was accepted as {reference}"
NOTIFY_DECLINED = "Your referral \u201c{title}\u201d was declined"
NOTIFY_RECEIVED = "New referral from {organisation}: {title}"


def _tell(people: Iterable[User], *, title: str, referral: Referral, actor: User) -> None:
    link = reverse("referral-detail", kwargs={"pk": referral.pk})
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="problems.referral",
            title=title[:200],
            link=link,
            target_type="problems.referral",
            target_id=str(referral.pk),
        )
        for person in people
        if person.pk != actor.pk
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    force: Organisation | None,
    partnership: Partnership | None,
    title: str,
    location: str,
    why_now: str,
    evidence: str,
) -> Referral:
    """A partner user proposes a problem (what, where, why now, evidence) to a force or to a
    partnership their organisation currently belongs to."""
    if not can_refer(actor):
        raise PermissionDenied(REFERRAL_NOT_PARTNER)
    texts = {"title": title, "location": location, "why_now": why_now, "evidence": evidence}
    texts = {key: (value or "").strip() for key, value in texts.items()}
    errors: dict[str, str] = {key: REFERRAL_TEXT_REQUIRED[key] for key, value in texts.items() if not value}
    if (force is None) == (partnership is None):
        errors["force"] = REFERRAL_RECIPIENT_REQUIRED
    elif force is not None and (not force.is_police or not force.active):
        errors["force"] = REFERRAL_FORCE_INVALID
    elif partnership is not None:
        member = PartnershipMembership.objects.filter(
            current_membership_q(), partnership=partnership, organisation_id=actor.organisation_id
        ).exists()
        if not member or not partnership.active:
            errors["partnership"] = REFERRAL_NOT_MEMBER.format(partnership=partnership.name)
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        referring_organisation_id=actor.organisation_id,
        referred_by=actor,
        force=force,
        partnership=partnership,
        **texts,
    )
    audit_record(
        actor=actor,
        verb="problems.referral.created",
        target=referral,
        detail={"force": referral.force_id, "partnership": referral.partnership_id, "title": referral.title},
    )
    forces = (
        [force.pk]
        if force is not None
        else list(
            PartnershipMembership.objects.filter(
                current_membership_q(), partnership=partnership, organisation__kind="police_force"
            ).values_list("organisation_id", flat=True)
        )
    )
    supervisors = User.objects.filter(organisation_id__in=forces, role=Role.SUPERVISOR, is_active=True)
    title_text = NOTIFY_RECEIVED.format(organisation=actor.organisation.name, title=referral.title)
    _tell(supervisors, title=title_text, referral=referral, actor=actor)
    return referral


def _lock_pending(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().select_related("referring_organisation").get(pk=referral.pk)
    if locked.status != ReferralStatus.PENDING:
        raise ValidationError(REFERRAL_ALREADY_DECIDED.format(status=locked.get_status_display().lower()))
    return locked


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    category: ProblemCategory | None,
    neighbourhood: Neighbourhood | None,
    risk_level: str,
    data_categories: Iterable[DataCategory],
    partner_leads: bool = False,
) -> Problem:
    """Accept the referral: log a problem for the actor's force from it (source: partner
    referral), share it with the referring organisation with contribute access under the agreement
    in force that covers the chosen data categories, and, with `partner_leads`, name that
    organisation the lead agency. All or nothing: without a covering agreement nothing is created."""
    if not can_decide_referral(actor, referral):
        raise PermissionDenied(CANNOT_DECIDE_REFERRAL)
    referral = _lock_pending(referral)
    categories = list(data_categories)
    if not categories:
        raise ValidationError({"data_categories": ACCEPT_NO_CATEGORIES})
    partner = referral.referring_organisation
    today = timezone.localdate()
    agreement = agreement_covering(owner=actor.organisation, partner=partner, categories=categories, on_date=today)
    if agreement is None:
        gap = agreement_coverage_gap(owner=actor.organisation, partner=partner, categories=categories, on_date=today)
        raise ValidationError({"data_categories": gap or ACCEPT_NO_CATEGORIES})
    problem = problem_create(
        actor=actor,
        title=referral.title,
        description=f"{referral.why_now}\n\nEvidence: {referral.evidence}",
        category=category,  # type: ignore[arg-type]
        neighbourhood=neighbourhood,
        source=ProblemSource.PARTNER_REFERRAL,
        risk_level=risk_level,
        address=referral.location,
    )
    share_create(
        actor=actor,
        problem=problem,
        organisation=partner,
        access_level=ShareAccess.CONTRIBUTE,
        agreement=agreement,
        data_categories=categories,
    )
    if partner_leads:
        problem = problem_set_lead_agency(actor=actor, problem=problem, organisation=partner)
    referral.status = ReferralStatus.ACCEPTED
    referral.problem = problem
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "problem", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        verb="problems.referral.accepted",
        target=referral,
        detail={"problem": problem.reference, "lead_organisation": problem.lead_organisation_id},
    )
    title = NOTIFY_ACCEPTED.format(title=referral.title, reference=problem.reference)
    _tell(organisation_people_to_tell(organisation=partner), title=title, referral=referral, actor=actor)
    return problem


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Decline the referral with a reason, which the referring organisation sees."""
    if not can_decide_referral(actor, referral):
        raise PermissionDenied(CANNOT_DECIDE_REFERRAL)
    referral = _lock_pending(referral)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": DECLINE_REASON_REQUIRED})
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    audit_record(actor=actor, verb="problems.referral.declined", target=referral, detail={"reason": reason})
    people = organisation_people_to_tell(organisation=referral.referring_organisation)
    _tell(people, title=NOTIFY_DECLINED.format(title=referral.title), referral=referral, actor=actor)
    return referral
