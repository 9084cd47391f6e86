"""URLs of the engagement app: each concept's view module lists its own."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
