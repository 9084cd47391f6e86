"""URLs of the partnerships app: each concept's view module lists its own."""

from __future__ import annotations

from partnerships.views import agreements, contacts, data_sources, organisations, partnerships, stakeholders

urlpatterns = [
    *organisations.urlpatterns,
    *contacts.urlpatterns,
    *partnerships.urlpatterns,
    *stakeholders.urlpatterns,
    *data_sources.urlpatterns,
    *agreements.urlpatterns,
]
