"""Every write to users and their second factor. Services take the acting user first, run in a
transaction and record an audit event."""

from __future__ import annotations

import math
import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import invitation_email_send, invitation_link, invitation_token_generator
from accounts.models import PARTNER_ROLES, POLICE_ROLES, Role, User
from core.audit import audit_record, changes
from partnerships.models import Organisation

ROLE_NEEDS_POLICE_FORCE = "This role is for police users: choose a police force as the organisation."
ROLE_NEEDS_PARTNER = "Partner roles are for partner organisations: choose a partner organisation."
EMAIL_TAKEN = "A user with this email address already exists."
CODE_NOT_RIGHT = (
    "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your backup codes."
)
CODE_THROTTLED = "Too many wrong codes. Wait {seconds} seconds, then enter the code your app shows now."
INVITATION_NOT_NEEDED = (
    "{user} has already set a password, so needs no invitation. If they have forgotten it, they can use "
    '"Forgotten your password?" on the sign-in page.'
)
INVITATION_USER_INACTIVE = "{user} is deactivated: activate the account before sending an invitation."
INVITATION_LINK_INVALID = "This invitation link no longer works."

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
USER_EDITABLE_FIELDS = ("full_name", "organisation", "role", "is_active")


def user_check_role_fits_organisation(role: str, organisation: Organisation) -> None:
    """Police roles belong to a police force, partner roles to a partner (raises ValidationError)."""
    if role in POLICE_ROLES | {Role.DATA_PROTECTION_OFFICER} and not organisation.is_police:
        raise ValidationError({"role": ROLE_NEEDS_POLICE_FORCE})
    if role in PARTNER_ROLES and organisation.is_police:
        raise ValidationError({"role": ROLE_NEEDS_PARTNER})


def _apply_role_flags(user: User) -> None:
    # Only administrators reach the admin site; the role is the single source of that flag.
    user.is_staff = user.role == Role.ADMINISTRATOR
    user.is_superuser = user.role == Role.ADMINISTRATOR


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "role": user.role,
        "is_active": user.is_active,
    }


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
) -> User:
    """Create a user in an organisation, with the role's flags and the organisation's Group."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user_check_role_fits_organisation(role, organisation)
    user = User(email=email, full_name=full_name.strip(), organisation=organisation, role=role)
    _apply_role_flags(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(organisation.group)
    audit_record(actor=actor, verb="accounts.user.created", target=user, detail={**_snapshot(user), "email": email})
    if not password:
        # Without a password nobody can sign in: the invitation is how the new user sets one.
        user = user_invite(actor=actor, user=user)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **fields: Any) -> User:
    """Change a user's name, organisation, role or active flag; Group membership follows."""
    unknown = set(fields) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    user = User.objects.select_for_update().select_related("organisation").get(pk=user.pk)
    before = _snapshot(user)
    old_group_id = user.organisation.group_id
    for field, value in fields.items():
        setattr(user, field, value)
    user_check_role_fits_organisation(user.role, user.organisation)
    _apply_role_flags(user)
    user.full_clean(exclude=["password"])
    user.save()
    if user.organisation.group_id != old_group_id:
        user.groups.remove(old_group_id)
        user.groups.add(user.organisation.group)
    diff = changes(before, _snapshot(user))
    if diff:
        audit_record(actor=actor, verb="accounts.user.updated", target=user, detail=diff)
    return user


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Users are deactivated, never deleted: the audit log keeps pointing at them."""
    return user_update(actor=actor, user=user, is_active=False)


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str, verb: str = "password_changed") -> None:
    user.set_password(password)
    fields = ["password"]
    if user.invitation_pending:
        # However the first password is set (the invitation or "Forgotten your password?"), the
        # invitation is settled and its link stops working.
        user.invitation_accepted_at = timezone.now()
        fields.append("invitation_accepted_at")
    user.save(update_fields=fields)
    audit_record(actor=actor, verb=f"accounts.user.{verb}", target=user)


def _invitation_send(*, actor: User | None, user: User, verb: str) -> User:
    user = User.objects.select_for_update().select_related("organisation").get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(INVITATION_USER_INACTIVE.format(user=user))
    if user.has_usable_password():
        raise ValidationError(INVITATION_NOT_NEEDED.format(user=user))
    # A new sending time changes every earlier link's hash: only the latest invitation works.
    user.invited_at = timezone.now()
    user.invitation_accepted_at = None
    user.save(update_fields=["invited_at", "invitation_accepted_at"])
    link = invitation_link(user)
    audit_record(actor=actor, verb=f"accounts.user.{verb}", target=user, detail={"email": user.email})
    transaction.on_commit(lambda: invitation_email_send(user=user, link=link))
    return user


@transaction.atomic
def user_invite(*, actor: User | None, user: User) -> User:
    """Email a user without a password a link to set one (then enrol the second factor)."""
    return _invitation_send(actor=actor, user=user, verb="invited")


@transaction.atomic
def user_invitation_resend(*, actor: User | None, user: User) -> User:
    """Send a fresh invitation (lost or expired email); the earlier link stops working."""
    return _invitation_send(actor=actor, user=user, verb="invitation_resent")


@transaction.atomic
def user_invitation_accept(*, actor: User, user: User, token: str, password: str) -> User:
    """Set the invited user's first password through their link. The link is checked again on the
    locked row, so two tabs posting the same link set the password once, and the second is refused."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not invitation_token_generator.check_token(user, token):
        raise ValidationError(INVITATION_LINK_INVALID)
    user_set_password(actor=actor, user=user, password=password, verb="invitation_accepted")
    return user


