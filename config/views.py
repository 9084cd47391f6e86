"""Pages that draw on every app. `config` wires the apps together, so the home page, which will
show panels from problems, engagement and evaluation, lives here rather than in `core`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, f"home/{user.role}.html", {"organisation": user.organisation})
