"""Pages that draw on every app: the home page, whose panels (config.home_panels) come from
problems, engagement, evaluation, partnerships and core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role, User
from config.home_panels import administrator, analyst, data_protection, partners, police

PANELS: dict[str, Callable[[User], dict[str, Any]]] = {
    Role.OFFICER: police.officer_panels,
    Role.SUPERVISOR: police.supervisor_panels,
    Role.ANALYST: analyst.analyst_panels,
    Role.PARTNER_MEMBER: partners.partner_member_panels,
    Role.PARTNER_LEAD: partners.partner_lead_panels,
    Role.ADMINISTRATOR: administrator.administrator_panels,
    Role.DATA_PROTECTION_OFFICER: data_protection.data_protection_officer_panels,
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"organisation": user.organisation, **PANELS[user.role](user)}
    return render(request, f"home/{user.role}.html", context)
