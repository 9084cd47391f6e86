"""Writes of the api app: making and revoking personal API tokens, marking one used, and the
consultation record of what the API returned (DPA 2018 s.62). Every write records an audit event."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken, TokenScope
from core.audit import audit_record, audit_record_each, recipient_of
from problems.services.contributions import CONSULTED_VERB, problem_consulted

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem

# The longest a token may live (issue 24): a leaked token stops working within this many days.
MAX_LIFETIME_DAYS = 90
LIFETIME_CHOICES = (7, 30, 60, 90)
NAME_MAX_LENGTH = 80
# A token's text: "cg_" + public prefix (for lookup) + "_" + secret.
TOKEN_PREFIX = "cg_"  # noqa: S105 (the public start of every token)
PREFIX_BYTES = 6
SECRET_BYTES = 32
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

NAME_REQUIRED = "Enter a name for the token, so that you know where it is used."
NAME_TOO_LONG = f"The name must be {NAME_MAX_LENGTH} characters or fewer."
LIFETIME_TOO_LONG = f"A token can last at most {MAX_LIFETIME_DAYS} days."
LIFETIME_TOO_SHORT = "A token must last at least one day."
SCOPE_UNKNOWN = "Choose read only, or read and write."
ALREADY_REVOKED = "This token was already revoked."
NOT_YOURS = "You can only revoke your own tokens."


def token_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class MadeToken:
    """A token just made, and its text: shown once, never stored."""

    token: ApiToken
    text: str


@transaction.atomic
def token_create(*, actor: User, name: str, scope: str, lifetime_days: int) -> MadeToken:
    """A new personal token for `actor`, acting as them. (The page that calls this requires a
    verified second factor; the service does not know about sessions.)"""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = NAME_REQUIRED
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = NAME_TOO_LONG
    if scope not in TokenScope.values:
        errors["scope"] = SCOPE_UNKNOWN
    if lifetime_days > MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = LIFETIME_TOO_LONG
    elif lifetime_days < 1:
        errors["lifetime_days"] = LIFETIME_TOO_SHORT
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(PREFIX_BYTES)
    text = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        digest=token_digest(text),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    audit_record(
        actor=actor,
        verb="api.token.created",
        target=token,
        detail={"name": name, "scope": scope, "expires_at": token.expires_at.isoformat(), "prefix": prefix},
    )
    return MadeToken(token=token, text=text)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner, or an administrator (any token). It stops working at once."""
    if token.user_id != actor.pk and not actor.is_administrator:
        raise PermissionDenied(NOT_YOURS)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor, verb="api.token.revoked", target=token, detail={"owner": token.user_id, "prefix": token.prefix}
    )
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """Record when the token was last used, at most once a minute (one conditional UPDATE; two
    requests at once write it once). Not an audit event: the requests themselves are logged where
    they return case data."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- consultation (DPA 2018 s.62) -----------------------------------------------------------------


def api_problem_consulted(*, actor: User, problem: Problem, endpoint: str) -> None:
    """A request that returned a problem's record or its parts: one consultation of the problem,
    naming the endpoint and, as for an export, its recipient (the data leaves for another system)."""
    problem_consulted(actor=actor, problem=problem, how="api", detail={"endpoint": endpoint})


def api_problems_listed(*, actor: User, problems: Iterable[Problem], endpoint: str) -> None:
    """A list that returned problems (their titles at least): one consultation per problem, in one
    INSERT, for every user (the API carries the list away to another system, unlike a page)."""
    shown = list({problem.pk: problem for problem in problems}.values())
    audit_record_each(
        actor=actor,
        verb=CONSULTED_VERB,
        targets=shown,
        detail={"how": "api", "endpoint": endpoint, "recipient": recipient_of(actor)},
    )
