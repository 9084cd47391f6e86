"""Framework hooks: sign-in events go to the audit log (DPA 2018 s.62 logging)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.middleware import session_mark_started
from core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="accounts.audit_signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_mark_started(request)
    audit_record(actor=user, verb="accounts.user.signed_in", target=user)


@receiver(user_logged_out, dispatch_uid="accounts.audit_signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, verb="accounts.user.signed_out", target=user)


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted address only; never the password (Django has already masked it).
    audit_record(
        actor=None, verb="accounts.user.sign_in_failed", detail={"email": str(credentials.get("username", ""))[:254]}
    )
