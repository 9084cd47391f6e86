"""`{% stage_panels "assessment" problem request.user %}`: the panels other apps registered for a
place on a problem's pages (problems.panels), each rendered with its own context."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from problems.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def stage_panels(context: template.Context, place: str, problem: Any, user: Any) -> SafeString:
    parts = []
    for panel in panels_for(place):
        panel_context = panel.context_fn(problem=problem, user=user)
        if panel_context is None:
            continue
        request = context.get("request")
        parts.append(render_to_string(panel.template_name, panel_context, request=request))
    # Each part is a rendered template, escaped by its own rendering.
    return mark_safe("".join(parts))  # noqa: S308
