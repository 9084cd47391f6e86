"""Reads of the api app: a user's tokens, a token for its owner's pages, and the token behind an
API request (the authentication class asks here)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from accounts.backends import ActiveOrganisationBackend
from api.models import ApiToken
from api.services import TOKEN_PREFIX, token_digest
from core.access import get_visible_or_404

if TYPE_CHECKING:
    from accounts.models import User

# Why a token was refused (the 401 response's detail; tests assert them). One message for a token
# that does not exist and one whose secret is wrong, so that a prefix cannot be probed.
TOKEN_INVALID = "This API token is not valid."  # noqa: S105 (a message, not a secret)
TOKEN_EXPIRED = "This API token has expired. Make a new one under Account, API tokens."  # noqa: S105 (a message, not a secret)
TOKEN_REVOKED = "This API token was revoked."  # noqa: S105 (a message, not a secret)
TOKEN_USER_INACTIVE = "The account this API token belongs to can no longer sign in."  # noqa: S105 (a message, not a secret)


def token_list_for(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (their account page): one query."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_get_for_user(*, user: User, pk: object) -> ApiToken:
    """One of the user's own tokens (anyone else's: 404)."""
    return get_visible_or_404(ApiToken.objects.filter(user=user), pk=pk)


def token_check(text: str) -> tuple[ApiToken | None, str | None]:
    """The token `text` is, and why it may not be used (None: it may). One query, the token with
    its user and the user's organisation."""
    if not text.startswith(TOKEN_PREFIX):
        return None, TOKEN_INVALID
    prefix, _, secret = text[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None, TOKEN_INVALID
    token = ApiToken.objects.select_related("user__organisation").filter(prefix=prefix).first()
    # Compared in constant time: the digest of a wrong secret says nothing about the right one.
    if token is None or not hmac.compare_digest(token.digest, token_digest(text)):
        return None, TOKEN_INVALID
    if token.revoked_at is not None:
        return token, TOKEN_REVOKED
    if token.expires_at <= timezone.now():
        return token, TOKEN_EXPIRED
    # The same rule as signing in.
    if not ActiveOrganisationBackend().user_can_authenticate(token.user):
        return token, TOKEN_USER_INACTIVE
    return token, None
