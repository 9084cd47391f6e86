"""No lost updates in engagement (issue 19): two people editing the same safety plan or community
priority, and two decisions on one priority at once. The first wins; the second is told, keeps
what they typed, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.concurrency import EDITED_BY_SOMEONE_ELSE, when
from core.models import AuditEvent
from engagement.forms.plans import PlanForm
from engagement.forms.priorities import PriorityForm
from engagement.models import PriorityStatus
from engagement.services.priorities import PRIORITY_STATUS_CHANGED
from tests.conftest import World, sign_in
from tests.engagement.factories import make_plan, make_priority, neighbourhood_for
from tests.two_editors import escaped, post_data, seen

pytestmark = pytest.mark.django_db


def _clients(world: World) -> tuple[Client, Client]:
    return sign_in(Client(), world.users["officer"]), sign_in(Client(), world.users["supervisor"])


def test_the_second_of_two_edits_of_a_safety_plan_is_refused_keeping_what_was_typed(world: World) -> None:
    plan = make_plan(neighbourhood_for(world), by=world.users["officer"])
    url = reverse("plan-edit", kwargs={"pk": plan.pk})
    officer, supervisor = _clients(world)
    officer_saw, supervisor_saw = seen(officer.get(url)), seen(supervisor.get(url))
    unchanged = post_data(PlanForm.initial_for(plan))

    assert (
        officer.post(url, {**unchanged, "lock_version": officer_saw, "aims": "Aims as Olivia saved them"}).status_code
        == 302
    )
    refused = supervisor.post(url, {**unchanged, "lock_version": supervisor_saw, "aims": "Aims as Sam typed them"})

    assert refused.status_code == 200
    event = AuditEvent.objects.get(verb="engagement.safety_plan.updated")
    message = EDITED_BY_SOMEONE_ELSE.format(
        name=world.users["officer"].full_name, what="safety plan", when=when(event.created_at)
    )
    assert escaped(message) in refused.text
    assert "Aims as Sam typed them" in refused.text
    assert "Aims as Olivia saved them" in refused.text
    plan.refresh_from_db()
    assert plan.aims == "Aims as Olivia saved them"
    assert event.actor == world.users["officer"]


def test_the_second_of_two_edits_of_a_priority_is_refused_keeping_what_was_typed(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    url = reverse("priority-edit", kwargs={"pk": priority.pk})
    officer, supervisor = _clients(world)
    officer_saw, supervisor_saw = seen(officer.get(url)), seen(supervisor.get(url))
    unchanged = post_data(PriorityForm.initial_for(priority))

    assert (
        officer.post(url, {**unchanged, "lock_version": officer_saw, "issue": "Drinking at the parade"}).status_code
        == 302
    )
    refused = supervisor.post(url, {**unchanged, "lock_version": supervisor_saw, "issue": "Drug dealing by the shops"})

    assert refused.status_code == 200
    event = AuditEvent.objects.get(verb="engagement.priority.updated")
    message = EDITED_BY_SOMEONE_ELSE.format(
        name=world.users["officer"].full_name, what="community priority", when=when(event.created_at)
    )
    assert escaped(message) in refused.text
    assert "Drug dealing by the shops" in refused.text
    priority.refresh_from_db()
    assert priority.issue == "Drinking at the parade"
    assert AuditEvent.objects.filter(verb="engagement.priority.updated").count() == 1


def test_two_decisions_on_a_priority_at_once_end_in_one_and_the_second_is_told(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    detail = reverse("priority-detail", kwargs={"pk": priority.pk})
    decide = reverse("priority-status", kwargs={"pk": priority.pk})
    officer, supervisor = _clients(world)
    officer_saw, supervisor_saw = seen(officer.get(detail), "seen_status"), seen(supervisor.get(detail), "seen_status")

    assert officer.post(decide, {"seen_status": officer_saw, "status": PriorityStatus.ADOPTED}).status_code == 302
    refused = supervisor.post(
        decide, {"seen_status": supervisor_saw, "status": PriorityStatus.NOT_ADOPTED, "reason": "Not for the police"}
    )

    assert refused.status_code == 200
    event = AuditEvent.objects.get(verb="engagement.priority.status_changed")
    message = PRIORITY_STATUS_CHANGED.format(
        status="adopted", name=world.users["officer"].full_name, when=when(event.created_at)
    )
    assert escaped(message) in refused.text
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.ADOPTED
