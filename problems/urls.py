"""URLs of the problems app: each concept's view module lists its own."""

from __future__ import annotations

from problems.views import contributions, decisions, following, leads, problems, sara, sharing

urlpatterns = [
    *problems.urlpatterns,
    *sara.urlpatterns,
    *decisions.urlpatterns,
    *sharing.urlpatterns,
    *contributions.urlpatterns,
    *leads.urlpatterns,
    *following.urlpatterns,
]
