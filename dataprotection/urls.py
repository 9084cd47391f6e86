"""URLs of the data protection app: each view module lists its own."""

from __future__ import annotations

from dataprotection.views import audit_log, breaches, subject_access

urlpatterns = [
    *subject_access.urlpatterns,
    *audit_log.urlpatterns,
    *breaches.urlpatterns,
]
