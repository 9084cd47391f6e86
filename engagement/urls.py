"""URLs of the engagement app: each concept's view module lists its own."""

from __future__ import annotations

from engagement.views import coverage, events, maps, plans, priorities, public

urlpatterns = [
    *coverage.urlpatterns,
    *events.urlpatterns,
    *priorities.urlpatterns,
    *plans.urlpatterns,
    *public.urlpatterns,
    *maps.urlpatterns,
]
