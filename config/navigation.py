"""Navigation by role, for the base layout. Each entry: label, URL name, roles that see it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.middleware import user_is_verified
from accounts.models import PARTNER_ROLES, POLICE_ROLES, Role
from evaluation.selectors.impact import IMPACT_REPORT_ROLES

ALL_ROLES = frozenset(Role)

NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("Home", "home", ALL_ROLES),
    ("Problems", "problem-list", POLICE_ROLES),
    ("Shared with us", "shared-with-us", PARTNER_ROLES),
    # Engagement log, priorities, coverage and safety plans (their pages link to one another).
    ("Engagement", "event-list", POLICE_ROLES | PARTNER_ROLES),
    ("Surveys", "survey-list", POLICE_ROLES | PARTNER_ROLES),
    # Officers (own area), supervisors, analysts; partner leads get their partnership's report.
    ("Impact report", "impact-report", IMPACT_REPORT_ROLES),
    # Analysts import police.uk crime data (the page links to the unit costs of crime).
    ("Crime data", "crime-import", frozenset({Role.ANALYST})),
    # Retention reviews of closed problems: the force's supervisors and data protection officers.
    ("Retention", "retention-list", frozenset({Role.SUPERVISOR, Role.DATA_PROTECTION_OFFICER})),
    ("Partners", "organisation-list", ALL_ROLES),
    ("Partnerships", "partnership-list", ALL_ROLES),
    ("Data sources", "data-source-list", ALL_ROLES),
    ("Agreements", "agreement-list", ALL_ROLES),
    ("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_is_verified(user):
        return {"nav_items": []}
    here = request.path
    items = []
    for label, name, roles in NAVIGATION:
        if user.role in roles:
            url = reverse(name)
            # A section is current on its own pages too (/partners/12/ is under Partners).
            current = here == url if url == "/" else here.startswith(url)
            items.append({"label": label, "url": url, "current": current})
    return {"nav_items": items}
