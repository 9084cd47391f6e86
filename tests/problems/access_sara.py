"""Access matrix entries for the problems app: sara (the problem page, the SARA part forms and the
stage moves). Joined into tests/access_matrix.py.

The problem's owner is the officer persona; the force's supervisor sees and changes every problem
of the force; the analyst sees it but may not change it (403); partners, the unrelated partner and
administrators get 404. Signing off is for supervisors only (the owning officer gets 403)."""

from __future__ import annotations

from typing import Any

from problems.models import Stage
from tests.access_matrix import REDIRECT, Entry, signed_in_page
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import (
    ControllerFactory,
    HypothesisFactory,
    ObjectiveFactory,
    ResponseActionFactory,
    problem_at,
)

OUTSIDERS = {"partner_member": 404, "partner_lead": 404, "unrelated_partner": 404, "administrator": 404}
VISIBLE_TO_FORCE = signed_in_page(**OUTSIDERS)
CHANGE_PAGE = signed_in_page(**OUTSIDERS, analyst=403)
CHANGE_POST = signed_in_page(**OUTSIDERS, analyst=403, officer=REDIRECT, supervisor=REDIRECT)
SIGN_OFF_POST = signed_in_page(**OUTSIDERS, analyst=403, officer=403, supervisor=REDIRECT)


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": ProblemFactory(force=world.force, owner=world.users["officer"]).pk}


def _at(stage: str, *, ready: bool = True) -> Any:
    def build(world: Any) -> dict[str, Any]:
        problem = problem_at(stage, ready=ready, force=world.force, owner=world.users["officer"])
        return {"pk": problem.pk}

    return build


def _child(factory: Any, stage: str) -> Any:
    def build(world: Any) -> dict[str, Any]:
        problem = problem_at(stage, ready=False, force=world.force, owner=world.users["officer"])
        return {"pk": factory(problem=problem).pk}

    return build


ENTRIES: list[Entry] = [
    Entry("problem-detail", VISIBLE_TO_FORCE, kwargs=_problem),
    # The scanning content is complete, so the move succeeds and redirects to the problem page.
    Entry("problem-advance", CHANGE_POST, kwargs=_at(Stage.SCANNING), method="post"),
    Entry("problem-sign-off", SIGN_OFF_POST, kwargs=_at(Stage.ASSESSMENT), method="post", data={"confirm": "on"}),
    Entry("problem-reopen", CHANGE_PAGE, kwargs=_at(Stage.ANALYSIS, ready=False)),
    Entry("problem-scanning", CHANGE_PAGE, kwargs=_problem),
    Entry("problem-analysis", CHANGE_PAGE, kwargs=_at(Stage.ANALYSIS, ready=False)),
    Entry("problem-assessment", CHANGE_PAGE, kwargs=_at(Stage.ASSESSMENT, ready=False)),
    Entry("problem-aims", CHANGE_PAGE, kwargs=_problem),
    Entry("controller-create", CHANGE_PAGE, kwargs=_at(Stage.ANALYSIS, ready=False)),
    Entry("controller-edit", CHANGE_PAGE, kwargs=_child(ControllerFactory, Stage.ANALYSIS)),
    Entry("controller-delete", CHANGE_POST, kwargs=_child(ControllerFactory, Stage.ANALYSIS), method="post"),
    Entry("hypothesis-create", CHANGE_PAGE, kwargs=_at(Stage.ANALYSIS, ready=False)),
    Entry("hypothesis-edit", CHANGE_PAGE, kwargs=_child(HypothesisFactory, Stage.ANALYSIS)),
    Entry("hypothesis-delete", CHANGE_POST, kwargs=_child(HypothesisFactory, Stage.ANALYSIS), method="post"),
    Entry("objective-create", CHANGE_PAGE, kwargs=_at(Stage.ANALYSIS, ready=False)),
    Entry("objective-edit", CHANGE_PAGE, kwargs=_child(ObjectiveFactory, Stage.ANALYSIS)),
    Entry("objective-delete", CHANGE_POST, kwargs=_child(ObjectiveFactory, Stage.ANALYSIS), method="post"),
    Entry("action-create", CHANGE_PAGE, kwargs=_at(Stage.RESPONSE, ready=False)),
    Entry("action-edit", CHANGE_PAGE, kwargs=_child(ResponseActionFactory, Stage.RESPONSE)),
]
