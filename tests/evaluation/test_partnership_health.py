"""Partnership health over time (issue 21): the health-check survey's results by round on the
partnership's health page, and the action plan drawn from the latest round."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models.surveys import Audience
from evaluation.selectors.partnership_health import ACTIONS, partnership_health
from evaluation.services.survey_templates import PARTNERSHIP_HEALTH
from tests.conftest import sign_in
from tests.evaluation.factories_surveys import add_response, make_survey
from tests.problems.factories_meetings import world_partnership

pytestmark = pytest.mark.django_db


def _round(world, opened: datetime.date, ratings: list[dict[str, int]]):
    survey = make_survey(
        world.users["supervisor"],
        title=f"Health check {opened:%b %Y}",
        audience=Audience.PARTNER,
        template=PARTNERSHIP_HEALTH,
        partnership=world_partnership(world),
        opens_on=opened,
        closes_on=opened + datetime.timedelta(days=60),
    )
    questions = {q.item_key: q for q in survey.questions.all()}
    for answer in ratings:
        add_response(survey, {questions[key]: value for key, value in answer.items()})
    return survey


def _all(value: int, **overrides: int) -> dict[str, int]:
    ratings = dict.fromkeys(ACTIONS, value)
    ratings.update(overrides)
    return ratings


def test_results_by_round_and_a_plan_from_the_latest(world):
    today = timezone.localdate()
    _round(world, today - datetime.timedelta(days=200), [_all(8), _all(6)])
    _round(world, today - datetime.timedelta(days=20), [_all(8, data_sharing=4, trust=6), _all(8, data_sharing=5)])
    health = partnership_health(partnership=world_partnership(world))
    assert [r.responses for r in health.rounds] == [2, 2]
    assert health.rounds[0].means["trust"] == 7.0
    assert health.rounds[1].means["data_sharing"] == 4.5
    assert [step.key for step in health.plan] == ["data_sharing"]
    assert health.plan[0].action == ACTIONS["data_sharing"]


def test_a_draft_round_is_left_out(world):
    make_survey(
        world.users["supervisor"],
        audience=Audience.PARTNER,
        template=PARTNERSHIP_HEALTH,
        partnership=world_partnership(world),
        publish=False,
    )
    assert partnership_health(partnership=world_partnership(world)).rounds == []


def test_the_page_shows_the_rounds_and_the_plan_to_a_member(world, client):
    _round(world, timezone.localdate() - datetime.timedelta(days=10), [_all(5)])
    sign_in(client, world.users["partner_member"])
    page = client.get(reverse("partnership-health", kwargs={"pk": world_partnership(world).pk})).content.decode()
    assert "Results by round" in page
    assert ACTIONS["trust"] in page
    sign_in(client, world.users["unrelated_partner"])
    assert client.get(reverse("partnership-health", kwargs={"pk": world_partnership(world).pk})).status_code == 404


def test_the_page_keeps_its_query_count_with_1_and_with_5_rounds(world, client, django_assert_num_queries):
    sign_in(client, world.users["officer"])
    url = reverse("partnership-health", kwargs={"pk": world_partnership(world).pk})
    rounds = 0

    def count(wanted: int) -> None:
        nonlocal rounds
        while rounds < wanted:
            rounds += 1
            _round(world, timezone.localdate() - datetime.timedelta(days=30 * rounds), [_all(7)])
        client.get(url)
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the partnership,
        # 5 the rounds with their response counts, 6 the mean of each aspect in each round.
        with django_assert_num_queries(6):
            response = client.get(url)
        assert len(response.context["health"].rounds) == wanted

    count(1)
    count(5)


def test_the_partnership_page_shows_the_health_over_time_and_the_plan(world, client):
    _round(world, timezone.localdate() - datetime.timedelta(days=10), [_all(8, communication=3)])
    sign_in(client, world.users["officer"])
    page = client.get(reverse("partnership-detail", kwargs={"pk": world_partnership(world).pk})).content.decode()
    assert "Partnership health over time" in page
    assert ACTIONS["communication"] in page
    assert ACTIONS["trust"] not in page
