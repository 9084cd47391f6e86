"""Contacts, single points of contact (SPOCs) and handovers, created through the services so that
each object graph is one the application could have made."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from accounts.models import Role
from partnerships.models import Contact, Handover
from partnerships.services.contacts import contact_create, handover_record
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import OrganisationFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    job_title = "Community safety officer"
    email = factory.Sequence(lambda n: f"contact{n}@partner.test")
    active_from = factory.LazyFunction(lambda: days_ago(400))

    @classmethod
    def _create(cls, model_class: type[Contact], *args: Any, **kwargs: Any) -> Contact:
        return contact_create(actor=None, **kwargs)


class SpocFactory(ContactFactory):
    """A contact who is a single point of contact today (since 100 days ago, with no end date)."""

    spoc_topics = factory.Sequence(lambda n: f"ASB in ward {n}")
    spoc_from = factory.LazyFunction(lambda: days_ago(100))


def handover_between(
    outgoing: Contact,
    incoming: Contact,
    *,
    handover_date: datetime.date | None = None,
    recorded_by: Any = None,
    note: str = "Open cases are in the shared folder.",
) -> Handover:
    """Record a handover through the service (recorded by a supervisor unless given)."""
    recorded_by = recorded_by or UserFactory(role=Role.SUPERVISOR)
    return handover_record(
        actor=recorded_by,
        outgoing=outgoing,
        incoming=incoming,
        handover_date=handover_date or timezone.localdate(),
        note=note,
    )
