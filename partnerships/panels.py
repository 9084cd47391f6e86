"""Panels that later apps add to a partnership's page, without partnerships importing them
(DESIGN.md section 3: dependencies run one way; problems adds the tasking meetings' attendance,
evaluation the partnership's health over time). An app registers a panel from its
AppConfig.ready():

    register_partnership_panel("problems/_partnership_attendance_panel.html", attendance_context)

The context function is called with (partnership=, user=) and returns the panel template's
context, or None to show nothing (for example to a user who may not see it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class PartnershipPanel:
    template_name: str
    context_fn: ContextFunction


_PANELS: list[PartnershipPanel] = []


def register_partnership_panel(template_name: str, context_fn: ContextFunction) -> None:
    """Add a panel (idempotent by template)."""
    if any(panel.template_name == template_name for panel in _PANELS):
        return
    _PANELS.append(PartnershipPanel(template_name=template_name, context_fn=context_fn))


def partnership_panels(*, partnership: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
    """Each registered panel's template and context, for the panels that show something."""
    shown = []
    for panel in _PANELS:
        context = panel.context_fn(partnership=partnership, user=user)
        if context is not None:
            shown.append((panel.template_name, context))
    return shown
