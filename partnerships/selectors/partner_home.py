"""Reads for a partner lead's home page: the agreements waiting for their organisation's
signature or due for review, and their organisation's current contacts with its single points of
contact (SPOCs) first. Built on the register's selectors, so a partner sees only the agreements
their organisation is party to (DESIGN.md section 4)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from partnerships.models import Agreement, AgreementParty, AgreementStatus, Contact, Organisation
from partnerships.selectors.agreements import agreement_list_visible_to
from partnerships.selectors.contacts import contact_list_for_organisation
from partnerships.selectors.organisations import spoc_on

if TYPE_CHECKING:
    from accounts.models import User


def agreement_list_awaiting_signature_of(*, user: User) -> QuerySet[Agreement]:
    """Drafts the user's organisation is party to and has not signed, longest waiting first.

    Only a draft can be signed (agreement_sign), and any change to a draft clears every signature,
    so a draft's last change is when it started waiting. Parties (with their organisations) and
    data categories are prefetched for agreement_missing_items: three queries whatever the number
    of rows."""
    unsigned = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), organisation_id=user.organisation_id, signed_at__isnull=True
    )
    return (
        agreement_list_visible_to(user=user, status=AgreementStatus.DRAFT)
        .filter(Exists(unsigned))
        .order_by("updated_at", "pk")
    )


def agreement_list_review_due_for(*, user: User, within_days: int, today: datetime.date) -> QuerySet[Agreement]:
    """Agreements in force that the user may see whose review date is within `within_days` of
    today or already past, the earliest first. One query: nothing is prefetched."""
    return (
        agreement_list_visible_to(user=user, review_within_days=within_days, today=today)
        .prefetch_related(None)
        .order_by("review_date", "reference", "-version")
    )


def contact_list_current_for(*, organisation: Organisation, day: datetime.date) -> QuerySet[Contact]:
    """The organisation's contacts active on `day`, and anyone who is a SPOC on `day`, each with
    `is_spoc`; SPOCs first, then by name. One query.

    SPOCs come first so that a caller who reads only the first rows still knows whether the
    organisation has an active SPOC: it has none when the first row is not one. "SPOC on day"
    is the rule the registry's "No active SPOC" filter uses (spoc_on), so the two always agree."""
    active = Q(active_from__lte=day) & (Q(active_to__isnull=True) | Q(active_to__gte=day))
    return (
        contact_list_for_organisation(organisation=organisation)
        .filter(active | spoc_on(day))
        .annotate(is_spoc=Case(When(spoc_on(day), then=Value(True)), default=Value(False), output_field=BooleanField()))
        .order_by("-is_spoc", "name", "pk")
    )
