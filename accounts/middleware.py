"""Session limits and the second-factor requirement, applied to every request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from core.compiled import CompiledGet

SESSION_STARTED_KEY = "cg_started_at"
SESSION_LAST_SEEN_KEY = "cg_last_seen_at"
# Write the last-seen time at most this often, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 60

SIGNED_OUT_IDLE = "You were signed out because you were inactive for 30 minutes. Sign in again to continue."
SIGNED_OUT_ABSOLUTE = "You were signed out because you had been signed in for 12 hours. Sign in again to continue."


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    """Idle limit (30 minutes) and absolute limit (12 hours) on a signed-in session, each ending
    with a message that says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            reason = None
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                reason = SIGNED_OUT_ABSOLUTE
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                reason = SIGNED_OUT_IDLE
            if reason:
                logout(request)
                messages.warning(request, reason)
                return _login_redirect(request)
            request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or SESSION_LAST_SEEN_KEY not in request.session:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


def session_mark_started(request: HttpRequest, at: datetime | None = None) -> None:
    stamp = (at or timezone.now()).timestamp()
    request.session[SESSION_STARTED_KEY] = stamp
    request.session[SESSION_LAST_SEEN_KEY] = stamp


def user_is_verified(user: Any) -> bool:
    """Whether the user passed the second factor in this session (set by django-otp's middleware)."""
    return getattr(user, "otp_device", None) is not None


# One compiled read per kind of device (authenticator app, backup codes).
_DEVICE_READS: dict[type[Device], CompiledGet[Device]] = {}


def device_from_persistent_id(persistent_id: str) -> Device | None:
    """The device a session was verified with, as django-otp's Device.from_persistent_id finds
    it ("app_label.model_name/id"; None for anything else), by a query compiled once."""
    try:
        model_label, device_id = persistent_id.rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        device_cls = apps.get_model(app_label, model_name)
        pk = int(device_id)
    except (ValueError, LookupError):
        return None
    if not issubclass(device_cls, Device):
        return None
    read = _DEVICE_READS.get(device_cls)
    if read is None:
        read = _DEVICE_READS[device_cls] = CompiledGet(lambda pk: device_cls.objects.filter(id=pk))
    return read.get(pk)


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (request.user.otp_device: the device this session was verified
    with, still the user's and confirmed, read on every request), reading the device with a query
    compiled once instead of on each request (core.compiled)."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        return device_from_persistent_id(self._normalize_persistent_id(persistent_id))


def second_factor_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that a signed-in user may reach before passing the second factor (the
    verification and enrolment pages, sign-out)."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class RequireSecondFactorMiddleware:
    """Every page but sign-in and enrolment needs a verified second factor (django-otp),
    the admin site included. Runs after LoginRequiredMiddleware, so anonymous users have
    already been sent to sign in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user_is_verified(user):
            return None
        if getattr(view_func, "second_factor_exempt", False) or not getattr(view_func, "login_required", True):
            return None
        from accounts.services import user_has_second_factor

        target = "otp-verify" if user_has_second_factor(user) else "otp-enrol"
        return HttpResponseRedirect(f"{resolve_url(target)}?{urlencode({'next': request.get_full_path()})}")
