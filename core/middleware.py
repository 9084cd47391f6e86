"""Middleware of the shared kernel: request-scoped context for the audit log, and no caching of
anything shown to a signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from core.audit import current_ip
from core.client_address import client_address


class AuditContextMiddleware:
    """Makes the client address available to audit_record for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user says `Cache-Control: no-store` (with Django's full
    never-cache set): pages, CSV and PDF exports, attachments, redirects, streaming responses alike.
    Case detail must not stay in the browser's cache (or its back-forward cache) for the next person
    at a shared computer, nor in any proxy on the way.

    Django's add_never_cache_headers rather than no-store alone: the same headers Django's
    never_cache sends on the sign-in and second-factor pages, `private` and `max-age=0` for caches
    that do not honour no-store, and it overrides any `public` or max-age a view may set. Static
    files never get here: whitenoise, above this in MIDDLEWARE, answers them with its own long-lived
    caching. Public pages to anonymous visitors (survey links, "You said, we did") keep theirs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request: HttpRequest) -> bool:
    """Whether the response goes to a signed-in user, judged after the view: the response to a
    sign-in carries its new session, and the one to a sign-out no longer shows case detail.

    A visitor who sent no session cookie and was not signed in by this request is anonymous, and
    is not looked up: that would load an empty session and add `Vary: Cookie` to public pages."""
    session = getattr(request, "session", None)
    if session is None or (settings.SESSION_COOKIE_NAME not in request.COOKIES and not session.modified):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
