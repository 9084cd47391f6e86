"""Agreement reminders on chosen days: review dates 30 and 7 days ahead, to each party's lead; and
expiry, which suspends exactly the shares relying on the agreement and tells their problems' owners."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import Notification, Reminder
from core.reminders import reminders_send, sweep_run
from partnerships.models import Agreement, AgreementStatus
from partnerships.reminders import KINDS
from partnerships.services.agreements import agreements_expire_lapsed
from problems.models import Problem
from problems.models.sharing import ProblemShare, ShareEnd
from problems.reminders import SHARE_SUSPENDED_KIND
from problems.services.sharing import shares_suspend_lapsed
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories_agreements import complete_agreement
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

THIRTY, SEVEN = KINDS


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def agreement(world: World, *, review: datetime.date, status: str = AgreementStatus.ACTIVE) -> Agreement:
    return complete_agreement(
        parties=[world.force, world.partner], status=status, created_by=world.users["supervisor"], review_date=review
    )


def run(on: datetime.date, capture: Any) -> None:
    with capture(execute=False):
        sweep_run("partnerships.agreement_reviews", today=on)


def made() -> set[tuple[str, str, str]]:
    return set(Reminder.objects.filter(kind__in=KINDS).values_list("kind", "target_id", "recipient__email"))


def test_agreements_reaching_review_in_30_and_7_days_remind_each_partys_lead(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    in_30 = agreement(world, review=day(30))
    in_7 = agreement(world, review=day(7))
    under_review = agreement(world, review=day(7), status=AgreementStatus.UNDER_REVIEW)
    agreement(world, review=day(29))
    agreement(world, review=day(8))
    agreement(world, review=day(30), status=AgreementStatus.DRAFT)
    agreement(world, review=day(7), status=AgreementStatus.TERMINATED)
    second_lead = UserFactory(role=Role.PARTNER_LEAD, organisation=world.partner)

    run(day(0), django_capture_on_commit_callbacks)

    leads = [world.users["supervisor"].email, world.users["partner_lead"].email, second_lead.email]
    assert made() == {
        *((THIRTY, str(in_30.pk), lead) for lead in leads),
        *((SEVEN, str(in_7.pk), lead) for lead in leads),
        *((SEVEN, str(under_review.pk), lead) for lead in leads),
    }

    assert reminders_send(reminder_ids=list(Reminder.objects.values_list("pk", flat=True))) == {"sent": 9}
    message = next(m for m in mail.outbox if m.to == [second_lead.email] and in_30.reference in m.subject)
    assert (
        message.subject
        == f"Agreement {in_30.reference} is due for review on {in_30.review_date.day} {in_30.review_date:%B %Y}"
    )
    assert f"/agreements/{in_30.pk}/" in message.body


def test_one_agreement_is_reminded_30_days_and_7_days_before_its_review_and_on_no_other_day(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    review = day(40)
    isa = agreement(world, review=review)
    for offset in range(0, 41):
        run(day(offset), django_capture_on_commit_callbacks)
    rows = Reminder.objects.filter(target_id=str(isa.pk), recipient=world.users["partner_lead"])
    assert sorted(rows.values_list("kind", flat=True)) == sorted([THIRTY, SEVEN])
    assert set(rows.values_list("due_date", flat=True)) == {review}


def test_the_sweep_runs_on_day_10_and_day_33_only_for_a_review_on_day_40(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    isa = agreement(world, review=day(40))
    made_on = {}
    for offset in range(0, 41):
        before = Reminder.objects.filter(target_id=str(isa.pk)).count()
        run(day(offset), django_capture_on_commit_callbacks)
        if Reminder.objects.filter(target_id=str(isa.pk)).count() > before:
            made_on[offset] = set(Reminder.objects.filter(target_id=str(isa.pk)).values_list("kind", flat=True))
    assert made_on == {10: {THIRTY}, 33: {THIRTY, SEVEN}}


def test_expiry_suspends_exactly_the_shares_relying_on_the_agreement_and_tells_their_owners(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    expiring = agreement(world, review=day(100))
    lasting = agreement(world, review=day(100))
    other_owner = UserFactory(role=Role.OFFICER, organisation=world.force)
    first = share(world, agreement=expiring)
    second = share(world, agreement=expiring)
    # Shared by the officer, then handed over to a colleague: the current owner is told.
    Problem.objects.filter(pk=second.problem_id).update(owner=other_owner)
    kept = share(world, agreement=lasting)
    Agreement.objects.filter(pk=expiring.pk).update(expiry_date=day(-1))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert agreements_expire_lapsed(on_date=day(0)) == 1
    assert len(queued) == 1, "the owners' reminders, queued once, after commit"

    ended = {s.pk: (s.end_kind, s.ended_at is not None) for s in ProblemShare.objects.all()}
    assert ended == {first.pk: (ShareEnd.SUSPENDED, True), second.pk: (ShareEnd.SUSPENDED, True), kept.pk: ("", False)}
    assert set(Reminder.objects.filter(kind=SHARE_SUSPENDED_KIND).values_list("target_id", "recipient__email")) == {
        (str(first.pk), world.users["officer"].email),
        (str(second.pk), other_owner.email),
    }

    # (The partner's users were emailed when each problem was shared: those are not sent here.)
    suspended = Reminder.objects.filter(kind=SHARE_SUSPENDED_KIND).values_list("pk", flat=True)
    assert reminders_send(reminder_ids=list(suspended)) == {"sent": 2}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.users["officer"].email, other_owner.email])
    message = next(m for m in mail.outbox if m.to == [other_owner.email])
    assert second.problem.reference in message.subject
    assert world.partner.name in message.subject
    assert second.problem.title not in message.body
    assert Notification.objects.filter(recipient=other_owner, kind=SHARE_SUSPENDED_KIND).count() == 1

    # The daily sweep of lapsed shares afterwards finds nothing more to suspend or tell.
    with django_capture_on_commit_callbacks(execute=False):
        assert shares_suspend_lapsed(on_date=day(0)) == 0
    assert Reminder.objects.filter(kind=SHARE_SUSPENDED_KIND).count() == 2


def test_the_daily_sweep_suspends_the_shares_of_several_lapsed_agreements_and_queues_their_reminders_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first_isa, second_isa = agreement(world, review=day(100)), agreement(world, review=day(100))
    first, second = share(world, agreement=first_isa), share(world, agreement=second_isa)
    Agreement.objects.filter(pk__in=[first_isa.pk, second_isa.pk]).update(expiry_date=day(-1))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert shares_suspend_lapsed(on_date=day(0)) == 2

    assert len(queued) == 1, "one batch of reminders for the whole sweep, not one per agreement"
    assert set(Reminder.objects.filter(kind=SHARE_SUSPENDED_KIND).values_list("target_id", flat=True)) == {
        str(first.pk),
        str(second.pk),
    }


def test_terminating_an_agreement_works_with_the_broker_down_and_the_owners_are_told_later(
    world: World, broker_down: None, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    isa = agreement(world, review=day(100))
    suspended = share(world, agreement=isa)
    client = sign_in(Client(), world.users["supervisor"])

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("agreement-terminate", kwargs={"pk": isa.pk}), {"reason": "Partner withdrew."})

    assert response.status_code == 302
    assert len(queued) == 1, "the owner's reminder was handed to the broker, after commit"
    assert "Could not queue 1 reminder(s)" in caplog.text
    isa.refresh_from_db()
    suspended.refresh_from_db()
    assert (isa.status, suspended.end_kind) == (AgreementStatus.TERMINATED, ShareEnd.SUSPENDED)
    # Still due in PostgreSQL: the next dispatch (or run_reminders) sends it.
    reminder = Reminder.objects.get(kind=SHARE_SUSPENDED_KIND)

    # The next page does not wait on the broker again: it is left alone for a while.
    second = agreement(world, review=day(100))
    share(world, ProblemFactory(force=world.force, owner=world.users["officer"]), agreement=second)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreement-terminate", kwargs={"pk": second.pk}), {"reason": "Partner withdrew."})
    assert time.monotonic() - started < 2
    assert "Broker recently unreachable" in caplog.text
    assert reminder.state == "due"
    assert reminders_send(reminder_ids=[reminder.pk]) == {"sent": 1}
