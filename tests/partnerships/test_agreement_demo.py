"""The demo agreements: one active, one active and due for review within 30 days, one expired;
running the demo twice changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from core.models import AuditEvent
from partnerships.demo import agreements as demo_agreements
from partnerships.demo import organisations as demo_organisations
from partnerships.models import Agreement, AgreementParty, AgreementStatus
from partnerships.selectors.agreements import agreement_missing_items

pytestmark = pytest.mark.django_db


def _seed() -> None:
    # In seed_demo's order: organisations, the demo users, then agreements.
    demo_organisations.seed(stdout=io.StringIO())
    accounts_demo.seed(stdout=io.StringIO())
    demo_agreements.seed(stdout=io.StringIO())


def test_demo_has_an_active_a_due_for_review_and_an_expired_agreement_and_is_idempotent() -> None:
    _seed()
    counts = (Agreement.objects.count(), AgreementParty.objects.count(), AuditEvent.objects.count())
    _seed()
    assert (Agreement.objects.count(), AgreementParty.objects.count(), AuditEvent.objects.count()) == counts

    today = timezone.localdate()
    agreements = list(Agreement.objects.prefetch_related("parties__organisation", "data_categories"))
    assert len(agreements) == 3
    statuses = sorted(a.status for a in agreements)
    assert statuses == [AgreementStatus.ACTIVE, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED]
    active = [a for a in agreements if a.status == AgreementStatus.ACTIVE]
    assert any(a.review_date and a.review_date <= today + datetime.timedelta(days=30) for a in active)
    assert any(a.review_date and a.review_date > today + datetime.timedelta(days=30) for a in active)
    for agreement in agreements:
        assert {p.organisation.name for p in agreement.parties.all()} >= {"Northshire Police"}
        assert all(p.is_signed and p.signatory_name for p in agreement.parties.all())
        # Every demo agreement was complete when it was activated.
        assert agreement_missing_items(agreement) == []
