"""Demo users for every role, each with a known password and a usable second factor.

Not for production: the demo secret and backup codes are printed and published in the README."""

from __future__ import annotations

import base64
from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.services import BACKUP_DEVICE_NAME, TOTP_DEVICE_NAME, user_create
from partnerships.models import Organisation

DEMO_PASSWORD = "Common-Ground-demo-2026"  # noqa: S105 (published demo credential)
# The authenticator secret shared by all demo users (hex, as django-otp stores it).
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 11)]

DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("officer@police.example", "Olivia Officer", "Northshire Police", Role.OFFICER),
    ("officer2@police.example", "Owen Officer", "Northshire Police", Role.OFFICER),
    ("supervisor@police.example", "Sam Sergeant", "Northshire Police", Role.SUPERVISOR),
    ("analyst@police.example", "Anil Analyst", "Northshire Police", Role.ANALYST),
    ("admin@police.example", "Ada Administrator", "Northshire Police", Role.ADMINISTRATOR),
    ("dpo@police.example", "Dana Protection", "Northshire Police", Role.DATA_PROTECTION_OFFICER),
    ("member@council.example", "Mel Member", "Northshire City Council", Role.PARTNER_MEMBER),
    ("lead@council.example", "Lee Lead", "Northshire City Council", Role.PARTNER_LEAD),
    ("lead@housing.example", "Hana Housing", "Riverside Housing Association", Role.PARTNER_LEAD),
    ("lead@health.example", "Harun Health", "Northshire Integrated Care Board", Role.PARTNER_LEAD),
    ("lead@youthjustice.example", "Yvonne Youth", "Northshire Youth Justice Service", Role.PARTNER_LEAD),
    ("lead@residents.example", "Rita Residents", "Eastgate Residents' Association", Role.PARTNER_LEAD),
]


def demo_totp_secret_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def _restore_second_factor(user: User) -> None:
    TOTPDevice.objects.update_or_create(
        user=user,
        name=TOTP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True, "throttling_failure_count": 0},
    )
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in DEMO_BACKUP_CODES)


def seed(*, stdout: Any) -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    for email, name, organisation, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                actor=None,
                email=email,
                full_name=name,
                organisation=organisations[organisation],
                role=role,
                password=DEMO_PASSWORD,
            )
        elif not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        _restore_second_factor(user)
    stdout.write(demo_logins_text())


def demo_logins_text() -> str:
    lines = [
        "",
        "Demo logins (password for all: " + DEMO_PASSWORD + ")",
    ]
    lines += [f"  {Role(role).label:<22} {email}" for email, _, _, role in DEMO_USERS]
    lines += [
        "Second factor: add this key to any authenticator app: " + demo_totp_secret_base32(),
        "  or use a backup code: "
        + ", ".join(DEMO_BACKUP_CODES[:3])
        + " ... (each works once; make run restores them)",
        "",
    ]
    return "\n".join(lines)
