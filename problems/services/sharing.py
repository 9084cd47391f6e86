"""Sharing a problem with a partner organisation under an information-sharing agreement
(DESIGN.md sections 4 and 5). The guardian object permissions on the partner's group are a
projection of the active shares: they are granted and removed here and nowhere else (the
reconcile_shares command rebuilds them from the shares). Every share, revocation and suspension
is audited as a disclosure naming the recipient organisation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audit_record
from core.concurrency import when
from partnerships.models import Agreement, AgreementStatus, DataCategory, Organisation
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.selectors.agreements import agreement_coverage_gap, agreement_covering
from partnerships.selectors.organisations import organisation_people_to_tell
from problems.models import Problem
from problems.models.sharing import ProblemShare, ShareAccess, ShareEnd
from problems.reminders import notify_owners_of_suspended_shares
from problems.selectors.access import can_change_problem
from problems.services.notifications import SHARED, problem_notify

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
SHARE_RESTRICTED = "A restricted problem cannot be shared with partners."
SHARE_NOT_PARTNER = "Choose an active partner organisation to share with."
SHARE_ALREADY_SHARED = "This problem is already shared with {organisation}. Revoke that share first to change it."
SHARE_NO_CATEGORIES = "Choose at least one category of data that the share discloses."
SHARE_ACCESS_INVALID = "Choose an access level from the list."
SHARE_AGREEMENT_REQUIRED = "Choose the agreement the share relies on."
SHARE_OTHER_AGREEMENT = (
    "The agreement you chose ({chosen}) does not cover this share; {covering} does. Choose {covering}."
)
SHARE_NOT_ALLOWED = "Only the problem's owner or a supervisor of its force can share it or revoke a share."
REVOKE_REASON_REQUIRED = "Give a reason for revoking the share."
REVOKE_ALREADY_ENDED = "This share has already ended."
SHARE_ENDED_BY_SOMEONE_ELSE = "This share was already ended by {name} {when}. Nothing was changed."

VIEW_PERMISSION = "problems.view_problem"
CONTRIBUTE_PERMISSION = "problems.contribute_problem"


def share_permissions(access_level: str) -> list[str]:
    """The guardian permissions an active share of this access level grants the partner's group."""
    if access_level == ShareAccess.CONTRIBUTE:
        return [VIEW_PERMISSION, CONTRIBUTE_PERMISSION]
    return [VIEW_PERMISSION]


def _disclosure_detail(share: ProblemShare, **extra: object) -> dict[str, object]:
    return {
        "recipients": [share.organisation.name],
        "access_level": share.access_level,
        "agreement": share.agreement.reference,
        "problem": share.problem.reference,
        **extra,
    }


