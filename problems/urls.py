"""URLs of the problems app: each concept's view module lists its own."""

from __future__ import annotations

from problems.views import (
    contributions,
    decisions,
    following,
    leads,
    maps,
    page,
    problems,
    retention,
    sara,
    sharing,
)

urlpatterns = [
    *problems.urlpatterns,
    *page.urlpatterns,
    *sara.urlpatterns,
    *decisions.urlpatterns,
    *sharing.urlpatterns,
    *contributions.urlpatterns,
    *leads.urlpatterns,
    *following.urlpatterns,
    *retention.urlpatterns,
    *maps.urlpatterns,
]
