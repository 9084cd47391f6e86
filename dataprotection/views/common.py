"""Pieces the data protection views share."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import User

PAGE_SIZE = 50


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def csv_response(name: str) -> HttpResponse:
    """An empty CSV download called `<name>-<today>.csv`, never cached (it holds personal data)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response