@transaction.atomic
def share_create(
    *,
    actor: User,
    problem: Problem,
    organisation: Organisation | None,
    access_level: str,
    agreement: Agreement | None,
    data_categories: Iterable[DataCategory],
) -> ProblemShare:
    """Share `problem` with a partner organisation under `agreement`, which must be in force and
    cover every chosen data category. Grants the partner's group view (and for contribute access,
    contribute) permission on the problem."""
    if not can_change_problem(actor, problem):
        raise PermissionDenied(SHARE_NOT_ALLOWED)
    problem = Problem.objects.select_for_update().select_related("owning_organisation").get(pk=problem.pk)
    if problem.restricted:
        raise ValidationError(SHARE_RESTRICTED)
    if organisation is None or organisation.is_police or not organisation.active:
        raise ValidationError({"organisation": SHARE_NOT_PARTNER})
    if access_level not in ShareAccess.values:
        raise ValidationError({"access_level": SHARE_ACCESS_INVALID})
    categories = list(data_categories)
    if not categories:
        raise ValidationError({"data_categories": SHARE_NO_CATEGORIES})
    if ProblemShare.objects.filter(problem=problem, organisation=organisation, ended_at__isnull=True).exists():
        raise ValidationError({"organisation": SHARE_ALREADY_SHARED.format(organisation=organisation.name)})
    today = timezone.localdate()
    owner = problem.owning_organisation
    covering = agreement_covering(owner=owner, partner=organisation, categories=categories, on_date=today)
    if covering is None:
        gap = agreement_coverage_gap(owner=owner, partner=organisation, categories=categories, on_date=today)
        raise ValidationError({"agreement": gap or SHARE_AGREEMENT_REQUIRED})
    if agreement is None:
        raise ValidationError({"agreement": SHARE_AGREEMENT_REQUIRED})
    if covering.pk != agreement.pk:
        # The chosen one may still cover it when several do: check it on its own terms.
        chosen_covers = (
            agreement.status in IN_FORCE_STATUSES
            and agreement.start_date is not None
            and agreement.expiry_date is not None
            and agreement.start_date <= today <= agreement.expiry_date
            and agreement.parties.filter(organisation__in=[owner.pk, organisation.pk]).count() == 2
            and {c.pk for c in categories} <= set(agreement.data_categories.values_list("pk", flat=True))
        )
        if not chosen_covers:
            raise ValidationError(
                {"agreement": SHARE_OTHER_AGREEMENT.format(chosen=agreement.reference, covering=covering.reference)}
            )
    share = ProblemShare.objects.create(
        problem=problem,
        organisation=organisation,
        access_level=access_level,
        agreement=agreement,
        shared_by=actor,
    )
    share.data_categories.set(categories)
    for perm in share_permissions(access_level):
        assign_perm(perm, organisation.group, problem)
    audit_record(
        actor=actor,
        verb="problems.share.created",
        target=share,
        detail=_disclosure_detail(share, categories=sorted(c.code for c in categories)),
    )
    # The partner's leads, SPOCs and members are told, in the app and by an email that says only
    # that a problem was shared (the share has just made the problem visible to them).
    people = list(organisation_people_to_tell(organisation=organisation))
    problem_notify(
        problem=problem,
        event=SHARED,
        actor=actor,
        extra_recipients=people,
        email_recipients=people,
        organisation=organisation,
    )
    return share


def _end_share(
    *,
    actor: User | None,
    share: ProblemShare,
    kind: str,
    reason: str,
    verb: str,
    extra: dict[str, object] | None = None,
) -> ProblemShare:
    share.ended_at = timezone.now()
    share.ended_by = actor
    share.end_kind = kind
    share.end_reason = reason
    share.save(update_fields=["ended_at", "ended_by", "end_kind", "end_reason"])
    # Only one active share per problem and organisation exists (a constraint), so the group's
    # permissions on this problem belong to this share alone.
    for perm in share_permissions(ShareAccess.CONTRIBUTE):
        remove_perm(perm, share.organisation.group, share.problem)
    audit_record(actor=actor, verb=verb, target=share, detail=_disclosure_detail(share, reason=reason, **(extra or {})))
    return share


def _lock_active(share_pk: int) -> ProblemShare | None:
    return (
        ProblemShare.objects.select_for_update(of=("self",))
        .select_related("problem", "organisation__group", "agreement")
        .filter(pk=share_pk, ended_at__isnull=True)
        .first()
    )


@transaction.atomic
def share_revoke(*, actor: User, share: ProblemShare, reason: str) -> ProblemShare:
    """The owner or a supervisor ends a share; the partner's access ends on its next request."""
    if not can_change_problem(actor, share.problem):
        raise PermissionDenied(SHARE_NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REVOKE_REASON_REQUIRED})
    # Two revocations at once: the share's row lock applies them one after the other, and the
    # second finds it ended and is told by whom (core.concurrency).
    locked = _lock_active(share.pk)
    if locked is None:
        ended = ProblemShare.objects.select_related("ended_by").get(pk=share.pk)
        if ended.ended_by is not None and ended.ended_at is not None:
            raise ValidationError(
                SHARE_ENDED_BY_SOMEONE_ELSE.format(name=ended.ended_by.full_name, when=when(ended.ended_at))
            )
        raise ValidationError(REVOKE_ALREADY_ENDED)
    return _end_share(actor=actor, share=locked, kind=ShareEnd.REVOKED, reason=reason, verb="problems.share.revoked")


