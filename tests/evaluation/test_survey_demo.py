"""The survey demo: three trust-and-confidence rounds in each of two neighbourhoods with a few
hundred responses and a visible change between rounds, one partnership health check; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from core.models import AuditEvent
from engagement.models import CommunityPriority
from evaluation.models import Audience, Survey, SurveyResponse
from evaluation.selectors.surveys_results import trust_trend
from evaluation.services.survey_templates import PARTNERSHIP_HEALTH, TRUST_CONFIDENCE

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123


def test_demo_has_three_rounds_in_two_neighbourhoods_and_a_health_check() -> None:
    _seed()
    rounds = Survey.objects.filter(template_key=TRUST_CONFIDENCE, audience=Audience.PUBLIC)
    assert sorted(rounds.values_list("neighbourhood__name", flat=True)) == ["Eastgate"] * 3 + ["Riverside"] * 3
    assert 200 <= SurveyResponse.objects.filter(survey__in=rounds).count() <= 500
    health = Survey.objects.get(template_key=PARTNERSHIP_HEALTH)
    assert health.partnership is not None
    assert health.responses.filter(respondent__isnull=False).count() >= 5

    supervisor = User.objects.get(email="supervisor@police.example")
    trend = trust_trend(user=supervisor)
    eastgate = [r.overall for r in trend["Eastgate"]]
    riverside = [r.overall for r in trend["Riverside"]]
    # Eastgate improves each round by a visible margin; Riverside dips, then recovers.
    assert eastgate[0] + 10 < eastgate[1], eastgate  # type: ignore[operator]
    assert eastgate[1] + 10 < eastgate[2], eastgate  # type: ignore[operator]
    assert riverside[1] < riverside[0], riverside  # type: ignore[operator]
    assert riverside[1] < riverside[2], riverside  # type: ignore[operator]


def test_the_demo_towpath_priority_is_linked_to_the_survey_it_was_set_from() -> None:
    _seed()
    _seed()  # idempotent: linked once

    towpath = CommunityPriority.objects.get(issue="Poor lighting on the towpath after dark.")
    assert towpath.survey is not None
    assert towpath.survey.title == "Trust and confidence, Riverside, summer round"
    assert AuditEvent.objects.filter(verb="evaluation.survey.priority_linked").count() == 1


def test_survey_demo_is_idempotent() -> None:
    _seed()
    counts = (Survey.objects.count(), SurveyResponse.objects.count())
    _seed()
    assert (Survey.objects.count(), SurveyResponse.objects.count()) == counts
