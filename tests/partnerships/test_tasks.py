"""The daily task that ends lapsed agreements, and its place in the beat schedule."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from partnerships.models import Agreement, AgreementStatus
from partnerships.tasks import expire_lapsed_agreements
from tests.conftest import World
from tests.partnerships.factories_agreements import complete_agreement

pytestmark = pytest.mark.django_db


def test_expiry_task_ends_lapsed_agreements_once(world: World) -> None:
    today = timezone.localdate()
    lapsed = complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        start_date=today - datetime.timedelta(days=400),
        review_date=today - datetime.timedelta(days=100),
        expiry_date=today - datetime.timedelta(days=1),
    )
    # Run through Celery's own task machinery, in this process.
    assert expire_lapsed_agreements.apply().get() == 1
    assert expire_lapsed_agreements.apply().get() == 0
    assert Agreement.objects.get(pk=lapsed.pk).status == AgreementStatus.EXPIRED


def test_expiry_task_is_scheduled_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["expire-lapsed-agreements"]
    assert entry["task"] == expire_lapsed_agreements.name
    assert entry["schedule"].hour == {0}
    assert entry["schedule"].minute == {5}