def _suspend_for_agreement(
    *, agreement: Agreement, reason: str, cause: str, ended_by: User | None = None
) -> list[ProblemShare]:
    """Suspend the agreement's active shares. The system does it, not a person, so the events have
    no actor: they say so ("by": "system") and name the cause and, when a person ended the
    agreement, who (DPA 2018 s.62: each end of a disclosure is logged with who caused it)."""
    why: dict[str, object] = {
        "by": "system",
        "cause": cause,
        "agreement_ended_by": ended_by.pk if ended_by is not None else None,
    }
    suspended = []
    for pk in ProblemShare.objects.filter(agreement=agreement, ended_at__isnull=True).values_list("pk", flat=True):
        share = _lock_active(pk)
        if share is None:
            continue
        _end_share(
            actor=None,
            share=share,
            kind=ShareEnd.SUSPENDED,
            reason=reason,
            verb="problems.share.suspended",
            extra=why,
        )
        suspended.append(share)
    return suspended


@transaction.atomic
def shares_suspend_for_agreement(*, agreement: Agreement, reason: str, cause: str, ended_by: User | None = None) -> int:
    """The system suspends every active share relying on `agreement` (it ended: `cause`, by
    `ended_by` if a person ended it), and tells each affected problem's owner (after commit).
    Returns how many."""
    suspended = _suspend_for_agreement(agreement=agreement, reason=reason, cause=cause, ended_by=ended_by)
    notify_owners_of_suspended_shares(suspended)
    return len(suspended)


RESTRICTED_REASON = "The problem was restricted: restricted problems are never shared."


def shares_end_for_restricted_problem(*, actor: User, problem: Problem) -> int:
    """Revoke every active share of a problem that has just been restricted (DESIGN.md section 4:
    partners never see restricted problems), so the shares and permissions say what access says.
    Runs inside the caller's transaction. Returns how many."""
    count = 0
    for pk in ProblemShare.objects.filter(problem=problem, ended_at__isnull=True).values_list("pk", flat=True):
        share = _lock_active(pk)
        if share is None:
            continue
        _end_share(
            actor=actor, share=share, kind=ShareEnd.REVOKED, reason=RESTRICTED_REASON, verb="problems.share.revoked"
        )
        count += 1
    return count


SUSPENDED_LAPSED_REASON = "The agreement {reference} is no longer in force."


def _lapse_cause(agreement: Agreement, on_date: datetime.date) -> str:
    """Why the sweep found the agreement no longer in force on `on_date`, for the audit log."""
    if agreement.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        return f"agreement_{agreement.status}"
    if agreement.expiry_date is not None and agreement.expiry_date < on_date:
        return "agreement_expired"
    if agreement.start_date is not None and agreement.start_date > on_date:
        return "agreement_not_started"
    return "agreement_not_in_force"


def _lapsed(on_date: datetime.date) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        Q(problem_shares__ended_at__isnull=True)
        & (~Q(status__in=IN_FORCE_STATUSES) | Q(expiry_date__lt=on_date) | Q(start_date__gt=on_date))
    ).distinct()


@transaction.atomic
def shares_suspend_lapsed(*, on_date: datetime.date) -> int:
    """Daily sweep: suspend every active share whose agreement is no longer in force on `on_date`
    (idempotent). Access has already stopped (the access selector checks the agreement on every
    request); this records the end and removes the permissions."""
    suspended = []
    for agreement in _lapsed(on_date):
        reason = SUSPENDED_LAPSED_REASON.format(reference=agreement.reference)
        suspended += _suspend_for_agreement(agreement=agreement, reason=reason, cause=_lapse_cause(agreement, on_date))
    # The owners are told once for the whole sweep (one batch of reminders, queued once).
    notify_owners_of_suspended_shares(suspended)
    return len(suspended)
