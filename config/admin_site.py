"""The admin site: administrators only, behind the same sign-in and second factor as every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, reverse
from django_otp.admin import OTPAdminSite


def _use_project_sign_in(patterns: list[Any]) -> None:
    # LoginRequiredMiddleware sends anonymous users to a view's `login_url`; the admin sets its own
    # sign-in form there, which would bypass our second-factor flow. One sign-in page for all.
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _use_project_sign_in(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "login_url"):
            pattern.callback.login_url = settings.LOGIN_URL


# The admin index's sections in the words administrators use, not the apps' internal labels
# ("AXES", "CORE"); a section not named here keeps its app's name.
SECTION_NAMES = {
    "auth": "Organisation groups",
    "axes": "Sign-in lockouts",
    "core": "Audit log and reminders",
    "partnerships": "Organisations and reference lists",
    "accounts": "Users",
    "problems": "Problem reference lists",
    "otp_totp": "Second-factor devices",
    "otp_static": "Second-factor backup codes",
    "api": "API tokens",
}


class CommonGroundAdminSite(OTPAdminSite):
    """OTPAdminSite requires a verified device (defence in depth beside
    accounts.middleware.RequireSecondFactorMiddleware)."""

    site_header = "Common Ground administration"
    site_title = "Common Ground administration"
    index_title = "Organisations, users and reference data"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = SECTION_NAMES.get(app["app_label"], app["name"])
        return app_list

    def get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super().get_urls()
        _use_project_sign_in(urls)
        return urls

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        wrapped = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Signed-in users who are not administrators get 404, as outsiders do everywhere.
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return wrapped(request, *args, **kwargs)

        return update_wrapper(guarded, wrapped)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), settings.LOGIN_URL)
