"""URLs of the partnerships app: each concept's view module lists its own."""

from __future__ import annotations

from partnerships.views import agreements, contacts, organisations, partnerships

urlpatterns = [
    *organisations.urlpatterns,
    *contacts.urlpatterns,
    *partnerships.urlpatterns,
    *agreements.urlpatterns,
]
