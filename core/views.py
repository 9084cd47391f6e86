"""Views of the shared kernel: the health check and the error pages (which reveal nothing)."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import DATABASE_CONNECTION_LOST, database_connection_lost, health_report

log = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Services and access helpers raise PermissionDenied with a message constant that says why
    # (ownership, a read-only share, ...); without one the page falls back to the role.
    reason = str(exception or "").strip()
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    from django.template import loader

    if database_connection_lost(sys.exc_info()[1]):
        # The connection dropped under this request (a database restart or failover, a terminated
        # backend). Django closes the broken connection when the request finishes, and the next
        # request opens a new one (CONN_HEALTH_CHECKS), so a retry works: say so, with 503.
        log.warning("The database connection was lost during %s %s", request.method, request.path)
        page = loader.get_template("503_database.html").render({"message": DATABASE_CONNECTION_LOST})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
