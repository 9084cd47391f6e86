"""Every URL of the project. Each named pattern has an entry in tests/access_matrix.py."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config import views
from core import views as core_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("partnerships.urls")),
    path("", include("problems.urls")),
    path("", include("engagement.urls")),
    path("", include("evaluation.urls")),
    path("", include("dataprotection.urls")),
    path("", include("search.urls")),
    # The REST API (/api/v1/) and the account's API tokens page.
    path("", include("api.urls")),
    path("", include("api.web_urls")),
    # The admin site (config.admin.CommonGroundAdminSite) requires a verified second factor too.
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
