"""Pages that draw on every app. `config` wires the apps together, so the home page, which will
show panels from problems, engagement and evaluation, lives here rather than in `core`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from partnerships.selectors.organisations import organisation_list_without_active_spoc


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"organisation": user.organisation}
    if user.is_supervisor:
        # One query, whatever the number of partners; other roles' home pages query nothing here.
        context["organisations_without_spoc"] = list(organisation_list_without_active_spoc(user=user))
    return render(request, f"home/{user.role}.html", context)
