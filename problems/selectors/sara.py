"""Reads of a problem's SARA content: the problem page's queryset, the child rows through the
problem's access helper, and the stage gates (what a problem still needs before it moves on).

The gates use `.all()` on controllers, hypotheses, objectives and actions, so a problem fetched
with `problem_detail_queryset()` answers them without further queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Prefetch, QuerySet

from core.access import get_visible_or_404
from problems.models import (
    ActionStatus,
    Controller,
    Hypothesis,
    Objective,
    Problem,
    ResponseAction,
    Stage,
    StageTransition,
)
from problems.models.problems import STAGE_ORDER
from problems.selectors.access import problem_get_for_user

# Said in place of a withheld text (an action's in the stage gate's checklist here; every other
# part's through problems.selectors.disclosure, which imports it from here: this module cannot
# import that one, which reads what this one defines).
WITHHELD_TEXT = "Withheld: not covered by the agreement"

if TYPE_CHECKING:
    from accounts.models import User

# The checklist of each gate, one plain-English item per missing thing (shown on the problem page
# and in the error summary of a refused move; tests assert them).
MISSING_PROBLEM_STATEMENT = "Problem statement: say what the problem is, in one or two sentences."
MISSING_CHEERS = "CHEERS test: answer {question}"
CHEERS_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("cheers_community", "Community: who in the community is affected?"),
    ("cheers_harm", "Harm: what harm does it cause?"),
    ("cheers_expectation", "Expectation: do people expect the police to act?"),
    ("cheers_events", "Events: what events or incidents make it up?"),
    ("cheers_recurring", "Recurring: does it keep happening?"),
    ("cheers_similarity", "Similarity: what do the events have in common?"),
)
MISSING_PAT_OFFENDER = "Problem analysis triangle: say what is known about the offender."
MISSING_PAT_VICTIM = "Problem analysis triangle: say what is known about the victim or target."
MISSING_PAT_LOCATION = "Problem analysis triangle: say what is known about the location."
MISSING_CONTROLLER = "Controllers: add at least one handler, guardian or manager."
MISSING_HYPOTHESIS = "Hypotheses: add at least one working hypothesis."
MISSING_OBJECTIVE_WITH_BASELINE = "Objectives: add at least one objective with a baseline."
MISSING_ACTION = "Response actions: add at least one action."
MISSING_ACTION_FINISHED = 'Response action "{action}": mark it done or cancelled (it is {status}).'
MISSING_OBJECTIVE_RESULT = 'Objective "{objective}": record its result.'
MISSING_LESSONS_LEARNED = "Lessons learned: say what was learned."
MISSING_SIGN_OFF = "Sign-off: a supervisor must sign off the assessment."

FINISHED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)
SHORT_TEXT = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_TEXT else f"{text[: SHORT_TEXT - 1].rstrip()}…"


def _filled(value: str) -> bool:
    return bool(value and value.strip())


def next_stage(problem: Problem) -> str | None:
    index = STAGE_ORDER.index(problem.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def earlier_stages(problem: Problem) -> list[str]:
    return list(STAGE_ORDER[: STAGE_ORDER.index(problem.stage)])


def stage_reached(problem: Problem, stage: str) -> bool:
    return STAGE_ORDER.index(problem.stage) >= STAGE_ORDER.index(stage)


# --- the gates ---------------------------------------------------------------------------------


def _missing_for_analysis(problem: Problem) -> list[str]:
    missing = [] if _filled(problem.problem_statement) else [MISSING_PROBLEM_STATEMENT]
    missing += [
        MISSING_CHEERS.format(question=question)
        for name, question in CHEERS_QUESTIONS
        if not _filled(getattr(problem, name))
    ]
    return missing


def _missing_for_response(problem: Problem) -> list[str]:
    missing = []
    if not _filled(problem.pat_offender):
        missing.append(MISSING_PAT_OFFENDER)
    if not _filled(problem.pat_victim):
        missing.append(MISSING_PAT_VICTIM)
    if not _filled(problem.pat_location):
        missing.append(MISSING_PAT_LOCATION)
    if not list(problem.controllers.all()):
        missing.append(MISSING_CONTROLLER)
    if not list(problem.hypotheses.all()):
        missing.append(MISSING_HYPOTHESIS)
    if not any(_filled(objective.baseline) for objective in problem.objectives.all()):
        missing.append(MISSING_OBJECTIVE_WITH_BASELINE)
    return missing


def _missing_for_assessment(problem: Problem, withheld: Callable[[ResponseAction], bool] | None = None) -> list[str]:
    actions = list(problem.actions.all())
    if not actions:
        return [MISSING_ACTION]
    return [
        MISSING_ACTION_FINISHED.format(
            # An action whose text the viewer may not read is named by the withheld note instead.
            action=WITHHELD_TEXT if withheld is not None and withheld(action) else _short(action.description),
            status=action.get_status_display().lower(),
        )
        for action in actions
        if action.status not in FINISHED_ACTION_STATUSES
    ]


def _missing_for_closed(problem: Problem) -> list[str]:
    missing = [
        MISSING_OBJECTIVE_RESULT.format(objective=_short(objective.description))
        for objective in problem.objectives.all()
        if not _filled(objective.result)
    ]
    if not _filled(problem.lessons_learned):
        missing.append(MISSING_LESSONS_LEARNED)
    if problem.signed_off_at is None:
        missing.append(MISSING_SIGN_OFF)
    return missing


GATES = {
    Stage.ANALYSIS: _missing_for_analysis,
    Stage.RESPONSE: _missing_for_response,
    Stage.ASSESSMENT: _missing_for_assessment,
    Stage.CLOSED: _missing_for_closed,
}


def problem_missing_for_next_stage(
    problem: Problem, withheld: Callable[[ResponseAction], bool] | None = None
) -> list[str]:
    """Everything the problem still needs before it may move to its next stage, each item named;
    empty when it may move on (and for a closed problem, which has no next stage). `withheld`
    tells which actions' text the viewer may not read (problems.selectors.disclosure)."""
    following = next_stage(problem)
    if following is None:
        return []
    if following == Stage.ASSESSMENT:
        return _missing_for_assessment(problem, withheld)
    return GATES[Stage(following)](problem)


