"""What an authenticated API request may do beyond what its user may: a read-only token reads."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from api.models import ApiToken

READ_ONLY_TOKEN = "This API token is read only. Make a read and write token to change records."  # noqa: S105 (a message)


class TokenScopePermission(permissions.BasePermission):
    """Signed in (a token or a verified session), and a read-only token only on safe methods (403).
    What the user may see and change is decided by each app's selectors and services."""

    message = READ_ONLY_TOKEN

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            # DRF answers 401 (NotAuthenticated) for a request without credentials.
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not (isinstance(token, ApiToken) and token.is_read_only)
