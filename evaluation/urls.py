"""URLs of the evaluation app: each concept's view module lists its own (surveys, crime data,
impact)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
