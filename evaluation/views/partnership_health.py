"""View: a partnership's health over time (the health-check survey by round) with the action
plan drawn from the latest round."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from evaluation.selectors.partnership_health import (
    ACTION_THRESHOLD,
    health_items,
    partnership_for_health,
    partnership_health,
)


@require_GET
def partnership_health_view(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_for_health(user=request.user, pk=pk)  # type: ignore[arg-type]
    context = {
        "partnership": partnership,
        "health": partnership_health(partnership=partnership),
        "items": health_items(),
        "threshold": ACTION_THRESHOLD,
    }
    return render(request, "evaluation/partnership_health.html", context)


urlpatterns: list[URLPattern] = [
    path("partnerships/<int:pk>/health/", partnership_health_view, name="partnership-health"),
]
