"""Panels that later apps add to a problem's pages, without problems importing them (DESIGN.md
section 3: dependencies run one way). An app registers a panel from its AppConfig.ready():

    register_stage_panel("assessment", "evaluation/assessment_panel.html", assessment_panel_context)
    register_stage_panel("summary", "evaluation/assessment_summary.html", assessment_summary_context)

`place` is where the panel shows: a stage name ("assessment") for the problem page's section of
that stage, or "summary" for the printable summary. The context function is called with
(problem=, user=) and returns the template's context, or None to show nothing (for example to
a user who may not see it). It runs its own selectors; the page needs no knowledge of them.

A panel that reads one-to-one rows of the problem names them (`select_related`): the problem
page's selector (problems.selectors.page) fetches them with the problem, in its one query, and the
panel reads them from the problem instead of asking again. Its context is worked out by that
selector too (`stage_panel_contexts`), so the template tag only renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class StagePanel:
    place: str
    template_name: str
    context_fn: ContextFunction
    select_related: tuple[str, ...] = ()


@dataclass(frozen=True)
class PanelContext:
    """A panel ready to render: its template and the context its function returned."""

    template_name: str
    context: dict[str, Any]


_PANELS: list[StagePanel] = []


def register_stage_panel(
    place: str, template_name: str, context_fn: ContextFunction, *, select_related: tuple[str, ...] = ()
) -> None:
    """Add a panel (idempotent: registering the same template twice for a place keeps one)."""
    if any(panel.place == place and panel.template_name == template_name for panel in _PANELS):
        return
    _PANELS.append(
        StagePanel(place=place, template_name=template_name, context_fn=context_fn, select_related=select_related)
    )


def panels_for(place: str) -> list[StagePanel]:
    return [panel for panel in _PANELS if panel.place == place]


def panel_select_related(place: str) -> tuple[str, ...]:
    """The one-to-one relations of the problem the panels of `place` read."""
    return tuple(dict.fromkeys(name for panel in panels_for(place) for name in panel.select_related))


def stage_panel_contexts(place: str, *, problem: Any, user: Any) -> list[PanelContext]:
    """The panels of `place` that show for this user, each with its context (the queries run
    here, in the page's selector or view, never in the template)."""
    found = []
    for panel in panels_for(place):
        context = panel.context_fn(problem=problem, user=user)
        if context is not None:
            found.append(PanelContext(template_name=panel.template_name, context=context))
    return found
