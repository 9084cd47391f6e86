"""The demo shows the data protection pages at work: a resident named in three kinds of record,
and an open breach with its actions."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from core.models import AuditEvent
from dataprotection.demo import BREACH_SUMMARY, PERSON
from dataprotection.models import Breach, BreachStatus
from dataprotection.selectors.subject_access import subject_access_search

pytestmark = pytest.mark.django_db


def test_the_demo_names_a_person_in_three_kinds_of_record_and_has_an_open_breach() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    events = AuditEvent.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert AuditEvent.objects.count() == events

    dpo = User.objects.get(email="dpo@police.example")
    result = subject_access_search(user=dpo, term=PERSON)
    assert {m.kind for m in result.matches} >= {"Problem update", "Engagement event", "Survey answer"}
    breach = Breach.objects.get(summary=BREACH_SUMMARY)
    assert breach.status == BreachStatus.OPEN
    assert breach.shares.count() == 1
    assert [action.is_done for action in breach.actions.all()] == [True, False]
