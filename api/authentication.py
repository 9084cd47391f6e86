"""How an API request says who it is: a personal token (`Authorization: Bearer cg_...`), or the
session of a signed-in user who has passed the second factor (the browsable documentation).

A refused token is a 401 naming why (expired, revoked, not valid); a session without the second
factor counts as no credentials at all, as the pages send it to the second-factor page."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.middleware import user_is_verified
from api.selectors import token_check
from api.services import token_mark_used

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            text = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The token must be plain text.") from error
        token, refusal = token_check(text)
        if token is None or refusal is not None:
            raise exceptions.AuthenticationFailed(refusal)
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The pages' session, only once the second factor is passed (django-otp's middleware has set
    the user's device); CSRF-checked on writes like any form."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not user_is_verified(user):
            return None
        self.enforce_csrf(request)
        return user, None
