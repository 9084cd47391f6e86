"""Navigation by role, for the base layout: a few top-level links for the daily work, then groups
(evaluation, partners, data protection, administration) that open as menus, so the bar fits a 1280 px window for
every role and collapses behind one button below the large breakpoint (issue 20).

Each link: label, URL name, roles that see it. A group a role sees only one link of is shown as
that link, not as a menu of one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.middleware import user_is_verified
from accounts.models import PARTNER_ROLES, POLICE_ROLES, Role
from evaluation.selectors.impact import IMPACT_REPORT_ROLES

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: tuple[NavLink, ...]


NAVIGATION: list[NavLink | NavGroup] = [
    NavLink("Home", "home", ALL_ROLES),
    # The work.
    NavLink("Problems", "problem-list", POLICE_ROLES),
    NavLink("Shared with us", "shared-with-us", PARTNER_ROLES),
    # Engagement log, priorities, coverage and safety plans (their pages link to one another).
    NavLink("Engagement", "event-list", POLICE_ROLES | PARTNER_ROLES),
    NavGroup(
        "Evaluation",
        (
            NavLink("Surveys", "survey-list", POLICE_ROLES | PARTNER_ROLES),
            # Officers (own area), supervisors, analysts; partner leads get their partnership's report.
            NavLink("Impact report", "impact-report", IMPACT_REPORT_ROLES),
            # Analysts import police.uk crime data (the page links to the unit costs of crime).
            NavLink("Crime data", "crime-import", frozenset({Role.ANALYST})),
            # Hotspots and repeat locations in imported crime: every police user (issue 22).
            NavLink("Crime hotspots", "crime-hotspots", POLICE_ROLES),
        ),
    ),
    NavGroup(
        "Partners",
        (
            NavLink("Partners", "organisation-list", ALL_ROLES),
            NavLink("Partnerships", "partnership-list", ALL_ROLES),
            NavLink("Data sources", "data-source-list", ALL_ROLES),
            NavLink("Agreements", "agreement-list", ALL_ROLES),
            # Partners propose problems; the receiving force's supervisors accept or decline them.
            NavLink("Referrals", "referral-list", POLICE_ROLES | PARTNER_ROLES),
        ),
    ),
    # The data protection officer's tools (dataprotection); supervisors read their force's audit log.
    NavGroup(
        "Data protection",
        (
            NavLink("Subject access", "subject-access", frozenset({Role.DATA_PROTECTION_OFFICER})),
            NavLink("Breaches", "breach-list", frozenset({Role.DATA_PROTECTION_OFFICER})),
            NavLink("Audit log", "audit-log", frozenset({Role.SUPERVISOR, Role.DATA_PROTECTION_OFFICER})),
            # Retention reviews of closed problems: the force's supervisors and data protection officers.
            NavLink("Retention", "retention-list", frozenset({Role.SUPERVISOR, Role.DATA_PROTECTION_OFFICER})),
        ),
    ),
    NavGroup(
        "Administration",
        (NavLink("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),),
    ),
]


def _is_current(url: str, here: str) -> bool:
    # A section is current on its own pages too (/partners/12/ is under Partners).
    return here == url if url == "/" else here.startswith(url)


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: Any, prefix: str) -> str:
    # The same few addresses on every page: reversed once per URL configuration and script prefix
    # (the arguments), not on every request.
    return reverse(url_name, urlconf=urlconf)


def _link(link: NavLink, here: str) -> dict[str, Any]:
    url = _url(link.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return {"label": link.label, "url": url, "current": _is_current(url, here)}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_is_verified(user):
        return {"nav_items": []}
    here = request.path
    items: list[dict[str, Any]] = []
    for entry in NAVIGATION:
        if isinstance(entry, NavLink):
            if user.role in entry.roles:
                items.append(_link(entry, here))
            continue
        links = [_link(link, here) for link in entry.links if user.role in link.roles]
        if len(links) == 1:
            items.append(links[0])
        elif links:
            current = any(link["current"] for link in links)
            items.append({"label": entry.label, "links": links, "current": current, "id": entry.label.lower()})
    return {"nav_items": items}
