"""Reminder sweeps of the partnerships app, registered with core.reminders (PartnershipsConfig.ready):
agreements in force reaching their review date in 30 days and in 7 days, to each party's lead
(a partner organisation's partner leads; a police force's supervisors, who sign for it).

On expiry the agreement ends (partnerships.services.agreements), the `agreement_ended` signal
suspends the shares relying on it, and the problems app tells the owners of the affected problems
(problems.reminders.notify_owners_of_suspended_shares)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role, User
from core.dates import long_date
from core.reminders import ReminderSpec, register_sweep
from partnerships.models import Agreement
from partnerships.models.agreements import IN_FORCE_STATUSES, AgreementParty
from partnerships.models.organisations import OrganisationKind

REVIEW_NOTICE_DAYS = (30, 7)
KINDS = ("partnerships.agreement_review_30", "partnerships.agreement_review_7")


def agreements_reaching_review(today: datetime.date) -> Q:
    """In force, with a review date exactly 30 or 7 days ahead: the (status, review_date) index."""
    return Q(
        status__in=IN_FORCE_STATUSES,
        review_date__in=[today + datetime.timedelta(days=days) for days in REVIEW_NOTICE_DAYS],
    )


def agreement_review_reminders(today: datetime.date) -> Iterator[ReminderSpec]:
    agreements = list(
        Agreement.objects.filter(agreements_reaching_review(today))
        .values_list("pk", "reference", "version", "review_date")
        .order_by("review_date", "pk")
    )
    if not agreements:
        return
    parties: dict[int, list[int]] = defaultdict(list)
    for agreement_id, organisation_id in AgreementParty.objects.filter(
        agreement_id__in=[row[0] for row in agreements]
    ).values_list("agreement_id", "organisation_id"):
        parties[agreement_id].append(organisation_id)
    # A party's lead: partner leads of a partner organisation, supervisors of a police force.
    leads: dict[int, list[int]] = defaultdict(list)
    organisation_ids = {org for orgs in parties.values() for org in orgs}
    for organisation_id, user_id in (
        User.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        .filter(
            Q(organisation__kind=OrganisationKind.POLICE_FORCE, role=Role.SUPERVISOR)
            | (~Q(organisation__kind=OrganisationKind.POLICE_FORCE) & Q(role=Role.PARTNER_LEAD))
        )
        .values_list("organisation_id", "pk")
        .order_by("pk")
    ):
        leads[organisation_id].append(user_id)
    for pk, reference, version, review_date in agreements:
        if review_date is None:  # never: the query asks for a date (this tells the type checker)
            continue
        days = (review_date - today).days
        kind = KINDS[0] if days == REVIEW_NOTICE_DAYS[0] else KINDS[1]
        for organisation_id in parties[pk]:
            for user_id in leads[organisation_id]:
                yield ReminderSpec(
                    kind=kind,
                    target=Agreement(pk=pk),
                    due_date=review_date,
                    recipient_id=user_id,
                    template="agreement_review_reminder",
                    title=f"Agreement {reference} is due for review on {long_date(review_date)}",
                    link=reverse("agreement-detail", kwargs={"pk": pk}),
                    context={
                        "reference": reference,
                        "version": version,
                        "due_on": long_date(review_date),
                        "days": days,
                    },
                )


def register() -> None:
    register_sweep("partnerships.agreement_reviews", agreement_review_reminders, kinds=KINDS)
