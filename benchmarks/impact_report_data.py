"""The impact report benchmark's data (benchmarks/test_impact_report.py), generated here and
loaded with PostgreSQL COPY (made up): one force, a partnership of twenty neighbourhoods holding
every problem, each problem with two stage moves and a done action, one in two with an objective,
DESIGNS of them with a before/after design by LSOA, CRIME_ROWS street-level crime rows spread over
400 LSOAs and 24 months, one engagement event for every twenty problems (most with seldom-heard
groups represented), and a trust-and-confidence round per neighbourhood and quarter (one
response for every thousand problems in each, every trust item answered)."""

from __future__ import annotations

import datetime
import os
import time

from django.db import connection
from django.utils import timezone

from benchmarks.data import (
    LSOAS,
    copy_rows,
    crime_rows,
    load_crime_rows,
    load_problem_history,
    problem_columns,
    problem_rows,
)
from engagement.models import EngagementEvent
from engagement.models.events import EventKind
from evaluation.models import Answer, SurveyResponse
from evaluation.services.survey_templates import TRUST_CONFIDENCE
from partnerships.models import Neighbourhood, SeldomHeardGroup
from problems.models import Problem, ProblemCategory
from tests.conftest import World
from tests.evaluation.factories_surveys import make_survey
from tests.partnerships.factories import NeighbourhoodFactory
from tests.partnerships.factories_partnerships import make_partnership

PROBLEMS = int(os.environ.get("BENCH_IMPACT_PROBLEMS", "100000"))
# Not BENCH_CRIME_ROWS: `make bench` passes that to the crime import benchmark that runs first.
CRIME_ROWS = int(os.environ.get("BENCH_CRIME_ROWS_REPORT", "1000000"))
DESIGNS = int(os.environ.get("BENCH_IMPACT_DESIGNS", "20"))
AREAS = 20
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
KINDS = [kind for kind, _ in EventKind.choices]


def load(world: World) -> dict[str, float]:
    """Generate and load the data; the seconds each part took (and the partnership's id)."""
    timings: dict[str, float] = {}
    partnership = make_partnership(members=[world.force, world.partner], name="Benchmark Partnership")
    areas = [
        NeighbourhoodFactory(
            name=f"Bench area {n}", slug=f"bench-area-{n}", organisation=world.force, partnership=partnership
        ).pk
        for n in range(AREAS)
    ]
    categories = list(ProblemCategory.objects.values_list("pk", flat=True))
    timings["problems"] = copy_rows(Problem, problem_columns(), problem_rows(world, areas, categories, PROBLEMS))
    first = Problem.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    ids = range(first, first + PROBLEMS)
    timings |= load_problem_history(
        ids=ids,
        officer_id=world.users["officer"].pk,
        force_id=world.force.pk,
        partner_id=world.partner.pk,
        designs=DESIGNS,
        lsoas=LSOAS,
    )
    timings["crime_rows"] = load_crime_rows(crime_rows(CRIME_ROWS))
    began = time.perf_counter()
    _engagement(world, areas)
    timings["engagement"] = time.perf_counter() - began
    began = time.perf_counter()
    _trust_rounds(world, areas)
    timings["trust_rounds"] = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["partnership_id"] = partnership.pk
    return timings


def _engagement(world: World, areas: list[int]) -> None:
    """PROBLEMS / 20 events over eighteen months (the report's year and the half before it), two
    in three with one or two seldom-heard groups represented."""
    groups = list(SeldomHeardGroup.objects.filter(active=True).values_list("pk", flat=True))
    officer = world.users["officer"]
    events = EngagementEvent.objects.bulk_create(
        EngagementEvent(
            neighbourhood_id=areas[n % len(areas)],
            kind=KINDS[n % len(KINDS)],
            held_on=datetime.date(2024, 7, 1) + datetime.timedelta(days=(n * 13) % 549),
            attendees=None if n % 7 == 0 else n % 40,
            created_by=officer,
        )
        for n in range(PROBLEMS // 20)
    )
    through = EngagementEvent.groups_represented.through
    through.objects.bulk_create(
        through(engagementevent_id=event.pk, seldomheardgroup_id=groups[(n + k) % len(groups)])
        for n, event in enumerate(events)
        if n % 3
        for k in range(1 + n % 2)
    )


def _trust_rounds(world: World, areas: list[int]) -> None:
    """A trust-and-confidence round in each neighbourhood each quarter from October 2024 (the
    first before the report's year), PROBLEMS / 1000 responses each, every item answered."""
    supervisor = world.users["supervisor"]
    per_round = max(PROBLEMS // 1000, 3)
    answers: list[Answer] = []
    places = Neighbourhood.objects.in_bulk(areas)
    for a, area in enumerate(areas):
        for q, opens in enumerate(datetime.date(2024 + (m > 12), (m - 1) % 12 + 1, 1) for m in (10, 13, 16, 19, 22)):
            survey = make_survey(
                supervisor,
                title=f"Trust round {a}-{q}",
                template=TRUST_CONFIDENCE,
                neighbourhood=places[area],
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=27),
            )
            items = [question for question in survey.questions.all() if question.kind == "agreement"]
            submitted = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(10)))
            responses = SurveyResponse.objects.bulk_create(
                SurveyResponse(survey=survey, submitted_at=submitted, neighbourhood_id=area) for _ in range(per_round)
            )
            answers += [
                Answer(response=response, question=item, value_int=1 + (r * 7 + i * 3 + a + q) % 5)
                for r, response in enumerate(responses)
                for i, item in enumerate(items)
                if (r + i) % 11  # some items left unanswered
            ]
    Answer.objects.bulk_create(answers, batch_size=5000)
