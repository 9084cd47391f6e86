"""Panels that later apps add to a problem's pages, without problems importing them (DESIGN.md
section 3: dependencies run one way). An app registers a panel from its AppConfig.ready():

    register_stage_panel("assessment", "evaluation/assessment_panel.html", assessment_panel_context)
    register_stage_panel("summary", "evaluation/assessment_summary.html", assessment_summary_context)

`place` is where the panel shows: a stage name ("assessment") for the problem page's section of
that stage, or "summary" for the printable summary. The context function is called with
(problem=, user=) and returns the template's context, or None to show nothing (for example to
a user who may not see it). It runs its own selectors; the page needs no knowledge of them."""

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


_PANELS: list[StagePanel] = []


def register_stage_panel(place: str, template_name: str, context_fn: ContextFunction) -> None:
    """Add a panel (idempotent: registering the same template twice for a place keeps one)."""
    if any(panel.place == place and panel.template_name == template_name for panel in _PANELS):
        return
    _PANELS.append(StagePanel(place=place, template_name=template_name, context_fn=context_fn))


def panels_for(place: str) -> list[StagePanel]:
    return [panel for panel in _PANELS if panel.place == place]
