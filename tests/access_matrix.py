"""The access policy as a matrix: every URL pattern x every persona -> expected outcome.

Every named URL pattern of the project must have an entry here (tests/test_access_matrix.py fails
otherwise). An entry names the URL, how to build its arguments from the test world, the HTTP
method, and the outcome for each persona. Outcomes:

    LOGIN     redirect to the sign-in page
    OTP       redirect to the second-factor page
    REDIRECT  redirect somewhere else (for example a signed-in user visiting the sign-in page)
    200, 403, 404, 405   that status code

Add your URLs here in the same change that adds them (CONVENTIONS.md, "Access control").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "LOGIN"
OTP = "OTP"
REDIRECT = "REDIRECT"

PERSONAS = (
    "anonymous",
    "officer",
    "supervisor",
    "analyst",
    "partner_member",
    "partner_lead",
    "unrelated_partner",
    "administrator",
    "dpo",
    "unverified",
    "deactivated",
)
ROLES = ("officer", "supervisor", "analyst", "partner_member", "partner_lead", "unrelated_partner", "administrator")
# The data protection officer is a persona but not in ROLES: see signed_in_page.

Outcome = int | str
KwargsBuilder = Callable[[Any], dict[str, Any]]


def no_kwargs(world: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Entry:
    name: str
    expect: dict[str, Outcome]
    kwargs: KwargsBuilder = no_kwargs
    method: str = "get"
    # For a namespace covered as a whole ("admin:*"), the concrete URL names that are requested.
    samples: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    # "token": an API endpoint, requested with a personal API token of each persona (the
    # unverified persona with its session only; tests/test_access_matrix.py, _client_for).
    auth: str = "session"


def signed_in_page(**overrides: Outcome) -> dict[str, Outcome]:
    """A page for every signed-in, verified user; override per persona.

    The data protection officer, like the administrator, is force staff who sees no case record
    (DESIGN.md section 1), so unless an entry names the DPO they get the administrator's outcome."""
    expect: dict[str, Outcome] = {"anonymous": LOGIN, "unverified": OTP, "deactivated": LOGIN}
    expect.update(dict.fromkeys(ROLES, 200))
    expect.update(overrides)
    expect.setdefault("dpo", expect["administrator"])
    return expect


def public_page(**overrides: Outcome) -> dict[str, Outcome]:
    """A page anyone may see, signed in or not (sign-in, password reset, health check)."""
    expect: dict[str, Outcome] = dict.fromkeys(PERSONAS, 200)
    expect.update(overrides)
    return expect


def signed_out_page() -> dict[str, Outcome]:
    """A page for signing in: signed-in users are sent on to their home page."""
    return public_page(**dict.fromkeys([*ROLES, "dpo", "unverified"], REDIRECT))


def administrators_only() -> dict[str, Outcome]:
    return signed_in_page(**{**dict.fromkeys(ROLES, 404), "administrator": 200, "dpo": 404})


MATRIX: list[Entry] = [
    Entry("home", signed_in_page()),
    Entry("healthz", public_page()),
    Entry("login", signed_out_page()),
    # Sign-out takes POST only; everyone ends on the sign-in page.
    Entry("logout", public_page(**dict.fromkeys(PERSONAS, LOGIN)), method="post"),
    Entry("otp-verify", signed_in_page(**dict.fromkeys(ROLES, REDIRECT), unverified=200)),
    # The unverified persona already has an authenticator, so enrolment sends them to verify.
    Entry("otp-enrol", signed_in_page(**dict.fromkeys(ROLES, REDIRECT), unverified=OTP)),
    Entry("backup-codes", signed_in_page()),
    Entry("password-change", signed_in_page()),
    Entry("password-change-done", signed_in_page()),
    Entry("password-reset", public_page()),
    Entry("password-reset-done", public_page()),
    # An invalid link shows the "link has expired" page, to anyone.
    Entry(
        "password-reset-confirm",
        public_page(),
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"},
    ),
    Entry("password-reset-complete", public_page()),
    # An invalid invitation link shows the "no longer works" page, to anyone.
    Entry(
        "invitation-accept",
        public_page(),
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"},
    ),
    Entry("admin:*", administrators_only(), samples=("admin:index", "admin:accounts_user_changelist")),
]


def entries_by_name() -> dict[str, Entry]:
    return {entry.name: entry for entry in MATRIX}


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    """Every URL pattern's full name ("namespace:name"); unnamed patterns as "<unnamed ...>"."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            # An unnamed pattern keeps its namespace, so "admin:*" covers the admin's catch-all.
            yield f"{namespace}{pattern.name or f'<unnamed {pattern.pattern}>'}"


def covered(name: str, entries: dict[str, Entry]) -> bool:
    if name in entries:
        return True
    namespace = name.split(":", 1)[0] if ":" in name else None
    return namespace is not None and f"{namespace}:*" in entries


def uncovered_url_names() -> list[str]:
    entries = entries_by_name()
    return sorted({name for name in url_names() if not covered(name, entries)})


# Each app (and, in partnerships, each concept) keeps its entries beside its tests.
def _join_app_entries() -> None:
    from tests.api import access_api
    from tests.core import access_notifications
    from tests.dataprotection import access_dataprotection
    from tests.engagement import access_engagement
    from tests.engagement import access_maps as access_engagement_maps
    from tests.evaluation import access_crime, access_impact, access_partnership_health, access_surveys
    from tests.evaluation import access_maps as access_evaluation_maps
    from tests.partnerships import access_agreements, access_contacts, access_organisations, access_partnerships
    from tests.problems import (
        access_contributions,
        access_decisions,
        access_following,
        access_leads,
        access_maps,
        access_problems,
        access_referrals,
        access_retention,
        access_sara,
        access_sharing,
    )
    from tests.search import access_search

    for module in (
        access_organisations,
        access_contacts,
        access_partnerships,
        access_agreements,
        access_problems,
        access_sara,
        access_decisions,
        access_sharing,
        access_contributions,
        access_following,
        access_leads,
        access_retention,
        access_maps,
        access_referrals,
        access_notifications,
        access_engagement,
        access_engagement_maps,
        access_surveys,
        access_crime,
        access_evaluation_maps,
        access_impact,
        access_partnership_health,
        access_dataprotection,
        access_search,
        access_api,
    ):
        MATRIX.extend(module.ENTRIES)


_join_app_entries()
