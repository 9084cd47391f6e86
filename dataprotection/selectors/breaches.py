"""Reads of the breach log: the force's breaches, and the shares and agreements a breach may name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from dataprotection.models import AWAITING_DECISION, Breach
from partnerships.models import Agreement
from problems.models import ProblemShare

if TYPE_CHECKING:
    from accounts.models import User


def breach_list_for(*, user: User) -> QuerySet[Breach]:
    """The breaches of the user's force, newest found first, with their open actions counted."""
    return (
        Breach.objects.filter(organisation_id=user.organisation_id)
        .annotate(open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)))
        .order_by("-found_at", "-id")
    )


def breach_list_awaiting_decision(*, user: User) -> QuerySet[Breach]:
    """Breaches of the force not yet reported (nor judged not reportable), soonest deadline first."""
    return Breach.objects.filter(organisation_id=user.organisation_id, status__in=AWAITING_DECISION).order_by(
        "found_at", "pk"
    )


def breach_detail_queryset() -> QuerySet[Breach]:
    return Breach.objects.select_related("recorded_by").prefetch_related(
        "actions",
        Prefetch("shares", queryset=ProblemShare.objects.select_related("problem", "organisation")),
        "agreements",
    )


def breach_share_choices(*, user: User) -> QuerySet[ProblemShare]:
    """Shares of the force's problems, which a breach may name (the form offers these only)."""
    return ProblemShare.objects.filter(problem__owning_organisation_id=user.organisation_id).select_related(
        "problem", "organisation"
    )


def breach_agreement_choices(*, user: User) -> QuerySet[Agreement]:
    """Agreements the force is party to."""
    return Agreement.objects.filter(
        pk__in=Agreement.objects.filter(parties__organisation_id=user.organisation_id).values("pk")
    ).order_by("reference", "-version")