# --- the problem page --------------------------------------------------------------------------


@dataclass
class StageTask:
    """One SARA stage on the problem page's task list."""

    stage: str
    label: str
    status: str  # "complete", "in_progress" or "not_started"
    done: list[str] = field(default_factory=list)
    # For the current stage: what the gate to the next stage still needs.
    missing: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {"complete": "Complete", "in_progress": "In progress", "not_started": "Not started"}[self.status]


def _count(items: list[Any], singular: str, plural: str) -> str:
    return f"{len(items)} {singular if len(items) == 1 else plural}"


def _done_scanning(problem: Problem) -> list[str]:
    done = ["Problem statement written"] if _filled(problem.problem_statement) else []
    answered = [q.split(":")[0] for name, q in CHEERS_QUESTIONS if _filled(getattr(problem, name))]
    if answered:
        done.append(f"CHEERS answers: {len(answered)} of 6 ({', '.join(answered)})")
    if _filled(problem.evidence_sources):
        done.append("Evidence sources recorded")
    return done


def _done_analysis(problem: Problem) -> list[str]:
    sides = [
        side
        for side, value in (
            ("offender", problem.pat_offender),
            ("victim or target", problem.pat_victim),
            ("location", problem.pat_location),
        )
        if _filled(value)
    ]
    done = [f"Problem analysis triangle: {', '.join(sides)}"] if sides else []
    controllers = list(problem.controllers.all())
    if controllers:
        engaged = sum(1 for c in controllers if c.engaged)
        done.append(f"{_count(controllers, 'controller', 'controllers')} ({engaged} engaged)")
    hypotheses = list(problem.hypotheses.all())
    if hypotheses:
        done.append(_count(hypotheses, "hypothesis", "hypotheses"))
    objectives = list(problem.objectives.all())
    if objectives:
        with_baseline = sum(1 for o in objectives if _filled(o.baseline))
        done.append(f"{_count(objectives, 'objective', 'objectives')} ({with_baseline} with a baseline)")
    if _filled(problem.data_sources_used):
        done.append("Data sources recorded")
    return done


