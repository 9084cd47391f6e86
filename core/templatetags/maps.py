"""The map's tile layer for every Leaflet map (static/js/maps.js reads it from data- attributes):
the settings' MAP_TILE_URL and attribution, empty for a plain background."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def map_tile_attributes() -> str:
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-tile-max-zoom="{}"',
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
        settings.MAP_TILE_MAX_ZOOM,
    )
