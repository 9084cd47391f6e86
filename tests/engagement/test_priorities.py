"""Community priorities: set with how they were chosen, moved through their statuses, actions
recorded, and turned into a problem in one step that carries their text and link."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from engagement.models import ChosenBy, CommunityPriority, PriorityAction, PriorityStatus
from engagement.services.common import PUBLIC_TEXT_PERSONAL
from engagement.services.priorities import (
    ACTION_NOT_ADOPTED,
    NOT_ADOPTED_REASON_REQUIRED,
    PROBLEM_NEEDS_ADOPTION,
    VOTES_MORE_THAN_CAST,
    VOTES_REQUIRED,
    priority_action_add,
    priority_create,
    priority_problem_create,
    priority_set_status,
)
from problems.models import Problem, ProblemCategory, ProblemSource, Stage
from tests.conftest import World, sign_in
from tests.engagement.factories import add_action, make_event, make_priority, neighbourhood_for

pytestmark = pytest.mark.django_db

ISSUE = "Street drinking and intimidation around the Eastgate parade of shops every evening."


def _asb() -> ProblemCategory:
    return ProblemCategory.objects.get(code="asb")


def test_priority_set_at_a_vote_records_the_votes_and_starts_proposed(world: World) -> None:
    eastgate = neighbourhood_for(world)
    meeting = make_event(eastgate, by=world.users["officer"])
    priority = priority_create(
        actor=world.users["officer"],
        neighbourhood=eastgate,
        issue=ISSUE,
        chosen_by=ChosenBy.MEETING_VOTE,
        votes_for=21,
        votes_cast=34,
        event=meeting,
    )
    assert priority.status == PriorityStatus.PROPOSED
    assert (priority.votes_for, priority.votes_cast, priority.event) == (21, 34, meeting)
    assert AuditEvent.objects.filter(verb="engagement.priority.created", target_id=str(priority.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"chosen_by": ChosenBy.MEETING_VOTE}, "votes_for", VOTES_REQUIRED),
        ({"chosen_by": ChosenBy.MEETING_VOTE, "votes_for": 40, "votes_cast": 34}, "votes_cast", VOTES_MORE_THAN_CAST),
        ({"chosen_by": ChosenBy.SURVEY, "issue": "Call Jo on 07700 900123 about it"}, "issue", PUBLIC_TEXT_PERSONAL),
        ({"chosen_by": ChosenBy.SURVEY, "issue": "Email jo.bloggs@example.com"}, "issue", PUBLIC_TEXT_PERSONAL),
    ],
)
def test_priority_rules_are_checked(world: World, fields: dict, field: str, message: str) -> None:  # type: ignore[type-arg]
    fields = {"issue": ISSUE, **fields}
    with pytest.raises(ValidationError) as error:
        priority_create(actor=world.users["officer"], neighbourhood=neighbourhood_for(world), **fields)
    assert error.value.message_dict[field] == [message]
    assert not CommunityPriority.objects.exists()


def test_adopting_records_the_day_and_not_adopting_needs_a_reason(world: World) -> None:
    eastgate = neighbourhood_for(world)
    first = make_priority(eastgate, by=world.users["officer"])
    adopted = priority_set_status(actor=world.users["supervisor"], priority=first, status=PriorityStatus.ADOPTED)
    assert adopted.adopted_on == timezone.localdate()
    second = make_priority(eastgate, by=world.users["officer"], issue="Speeding on Mill Road.")
    with pytest.raises(ValidationError) as error:
        priority_set_status(actor=world.users["officer"], priority=second, status=PriorityStatus.NOT_ADOPTED)
    assert error.value.message_dict["reason"] == [NOT_ADOPTED_REASON_REQUIRED]
    second.refresh_from_db()
    assert second.status == PriorityStatus.PROPOSED


def test_a_priority_cannot_jump_from_proposed_to_resolved(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    with pytest.raises(ValidationError):
        priority_set_status(actor=world.users["officer"], priority=priority, status=PriorityStatus.RESOLVED)
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED


def test_partner_reader_cannot_adopt_priority(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    with pytest.raises(PermissionDenied):
        priority_set_status(actor=world.users["partner_lead"], priority=priority, status=PriorityStatus.ADOPTED)
    response = sign_in(Client(), world.users["partner_lead"]).post(
        reverse("priority-status", kwargs={"pk": priority.pk}), {"status": PriorityStatus.ADOPTED}
    )
    assert response.status_code == 403
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED


def test_analyst_cannot_adopt_priority(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["analyst"]).post(
        reverse("priority-status", kwargs={"pk": priority.pk}), {"status": PriorityStatus.ADOPTED}
    )
    assert response.status_code == 403


def test_officer_adopts_a_priority_from_its_page(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    client = sign_in(Client(), world.users["officer"])
    response = client.post(reverse("priority-status", kwargs={"pk": priority.pk}), {"status": PriorityStatus.ADOPTED})
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.ADOPTED
    audit = AuditEvent.objects.get(verb="engagement.priority.status_changed")
    assert audit.detail["status"] == {"before": "proposed", "after": "adopted"}


def test_not_adopting_without_a_reason_shows_the_error_summary_and_keeps_the_choice(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("priority-status", kwargs={"pk": priority.pk}), {"status": PriorityStatus.NOT_ADOPTED, "reason": ""}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-error-summary" in text
    assert NOT_ADOPTED_REASON_REQUIRED in text
    assert response.context["status_form"]["status"].value() == PriorityStatus.NOT_ADOPTED
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED


def test_actions_are_recorded_only_on_adopted_priorities_and_not_before_they_were_set(world: World) -> None:
    eastgate = neighbourhood_for(world)
    proposed = make_priority(eastgate, by=world.users["officer"])
    with pytest.raises(ValidationError, match=ACTION_NOT_ADOPTED):
        priority_action_add(actor=world.users["officer"], priority=proposed, description="Patrols.")
    adopted = make_priority(eastgate, by=world.users["officer"], status=PriorityStatus.ADOPTED, issue="Other.")
    with pytest.raises(ValidationError) as error:
        priority_action_add(
            actor=world.users["officer"],
            priority=adopted,
            description="Patrols.",
            taken_on=adopted.issue_date - datetime.timedelta(days=1),
        )
    assert "taken_on" in error.value.message_dict
    action = priority_action_add(actor=world.users["officer"], priority=adopted, description="Daily patrols.")
    assert action.taken_on == timezone.localdate()
    assert PriorityAction.objects.count() == 1


def test_action_form_with_a_phone_number_shows_the_error_and_keeps_the_text(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("priority-action-add", kwargs={"pk": priority.pk}),
        {"description": "Spoke to the caller on 07700 900123", "taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert PUBLIC_TEXT_PERSONAL in text
    assert "Spoke to the caller on 07700 900123" in text
    assert not PriorityAction.objects.exists()


def test_priority_turned_into_a_problem_carries_its_text_and_link(world: World) -> None:
    eastgate = neighbourhood_for(world)
    priority = make_priority(
        eastgate,
        by=world.users["officer"],
        issue=ISSUE,
        status=PriorityStatus.ADOPTED,
        chosen_by=ChosenBy.MEETING_VOTE,
        votes_for=21,
        votes_cast=34,
    )
    problem = priority_problem_create(
        actor=world.users["officer"], priority=priority, category=_asb(), risk_level="high"
    )
    assert problem.title == ISSUE
    assert problem.description == ISSUE
    assert problem.problem_statement == ISSUE
    assert problem.perceived_problem == ISSUE
    assert list(problem.demand_sources.values_list("kind", flat=True)) == ["ward_panel"]
    assert problem.demand_note == "A community priority (vote at a meeting)."
    assert problem.neighbourhood == eastgate
    assert problem.source == ProblemSource.PUBLIC_MEETING
    assert problem.stage == Stage.SCANNING
    assert problem.owner == world.users["officer"]
    assert "21 votes of 34" in problem.evidence_sources
    assert list(priority.problems.all()) == [problem]
    assert list(problem.community_priorities.all()) == [priority]
    assert AuditEvent.objects.filter(verb="problems.problem.created", target_id=str(problem.pk)).exists()
    linked = AuditEvent.objects.get(verb="engagement.priority.problem_created")
    assert linked.detail == {"problem": problem.pk, "reference": problem.reference}


def test_a_proposed_priority_cannot_become_a_problem(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"])
    with pytest.raises(ValidationError, match=PROBLEM_NEEDS_ADOPTION):
        priority_problem_create(actor=world.users["officer"], priority=priority, category=_asb(), risk_level="low")
    assert not Problem.objects.exists()


def test_create_a_problem_view_opens_the_problem_and_the_priority_page_links_it(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    client = sign_in(Client(), world.users["officer"])
    response = client.post(
        reverse("priority-problem-create", kwargs={"pk": priority.pk}), {"category": _asb().pk, "risk_level": "medium"}
    )
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problem-detail", kwargs={"pk": problem.pk})
    page = client.get(reverse("priority-detail", kwargs={"pk": priority.pk})).content.decode()
    assert problem.reference in page


def test_create_a_problem_view_with_no_category_shows_the_error_and_creates_nothing(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("priority-problem-create", kwargs={"pk": priority.pk}), {"category": "", "risk_level": "high"}
    )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not Problem.objects.exists()


def test_partner_sees_the_priority_but_not_an_unshared_linked_problem(world: World) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    problem = priority_problem_create(
        actor=world.users["officer"], priority=priority, category=_asb(), risk_level="low"
    )
    page = sign_in(Client(), world.users["partner_member"]).get(reverse("priority-detail", kwargs={"pk": priority.pk}))
    assert page.status_code == 200
    assert problem.reference not in page.content.decode()


def test_priority_create_form_with_missing_issue_keeps_the_votes_typed(world: World) -> None:
    eastgate = neighbourhood_for(world)
    response = sign_in(Client(), world.users["officer"]).post(
        reverse("priority-create"),
        {
            "neighbourhood": eastgate.pk,
            "issue": "",
            "issue_date": timezone.localdate().isoformat(),
            "chosen_by": ChosenBy.MEETING_VOTE,
            "votes_for": "17",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-error-summary" in text
    assert 'value="17"' in text
    assert not CommunityPriority.objects.exists()


def test_priority_list_keeps_the_same_query_count_with_1_and_with_5_priorities(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    eastgate = neighbourhood_for(world)
    client = sign_in(Client(), world.users["partner_member"])

    def count(rows: int) -> None:
        while CommunityPriority.objects.count() < rows:
            priority = make_priority(eastgate, by=world.users["officer"], status=PriorityStatus.ADOPTED)
            add_action(priority, "Patrols.", timezone.localdate())
        # 1 the session, 2 the user, 3 the OTP device, 4 the page count, 5 the page of priorities
        # with their neighbourhoods and counts, 6 the neighbourhoods for the filter.
        with django_assert_num_queries(6):
            response = client.get(reverse("priority-list"))
        assert len(response.context["page"]) == rows

    count(1)
    count(5)


def test_priority_page_keeps_the_same_query_count_with_1_and_with_5_actions(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    client = sign_in(Client(), world.users["officer"])

    def count(rows: int) -> None:
        while priority.actions.count() < rows:
            add_action(priority, "Patrols.", timezone.localdate())
        # 1 the session, 2 the user, 3 the OTP device, 4 the priority with its neighbourhood, event
        # and author, 5 its actions, 6 the linked problems the user may see.
        with django_assert_num_queries(6):
            response = client.get(reverse("priority-detail", kwargs={"pk": priority.pk}))
        assert len(response.context["priority"].actions.all()) == rows

    count(1)
    count(5)
