"""Breaches for tests, recorded directly as rows (the services have their own tests)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from dataprotection.models import Breach, BreachAction
from partnerships.models import Organisation


def dpo_of(force: Organisation) -> User:
    found = User.objects.filter(organisation=force, role=Role.DATA_PROTECTION_OFFICER).first()
    if found is None:
        from tests.accounts.factories import UserFactory

        found = UserFactory(organisation=force, role=Role.DATA_PROTECTION_OFFICER)
    return found


def make_breach(force: Organisation, *, found_ago: datetime.timedelta | None = None, **fields: Any) -> Breach:
    return Breach.objects.create(
        organisation=force,
        summary=fields.pop("summary", "Email with a case summary sent to the wrong council team"),
        description=fields.pop("description", "A problem's summary went to a distribution list outside the agreement."),
        found_at=fields.pop("found_at", timezone.now() - (found_ago or datetime.timedelta(hours=1))),
        recorded_by=fields.pop("recorded_by", None) or dpo_of(force),
        **fields,
    )


def make_action(breach: Breach, **fields: Any) -> BreachAction:
    return BreachAction.objects.create(
        breach=breach,
        description=fields.pop("description", "Ask the council to delete the email and confirm it."),
        created_by=fields.pop("created_by", None) or breach.recorded_by,
        **fields,
    )
