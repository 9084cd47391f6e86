"""SARA content for tests: a problem filled in as far as each gate needs, built directly as rows
(tests of the services themselves call the services)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from problems.models import (
    ActionStatus,
    Controller,
    Hypothesis,
    InterventionKind,
    Objective,
    Problem,
    ResponseAction,
    Stage,
)
from problems.models.problems import STAGE_ORDER
from tests.problems.factories import ProblemFactory

SCANNING_CONTENT = {
    "problem_statement": "Street drinking and ASB around the Eastgate parade every evening.",
    "cheers_community": "Residents above the shops and shoppers.",
    "cheers_harm": "Intimidation, litter, noise late at night.",
    "cheers_expectation": "Residents ask for police action at every PACT meeting.",
    "cheers_events": "34 ASB calls in three months.",
    "cheers_recurring": "Every evening, worst on Fridays.",
    "cheers_similarity": "Same group, same place, same off-licence.",
    "evidence_sources": "Calls for service, PACT minutes.",
}
ANALYSIS_CONTENT = {
    "pat_offender": "A group of six regulars, two of them homeless.",
    "pat_victim": "Shop staff and residents of the flats.",
    "pat_location": "The parade forecourt, poorly lit, with benches.",
    "data_sources_used": "Police calls, council ASB reports.",
}


class ControllerFactory(factory.django.DjangoModelFactory[Controller]):
    class Meta:
        model = Controller

    problem = factory.SubFactory(ProblemFactory)
    kind = "manager"
    who = factory.Sequence(lambda n: f"Parade landlord {n}")
    engaged = True


class HypothesisFactory(factory.django.DjangoModelFactory[Hypothesis]):
    class Meta:
        model = Hypothesis

    problem = factory.SubFactory(ProblemFactory)
    statement = factory.Sequence(lambda n: f"Cheap single cans draw drinkers to the parade ({n}).")


class ObjectiveFactory(factory.django.DjangoModelFactory[Objective]):
    class Meta:
        model = Objective

    problem = factory.SubFactory(ProblemFactory)
    description = factory.Sequence(lambda n: f"Reduce ASB calls at the parade ({n})")
    measure = "ASB calls to the police about the parade"
    baseline = "34 calls a quarter"
    target = "Fewer than 15 calls a quarter"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class ResponseActionFactory(factory.django.DjangoModelFactory[ResponseAction]):
    class Meta:
        model = ResponseAction

    problem = factory.SubFactory(ProblemFactory)
    description = factory.Sequence(lambda n: f"Improve the lighting on the forecourt ({n})")
    intervention_kind = InterventionKind.SITUATIONAL
    responsible_organisation = factory.LazyAttribute(lambda o: o.problem.owning_organisation)
    responsible_person = "PC Patel"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = ActionStatus.PLANNED


def fill_scanning(problem: Problem) -> None:
    for name, value in SCANNING_CONTENT.items():
        setattr(problem, name, value)
    problem.save()


def fill_analysis(problem: Problem) -> None:
    for name, value in ANALYSIS_CONTENT.items():
        setattr(problem, name, value)
    problem.save()
    ControllerFactory(problem=problem)
    HypothesisFactory(problem=problem)
    ObjectiveFactory(problem=problem)


def fill_response(problem: Problem) -> None:
    ResponseActionFactory(problem=problem, status=ActionStatus.DONE, completed_at=timezone.now())


def fill_assessment(problem: Problem, *, signed_off_by: Any = None) -> None:
    problem.objectives.update(result="12 calls in the last quarter", met=True)
    problem.lessons_learned = "Lighting and licensing together worked; enforcement alone did not."
    problem.process_evaluation = "Delivered as planned, a month late."
    if signed_off_by is not None:
        problem.signed_off_by = signed_off_by
        problem.signed_off_at = timezone.now()
    problem.save()


FILLERS = {
    Stage.SCANNING: fill_scanning,
    Stage.ANALYSIS: fill_analysis,
    Stage.RESPONSE: fill_response,
}


def problem_at(stage: str, *, ready: bool = True, signed_off_by: Any = None, **kwargs: Any) -> Problem:
    """A problem in `stage` with the content of every earlier stage; with `ready`, also the content
    its own gate needs (for assessment, give `signed_off_by` to include the sign-off)."""
    problem = ProblemFactory(stage=stage, **kwargs)
    index = STAGE_ORDER.index(stage)
    for filled_stage in STAGE_ORDER[: index + (1 if ready else 0)]:
        if filled_stage in FILLERS:
            FILLERS[Stage(filled_stage)](problem)
        elif filled_stage == Stage.ASSESSMENT:
            fill_assessment(problem, signed_off_by=signed_off_by)
    if stage == Stage.CLOSED:
        problem.closed_at = timezone.now()
        problem.save()
    return problem
