"""URLs of the problems app: each concept's view module lists its own."""

from __future__ import annotations

from problems.views import decisions, problems, sara

urlpatterns = [*problems.urlpatterns, *sara.urlpatterns, *decisions.urlpatterns]
