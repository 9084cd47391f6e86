"""URLs of the problems app: each concept's view module lists its own."""

from __future__ import annotations

from problems.views import (
    contributions,
    decisions,
    following,
    leads,
    maps,
    meetings,
    page,
    problems,
    referrals,
    retention,
    sara,
    sharing,
    stakeholders,
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
    *referrals.urlpatterns,
    *meetings.urlpatterns,
    *stakeholders.urlpatterns,
]
