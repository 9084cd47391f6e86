"""The invitation a new user gets: a link that works once, for settings.INVITATION_EXPIRY, to set a
password (then enrol the second factor). Django's password-reset token, with its own salt and with
the invitation's fields in the hash; the services (accounts.services) decide when one is sent."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from accounts.models import User
from core.emails import absolute_url, email_send

logger = logging.getLogger(__name__)
EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


def _stamp(moment: datetime | None) -> str:
    # Exact to the microsecond, whatever the time zone: a resend in the same second still counts.
    return "" if moment is None else str((moment - EPOCH) // timedelta(microseconds=1))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """A token that stops working when the invitation is used (the password and the acceptance time
    are in the hash), when it is sent again (so is the sending time) and after INVITATION_EXPIRY.
    Its own salt: a password-reset token is not an invitation token, nor the other way round."""

    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        invitation = f"{_stamp(user.invited_at)}-{_stamp(user.invitation_accepted_at)}"
        return f"{super()._make_hash_value(user, timestamp)}{invitation}"

    def check_token(self, user: Any, token: str | None) -> bool:
        # Django's own check measures a token's age against PASSWORD_RESET_TIMEOUT; an invitation
        # has its own limit, so the (short) check is written out here with that limit.
        if not (user and token) or not user.invitation_pending:
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_EXPIRY.total_seconds()


invitation_token_generator = InvitationTokenGenerator()


def invitation_expired(user: User) -> bool:
    """A pending invitation whose link is now too old (the admin shows it as expired)."""
    return (
        user.invitation_pending
        and user.invited_at is not None
        and (timezone.now() - user.invited_at > settings.INVITATION_EXPIRY)
    )


def invitation_link(user: User) -> str:
    token = invitation_token_generator.make_token(user)
    return absolute_url(
        reverse("invitation-accept", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token})
    )


def invitation_email_send(*, user: User, link: str) -> None:
    """Send the invitation (called after commit). A mail server that fails is logged, not raised:
    the user is saved and the administrator sees the invitation pending and can send it again."""
    try:
        email_send(
            to=user.email,
            name="invitation",
            context={
                "recipient_name": user.get_short_name(),
                "organisation": user.organisation.name,
                "role": user.get_role_display(),
                "link": link,
                "expiry_days": settings.INVITATION_EXPIRY.days,
            },
        )
    except Exception:
        logger.exception("Could not send the invitation to user %s", user.pk)
