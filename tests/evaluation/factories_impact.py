"""A fixed, hand-countable data set for the impact report, and helpers to place records in time.

`impact_world(world)` builds (period 1 January to 30 June 2026; "today" is the real date, after it):

| problem | area | category | opened | stage now | closed | notes |
|---|---|---|---|---|---|---|
| P1 | Eastgate | ASB | 2026-02-01 | closed | 2026-05-10 | shared with the council |
| P2 | Eastgate | ASB | 2026-03-01 | response | - | shared with the council |
| P3 | Eastgate | Drugs | 2026-04-01 | analysis | - | review overdue |
| P4 | Eastgate | ASB | 2025-10-01 | closed | 2026-02-15 | opened before the period |
| P5 | Westfield | ASB | 2026-03-15 | scanning | - | another area: never counted |
| P6 | Eastgate | ASB | 2026-08-01 | scanning | - | opened after; review overdue |
| P7 | Eastgate | ASB | 2026-03-10 | scanning | - | restricted (supervisors only) |
| P8 | " eastgate " | Drugs | 2026-05-05 | scanning | - | area name in other case/spaces |

Stage stays (transitions at noon UTC, created_at at noon UTC on the opening day):
P1 scanning 10 days, analysis 4, response 59, assessment 25; P2 scanning 6, analysis 2;
P3 scanning 20; P4 scanning 4 (ended 2025-10-05, before the period), analysis 97 (ended
2026-01-10). Objectives due in the period: P1 met, P2 not met, P2 not assessed (P3's is due
after). Actions done in the period: council on P1 and P2, the force on P1 (and the council on P5,
elsewhere; the force on P4 before the period; a planned council action on P2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from partnerships.models import Neighbourhood, Partnership
from problems.models import ActionStatus, Problem, ProblemCategory, Stage, StageTransition, TransitionKind
from problems.models.problems import STAGE_ORDER
from problems.services.stage_intervals import stage_intervals_rebuild
from tests.partnerships.factories import NeighbourhoodFactory
from tests.partnerships.factories_partnerships import make_partnership
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ObjectiveFactory, ResponseActionFactory
from tests.problems.factories_sharing import share

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)
UTC = datetime.UTC


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def report_problem(world: Any, *, opened: datetime.date, **fields: Any) -> Problem:
    """A problem of the force, owned by the officer persona, logged at noon UTC on `opened`."""
    fields.setdefault("owner", world.users["officer"])
    problem = ProblemFactory(force=world.force, opened_on=opened, **fields)
    Problem.objects.filter(pk=problem.pk).update(created_at=noon(opened))
    return problem


def moves(problem: Problem, *days: datetime.date) -> None:
    """Transitions along SARA from scanning, one at noon UTC on each of `days`."""
    for index, day in enumerate(days):
        transition = StageTransition.objects.create(
            problem=problem,
            kind=TransitionKind.ADVANCE,
            from_stage=STAGE_ORDER[index],
            to_stage=STAGE_ORDER[index + 1],
            by=problem.owner,
        )
        StageTransition.objects.filter(pk=transition.pk).update(at=noon(day))
    # The stays the stage services would have written with these moves (made here with past times).
    stage_intervals_rebuild(problem_ids=[problem.pk])


def done_action(problem: Problem, organisation: Any, on: datetime.date, **fields: Any) -> Any:
    return ResponseActionFactory(
        problem=problem,
        responsible_organisation=organisation,
        status=fields.pop("status", ActionStatus.DONE),
        completed_at=noon(on),
        **fields,
    )


@dataclass
class ImpactWorld:
    eastgate: Neighbourhood
    westfield: Neighbourhood
    partnership: Partnership
    problems: dict[str, Problem] = field(default_factory=dict)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def impact_world(world: Any) -> ImpactWorld:
    partnership = make_partnership(members=[world.force, world.partner], name="Eastgate Community Safety Partnership")
    eastgate = NeighbourhoodFactory(name="Eastgate", slug="eastgate", organisation=world.force, partnership=partnership)
    westfield = NeighbourhoodFactory(name="Westfield", slug="westfield", organisation=world.force)
    asb = ProblemCategory.objects.get(code="asb")
    drugs = ProblemCategory.objects.get(code="drugs")
    today = timezone.localdate()
    p: dict[str, Problem] = {}
    p["P1"] = report_problem(
        world, opened=d(2026, 2, 1), category=asb, stage=Stage.CLOSED, closed_at=noon(d(2026, 5, 10))
    )
    p["P2"] = report_problem(world, opened=d(2026, 3, 1), category=asb, stage=Stage.RESPONSE)
    p["P3"] = report_problem(
        world,
        opened=d(2026, 4, 1),
        category=drugs,
        stage=Stage.ANALYSIS,
        next_review_date=today - datetime.timedelta(days=3),
    )
    p["P4"] = report_problem(
        world, opened=d(2025, 10, 1), category=asb, stage=Stage.CLOSED, closed_at=noon(d(2026, 2, 15))
    )
    p["P5"] = report_problem(world, opened=d(2026, 3, 15), category=asb, neighbourhood="Westfield")
    p["P6"] = report_problem(
        world, opened=d(2026, 8, 1), category=asb, next_review_date=today - datetime.timedelta(days=1)
    )
    p["P7"] = report_problem(world, opened=d(2026, 3, 10), category=asb, restricted=True)
    p["P8"] = report_problem(world, opened=d(2026, 5, 5), category=drugs, neighbourhood=eastgate)
    moves(p["P1"], d(2026, 2, 11), d(2026, 2, 15), d(2026, 4, 15), d(2026, 5, 10))
    moves(p["P2"], d(2026, 3, 7), d(2026, 3, 9))
    moves(p["P3"], d(2026, 4, 21))
    moves(p["P4"], d(2025, 10, 5), d(2026, 1, 10))
    ObjectiveFactory(problem=p["P1"], target_date=d(2026, 4, 30), met=True)
    ObjectiveFactory(problem=p["P2"], target_date=d(2026, 5, 1), met=False)
    ObjectiveFactory(problem=p["P2"], target_date=d(2026, 6, 1), met=None)
    ObjectiveFactory(problem=p["P3"], target_date=d(2026, 8, 1), met=True)
    done_action(p["P1"], world.partner, d(2026, 3, 1))
    done_action(p["P1"], world.force, d(2026, 3, 5))
    done_action(p["P2"], world.partner, d(2026, 4, 1))
    done_action(p["P2"], world.partner, d(2026, 4, 2), status=ActionStatus.PLANNED)
    done_action(p["P5"], world.partner, d(2026, 3, 1))
    done_action(p["P4"], world.force, d(2025, 12, 1))
    share(world, p["P1"])
    share(world, p["P2"])
    return ImpactWorld(eastgate=eastgate, westfield=westfield, partnership=partnership, problems=p)


def report_params(
    area: Neighbourhood | Partnership, start: datetime.date = START, end: datetime.date = END
) -> dict[str, str]:
    kind = "neighbourhood" if isinstance(area, Neighbourhood) else "partnership"
    return {"start": start.isoformat(), "end": end.isoformat(), "area": f"{kind}-{area.pk}"}
