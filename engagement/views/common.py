"""Pieces the engagement views share."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User

PAGE_SIZE = 25


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]
