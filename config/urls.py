"""Every URL of the project. Each named pattern has an entry in tests/access_matrix.py."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from config import views
from core import views as core_views

# The admin site requires a verified second factor too (defence in depth beside
# accounts.middleware.RequireSecondFactorMiddleware).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Common Ground administration"
admin.site.site_title = "Common Ground administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    # One sign-in page for everybody: the admin's own login form would bypass the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin-login-redirect"),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
