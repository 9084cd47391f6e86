"""Community priorities set from a survey's results (evaluation.services.survey_priorities): linked
from the results page by the officers and supervisors of the force owning a public survey, shown
on the priority's page to the survey's organisation, kept to the survey's neighbourhood and to
priorities set after it opened and not at a meeting, one survey per priority, and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.dates import long_date
from core.models import AuditEvent
from engagement.models import ChosenBy, CommunityPriority, PriorityStatus
from engagement.services.priorities import SURVEY_LINKED, priority_update
from evaluation.forms.surveys import PRIORITY_INVALID
from evaluation.models import Audience, Survey
from evaluation.services import survey_priorities as service
from evaluation.services.surveys import NEIGHBOURHOOD_FIXED, survey_update
from partnerships.models import Neighbourhood
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.engagement.factories import make_event, make_priority, neighbourhood_for
from tests.evaluation.factories_surveys import make_survey
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _survey(world: World, **fields: Any) -> Survey:
    fields.setdefault("neighbourhood", neighbourhood_for(world))
    fields.setdefault("title", "Eastgate autumn survey")
    return make_survey(world.users["officer"], **fields)


def _priority(neighbourhood: Any, **fields: Any) -> CommunityPriority:
    """A priority set today (after the test surveys opened), chosen by survey unless told."""
    fields.setdefault("chosen_by", ChosenBy.SURVEY)
    fields.setdefault("issue_date", timezone.localdate())
    return make_priority(neighbourhood, **fields)


def _link_url(survey: Survey) -> str:
    return reverse("survey-priority-link", kwargs={"pk": survey.pk})


def test_an_officer_links_a_priority_from_the_results_page_and_its_page_names_the_survey(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    priority = _priority(survey.neighbourhood, by=officer, chosen_by=ChosenBy.OTHER)
    client = sign_in(Client(), officer)

    page = client.get(reverse("survey-results", kwargs={"pk": survey.pk})).content.decode()
    response = client.post(_link_url(survey), {"priority": priority.pk})
    results = client.get(response["Location"]).content.decode()
    priority_page = client.get(reverse("priority-detail", kwargs={"pk": priority.pk})).content.decode()

    assert f'<option value="{priority.pk}">{priority}, Eastgate' in page
    assert response.status_code == 302
    assert response["Location"].endswith("#priorities")
    priority.refresh_from_db()
    assert (priority.survey, priority.chosen_by) == (survey, ChosenBy.SURVEY)
    assert reverse("priority-detail", kwargs={"pk": priority.pk}) in results
    assert "Eastgate autumn survey" in priority_page
    assert "data-priority-survey" in priority_page
    event = AuditEvent.objects.get(verb="evaluation.survey.priority_linked")
    assert (event.actor, event.target_id) == (officer, str(priority.pk))
    assert event.detail == {"survey": survey.pk, "before": {"survey": None, "chosen_by": ChosenBy.OTHER}}


def test_an_empty_or_foreign_choice_shows_the_error_summary_and_changes_nothing(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    westgate = _priority(neighbourhood_for(world, name="Westgate"), by=officer)
    client = sign_in(Client(), officer)

    empty = client.post(_link_url(survey), {})
    foreign = client.post(_link_url(survey), {"priority": westgate.pk})

    for response in (empty, foreign):
        text = response.content.decode()
        assert response.status_code == 200
        assert "data-error-summary" in text
        assert PRIORITY_INVALID in text
    # The Westgate priority is not offered on an Eastgate survey, and is not linked.
    assert westgate not in foreign.context["priority_form"].fields["priority"].queryset
    assert not CommunityPriority.objects.filter(survey__isnull=False).exists()
    assert not AuditEvent.objects.filter(verb="evaluation.survey.priority_linked").exists()


def test_the_service_keeps_a_priority_to_the_surveys_neighbourhood_and_to_one_survey(world: World) -> None:
    officer = world.users["officer"]
    survey, other = _survey(world), _survey(world, title="Spring survey")
    westgate = _priority(neighbourhood_for(world, name="Westgate"), by=officer)
    eastgate = _priority(survey.neighbourhood, by=officer)
    service.survey_priority_link(actor=officer, survey=other, priority=eastgate)

    with pytest.raises(ValidationError) as wrong_place:
        service.survey_priority_link(actor=officer, survey=survey, priority=westgate)
    with pytest.raises(ValidationError) as taken:
        service.survey_priority_link(actor=officer, survey=survey, priority=eastgate)

    assert wrong_place.value.message_dict == {
        "priority": [service.OTHER_NEIGHBOURHOOD.format(neighbourhood=survey.neighbourhood)]
    }
    assert taken.value.message_dict == {"priority": [service.FROM_ANOTHER_SURVEY]}
    assert CommunityPriority.objects.get(pk=westgate.pk).survey is None
    assert CommunityPriority.objects.get(pk=eastgate.pk).survey == other


def test_a_survey_of_no_neighbourhood_offers_the_priorities_of_every_neighbourhood_the_officer_works(
    world: World,
) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, title="Force-wide survey")
    westgate = _priority(neighbourhood_for(world, name="Westgate"), by=officer)
    client = sign_in(Client(), officer)

    response = client.post(_link_url(survey), {"priority": westgate.pk})

    assert response.status_code == 302
    assert CommunityPriority.objects.get(pk=westgate.pk).survey == survey


def test_unlinking_keeps_chosen_by_survey_and_is_audited(world: World) -> None:
    supervisor = world.users["supervisor"]
    survey = _survey(world)
    priority = service.survey_priority_link(
        actor=world.users["officer"], survey=survey, priority=_priority(survey.neighbourhood)
    )
    client = sign_in(Client(), supervisor)

    response = client.post(reverse("survey-priority-unlink", kwargs={"pk": survey.pk, "priority_pk": priority.pk}))

    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.survey, priority.chosen_by) == (None, ChosenBy.SURVEY)
    assert AuditEvent.objects.get(verb="evaluation.survey.priority_unlinked").actor == supervisor


def test_a_linked_priority_cannot_be_said_to_be_chosen_another_way_until_unlinked(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    priority = service.survey_priority_link(
        actor=officer, survey=survey, priority=_priority(survey.neighbourhood, by=officer)
    )

    with pytest.raises(ValidationError) as refused:
        priority_update(actor=officer, priority=priority, chosen_by=ChosenBy.MEETING_AGREEMENT)
    service.survey_priority_unlink(actor=officer, survey=survey, priority=priority)
    changed = priority_update(actor=officer, priority=priority, chosen_by=ChosenBy.MEETING_AGREEMENT)

    assert refused.value.message_dict == {"chosen_by": [SURVEY_LINKED]}
    assert changed.chosen_by == ChosenBy.MEETING_AGREEMENT


@pytest.mark.parametrize("who", ["analyst", "partner_lead"])
def test_builders_who_set_no_priorities_cannot_link_them(world: World, who: str) -> None:
    builder = world.users[who]
    survey = make_survey(builder, title="Their survey")
    priority = _priority(neighbourhood_for(world), by=world.users["officer"])

    with pytest.raises(PermissionDenied):
        service.survey_priority_link(actor=builder, survey=survey, priority=priority)
    page = sign_in(Client(), builder).get(reverse("survey-results", kwargs={"pk": survey.pk}))

    assert page.status_code == 200
    assert _link_url(survey) not in page.content.decode()
    assert CommunityPriority.objects.get(pk=priority.pk).survey is None


def test_a_draft_survey_has_no_results_to_set_priorities_from(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world, publish=False)
    priority = _priority(survey.neighbourhood, by=officer)

    response = sign_in(Client(), officer).post(_link_url(survey), {"priority": priority.pk})

    assert response.status_code == 403
    assert CommunityPriority.objects.get(pk=priority.pk).survey is None


@pytest.mark.parametrize("linked", [1, 5])
def test_results_page_query_count_does_not_grow_with_linked_priorities(
    world: World, linked: int, django_assert_num_queries: Any
) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    for n in range(linked):
        priority = _priority(survey.neighbourhood, by=officer, issue=f"Issue {n}", status=PriorityStatus.ADOPTED)
        service.survey_priority_link(actor=officer, survey=survey, priority=priority)
    _priority(survey.neighbourhood, by=officer, issue="Not linked yet")
    client = sign_in(Client(), officer)

    # Session, user, OTP device; the survey; its questions; their options; the response count; the
    # grouped distribution; the per-question summary; the free-text answers; the neighbourhoods of
    # the filter; the linked priorities with their neighbourhoods; those the officer may link.
    with django_assert_num_queries(13):
        response = client.get(reverse("survey-results", kwargs={"pk": survey.pk}))

    assert len(response.context["priorities"]) == linked


def test_only_priorities_set_after_the_survey_opened_and_not_at_a_meeting_are_offered_or_linked(
    world: World,
) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    eastgate = survey.neighbourhood
    earlier = _priority(eastgate, by=officer, issue="Set before", issue_date=survey.opens_on - timedelta(days=1))
    voted = _priority(eastgate, by=officer, issue="Voted", chosen_by=ChosenBy.MEETING_VOTE, votes_for=9)
    at_meeting = _priority(eastgate, by=officer, issue="At a meeting", event=make_event(eastgate, by=officer))
    fine = _priority(eastgate, by=officer, issue="From the survey")
    client = sign_in(Client(), officer)

    offered = client.get(reverse("survey-results", kwargs={"pk": survey.pk})).context["priority_form"]
    refusals = {}
    for priority in (earlier, voted, at_meeting):
        with pytest.raises(ValidationError) as refused:
            service.survey_priority_link(actor=officer, survey=survey, priority=priority)
        refusals[priority.issue] = refused.value.message_dict["priority"]

    assert list(offered.fields["priority"].queryset) == [fine]
    assert refusals == {
        "Set before": [service.SET_BEFORE_SURVEY.format(opens_on=long_date(survey.opens_on))],
        "Voted": [service.CHOSEN_AT_MEETING],
        "At a meeting": [service.CHOSEN_AT_MEETING],
    }
    assert not CommunityPriority.objects.filter(survey__isnull=False).exists()


def test_a_priority_of_another_force_or_of_a_neighbourhood_no_longer_in_use_cannot_be_linked(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, title="Force-wide survey")
    other_force = NeighbourhoodFactory(name="Elsewhere")
    theirs = _priority(other_force, by=UserFactory(organisation=other_force.organisation, role=Role.OFFICER))
    closed = neighbourhood_for(world, name="Old Town")
    old = _priority(closed, by=officer)
    Neighbourhood.objects.filter(pk=closed.pk).update(active=False)

    with pytest.raises(PermissionDenied):
        service.survey_priority_link(actor=officer, survey=survey, priority=theirs)
    with pytest.raises(ValidationError) as inactive:
        service.survey_priority_link(actor=officer, survey=survey, priority=old)

    assert inactive.value.message_dict == {"priority": [service.INACTIVE_NEIGHBOURHOOD]}
    assert not CommunityPriority.objects.filter(survey__isnull=False).exists()


@pytest.mark.parametrize("audience", [Audience.OFFICER, Audience.PARTNER])
def test_only_a_public_survey_sets_community_priorities(world: World, audience: str) -> None:
    officer = world.users["officer"]
    survey = _survey(world, audience=audience)
    priority = _priority(survey.neighbourhood, by=officer)

    response = sign_in(Client(), officer).post(_link_url(survey), {"priority": priority.pk})

    assert response.status_code == 403
    assert CommunityPriority.objects.get(pk=priority.pk).survey is None


def test_a_survey_not_yet_open_has_no_results_to_set_priorities_from(world: World) -> None:
    officer = world.users["officer"]
    today = timezone.localdate()
    survey = _survey(world, opens_on=today + timedelta(days=10), closes_on=today + timedelta(days=40))
    priority = _priority(survey.neighbourhood, by=officer, issue_date=today)

    with pytest.raises(PermissionDenied):
        service.survey_priority_link(actor=officer, survey=survey, priority=priority)


def test_the_survey_line_on_a_priority_page_is_shown_to_the_surveys_force_only(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    priority = service.survey_priority_link(
        actor=officer, survey=survey, priority=_priority(survey.neighbourhood, by=officer)
    )
    url = reverse("priority-detail", kwargs={"pk": priority.pk})

    police = sign_in(Client(), world.users["analyst"]).get(url).content.decode()
    partner = sign_in(Client(), world.users["partner_member"]).get(url)

    assert "data-priority-survey" in police
    assert reverse("survey-results", kwargs={"pk": survey.pk}) in police
    assert partner.status_code == 200  # the partnership's member sees the priority...
    assert "data-priority-survey" not in partner.content.decode()  # ...not the police's survey
    assert "Eastgate autumn survey" not in partner.content.decode()


def test_a_survey_with_linked_priorities_keeps_its_neighbourhood(world: World) -> None:
    officer = world.users["officer"]
    survey = _survey(world)
    service.survey_priority_link(actor=officer, survey=survey, priority=_priority(survey.neighbourhood, by=officer))

    with pytest.raises(ValidationError) as refused:
        survey_update(actor=officer, survey=survey, neighbourhood=neighbourhood_for(world, name="Westgate"))

    assert refused.value.message_dict == {"neighbourhood": [NEIGHBOURHOOD_FIXED]}
    assert Survey.objects.get(pk=survey.pk).neighbourhood == survey.neighbourhood


def test_unlinking_a_priority_that_is_not_linked_here_says_so_and_changes_nothing(world: World) -> None:
    officer = world.users["officer"]
    survey, other = _survey(world), _survey(world, title="Spring survey")
    priority = service.survey_priority_link(
        actor=officer, survey=other, priority=_priority(survey.neighbourhood, by=officer)
    )
    client = sign_in(Client(), officer)

    response = client.post(
        reverse("survey-priority-unlink", kwargs={"pk": survey.pk, "priority_pk": priority.pk}), follow=True
    )

    assert service.NOT_LINKED in response.content.decode()
    assert CommunityPriority.objects.get(pk=priority.pk).survey == other