def _done_response(problem: Problem) -> list[str]:
    actions = list(problem.actions.all())
    if not actions:
        return []
    finished = sum(1 for a in actions if a.status in FINISHED_ACTION_STATUSES)
    return [f"{_count(actions, 'action', 'actions')} ({finished} done or cancelled)"]


def _done_assessment(problem: Problem) -> list[str]:
    objectives = list(problem.objectives.all())
    with_result = sum(1 for o in objectives if _filled(o.result))
    done = [f"Results recorded for {with_result} of {len(objectives)} objectives"] if with_result else []
    for label, value in (
        ("Process evaluation", problem.process_evaluation),
        ("Displacement", problem.displacement),
        ("Diffusion of benefits", problem.diffusion_of_benefits),
        ("Lessons learned", problem.lessons_learned),
    ):
        if _filled(value):
            done.append(f"{label} recorded")
    if problem.signed_off_at is not None and problem.signed_off_by is not None:
        done.append(f"Signed off by {problem.signed_off_by.full_name} on {problem.signed_off_at:%d %B %Y}")
    return done


DONE = {
    Stage.SCANNING: _done_scanning,
    Stage.ANALYSIS: _done_analysis,
    Stage.RESPONSE: _done_response,
    Stage.ASSESSMENT: _done_assessment,
}


def problem_stage_tasks(problem: Problem, withheld: Callable[[ResponseAction], bool] | None = None) -> list[StageTask]:
    """The SARA stages as a task list: each complete, in progress or not started, with what is
    done; the current stage also lists what its gate still needs."""
    current = STAGE_ORDER.index(problem.stage)
    tasks = []
    for index, stage in enumerate(STAGE_ORDER[:-1]):
        if index < current:
            status = "complete"
        elif index == current:
            status = "in_progress"
        else:
            status = "not_started"
        task = StageTask(stage=stage, label=Stage(stage).label, status=status, done=DONE[Stage(stage)](problem))
        if status == "in_progress":
            task.missing = problem_missing_for_next_stage(problem, withheld)
        tasks.append(task)
    return tasks


def problem_detail_queryset() -> QuerySet[Problem]:
    """The problem with everything its page shows, in a fixed number of queries."""
    return Problem.objects.select_related(
        "category", "owning_organisation", "lead_organisation", "owner", "created_by", "signed_off_by", "neighbourhood"
    ).prefetch_related(
        "demand_sources",
        "controllers",
        "hypotheses",
        "objectives",
        Prefetch(
            "actions",
            queryset=ResponseAction.objects.select_related("responsible_organisation", "responsible_user"),
        ),
        Prefetch("transitions", queryset=StageTransition.objects.select_related("by")),
    )


# --- child rows, through the problem's access helper -------------------------------------------


def _child_get_for_user[M: Model](
    model: type[M], *, user: User, pk: object, action: str, queryset: QuerySet[M] | None = None
) -> M:
    """A controller, hypothesis, objective or action if the user may `action` its problem: 404 for
    outsiders (whether or not it exists), 403 for those who see the problem but lack the right."""
    child = get_visible_or_404(queryset if queryset is not None else model._default_manager.all(), pk=pk)
    problem = problem_get_for_user(user=user, pk=child.problem_id, action=action)  # type: ignore[attr-defined]
    child.problem = problem  # type: ignore[attr-defined]
    return child


def controller_get_for_user(*, user: User, pk: object, action: str = "view") -> Controller:
    return _child_get_for_user(Controller, user=user, pk=pk, action=action)


def hypothesis_get_for_user(*, user: User, pk: object, action: str = "view") -> Hypothesis:
    return _child_get_for_user(Hypothesis, user=user, pk=pk, action=action)


def objective_get_for_user(*, user: User, pk: object, action: str = "view") -> Objective:
    return _child_get_for_user(Objective, user=user, pk=pk, action=action)


def action_get_for_user(*, user: User, pk: object, action: str = "view") -> ResponseAction:
    return _child_get_for_user(
        ResponseAction,
        user=user,
        pk=pk,
        action=action,
        queryset=ResponseAction.objects.select_related("responsible_organisation", "responsible_user"),
    )
