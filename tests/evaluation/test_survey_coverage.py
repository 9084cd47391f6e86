"""Seldom-heard coverage counts groups reached by public survey answers (the "survey" reach source
registered in EvaluationConfig.ready), beside engagement events: a hand-made set in which one group
is reached only by a survey."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from engagement.coverage import reach_sources
from engagement.models import EngagementEvent
from engagement.selectors.coverage import coverage_grid
from evaluation.models import Audience, Question
from evaluation.selectors.surveys import survey_reach
from evaluation.services.survey_templates import TRUST_CONFIDENCE
from evaluation.services.surveys import survey_publish
from evaluation.services.surveys_questions import OptionInput, question_add
from partnerships.models import SeldomHeardGroup
from tests.conftest import World
from tests.evaluation.factories_surveys import add_response, make_survey
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _group(name: str) -> SeldomHeardGroup:
    return SeldomHeardGroup.objects.get(name=name)


def test_survey_source_is_registered() -> None:
    assert reach_sources()["survey"] is survey_reach


def test_coverage_includes_groups_reached_only_by_survey(world: World) -> None:
    supervisor = world.users["supervisor"]
    today = timezone.localdate()
    eastgate = NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    riverside = NeighbourhoodFactory(organisation=world.force, name="Riverside")

    event = EngagementEvent.objects.create(
        neighbourhood=eastgate,
        kind="public_meeting",
        held_on=today - datetime.timedelta(days=10),
        created_by=supervisor,
    )
    event.groups_represented.set([_group("Young people"), _group("Faith communities")])

    survey = make_survey(supervisor, template=TRUST_CONFIDENCE, neighbourhood=eastgate)
    age: Question = survey.questions.get(item_key="age_band")
    describes: Question = survey.questions.get(item_key="describes_you")
    # In the period: Older people (survey only), Young people (also engagement), Students.
    add_response(survey, {age: "65 or over", describes: ["A student"]})
    add_response(survey, {age: "18 to 24"})
    # Before the period: Disabled people is not reached.
    add_response(
        survey,
        {describes: ["Disabled or with a long-term health condition"]},
        submitted_at=timezone.now() - datetime.timedelta(days=400),
    )
    # A partner survey's answers are not public responses: LGBTQ+ people is not reached.
    partner = make_survey(supervisor, audience=Audience.PARTNER, neighbourhood=eastgate, publish=False)
    lgbt = question_add(
        actor=supervisor,
        survey=partner,
        kind="single",
        text="Are you LGBTQ+?",
        options=[OptionInput("Yes", _group("LGBTQ+ people")), OptionInput("No")],
    )
    survey_publish(actor=supervisor, survey=partner)
    add_response(partner, {lgbt: "Yes"})
    # Riverside's survey reaches Business owners in Riverside only.
    other = make_survey(supervisor, template=TRUST_CONFIDENCE, neighbourhood=riverside)
    add_response(other, {other.questions.get(item_key="describes_you"): ["A local business owner"]})

    grid = coverage_grid(user=supervisor, start=today - datetime.timedelta(days=30), end=today)
    reached = {
        (row.neighbourhood.name, cell.group.name): cell.sources
        for row in grid.rows
        for cell in row.cells
        if cell.reached
    }
    assert reached == {
        ("Eastgate", "Young people"): ("engagement", "survey"),
        ("Eastgate", "Faith communities"): ("engagement",),
        ("Eastgate", "Older people"): ("survey",),
        ("Eastgate", "Students"): ("survey",),
        ("Riverside", "Business owners"): ("survey",),
    }


def test_survey_reach_is_one_query_of_distinct_pairs(world: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    eastgate = NeighbourhoodFactory(organisation=world.force)
    survey = make_survey(world.users["officer"], template=TRUST_CONFIDENCE, neighbourhood=eastgate)
    age = survey.questions.get(item_key="age_band")
    for _ in range(3):
        add_response(survey, {age: "65 or over"})
    today = timezone.localdate()
    with django_assert_num_queries(1):
        pairs = list(survey_reach([eastgate.pk], today, today))
    assert pairs == [(eastgate.pk, _group("Older people").pk)]