@transaction.atomic
def user_unlock(*, actor: User | None, user: User) -> int:
    """End a sign-in lockout before its 15 minutes are up; returns how many records were cleared."""
    cleared = axes_reset(username=user.email)
    audit_record(actor=actor, verb="accounts.user.unlocked", target=user, detail={"cleared": cleared})
    return cleared


@transaction.atomic
def user_reset_second_factor(*, actor: User | None, user: User) -> None:
    """For a lost phone: remove every device, so the user enrols again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, verb="accounts.user.second_factor_reset", target=user)


def user_has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_pending_for(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (kept across page loads so the QR code that
    the user scanned stays valid until they type its first code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _new_backup_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_enrol_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an authenticator with its first code. Returns fresh backup codes, or None when the
    code is wrong (the device stays unconfirmed)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    codes = _new_backup_codes(actor)
    audit_record(actor=actor, verb="accounts.user.second_factor_enrolled", target=actor)
    return codes


@transaction.atomic
def backup_codes_regenerate(*, actor: User) -> list[str]:
    codes = _new_backup_codes(actor)
    audit_record(actor=actor, verb="accounts.user.backup_codes_regenerated", target=actor)
    return codes


def backup_codes_remaining(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=BACKUP_DEVICE_NAME).count()


@transaction.atomic
def second_factor_verify(*, actor: User, token: str) -> tuple[TOTPDevice | StaticDevice | None, str | None]:
    """Check a code against the user's authenticator (6 digits) or backup codes (anything else).

    Returns (device, None) on success, or (None, message) on failure. Each device throttles wrong
    codes itself (django-otp), so guessing is slowed down per device."""
    token = "".join(token.split()).lower()
    if token.isdigit() and len(token) == 6:
        device: TOTPDevice | StaticDevice | None = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=actor, name=BACKUP_DEVICE_NAME).first()
    if device is None:
        audit_record(actor=actor, verb="accounts.user.second_factor_failed", target=actor)
        return None, CODE_NOT_RIGHT
    allowed, why = device.verify_is_allowed()
    if not allowed:
        audit_record(actor=actor, verb="accounts.user.second_factor_failed", target=actor, detail={"throttled": True})
        locked_until = (why or {}).get("locked_until") or timezone.now()
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return None, CODE_THROTTLED.format(seconds=seconds)
    if not device.verify_token(token):
        audit_record(actor=actor, verb="accounts.user.second_factor_failed", target=actor)
        return None, CODE_NOT_RIGHT
    audit_record(
        actor=actor,
        verb="accounts.user.second_factor_verified",
        target=actor,
        detail={"method": "backup_code" if isinstance(device, StaticDevice) else "authenticator"},
    )
    return device, None


@transaction.atomic
def user_set_notification_preferences(*, actor: User, receives_weekly_digest: bool) -> User:
    """The signed-in user chooses whether to receive the weekly digest (their own setting only)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {"receives_weekly_digest": user.receives_weekly_digest}
    user.receives_weekly_digest = receives_weekly_digest
    user.save(update_fields=["receives_weekly_digest"])
    diff = changes(before, {"receives_weekly_digest": receives_weekly_digest})
    if diff:
        audit_record(actor=actor, verb="accounts.user.preferences_changed", target=user, detail=diff)
    return user
