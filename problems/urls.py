"""URLs of the problems app: each concept's view module lists its own."""

from __future__ import annotations

from problems.views import contributions, decisions, following, problems, sara, sharing

urlpatterns = [
    *problems.urlpatterns,
    *sara.urlpatterns,
    *decisions.urlpatterns,
    *sharing.urlpatterns,
    *contributions.urlpatterns,
    *following.urlpatterns,
]
