"""`{% stage_panels panels %}`: the panels other apps registered for a place on a problem's pages
(problems.panels), each rendered with the context the page's selector or view worked out for it
(`stage_panel_contexts`). The tag only renders: it asks the database nothing."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from problems.panels import PanelContext

register = template.Library()


@register.simple_tag(takes_context=True)
def stage_panels(context: template.Context, panels: list[PanelContext]) -> SafeString:
    request = context.get("request")
    parts = [render_to_string(panel.template_name, panel.context, request=request) for panel in panels]
    # Each part is a rendered template, escaped by its own rendering.
    return mark_safe("".join(parts))  # noqa: S308
