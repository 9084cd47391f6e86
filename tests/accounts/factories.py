"""Users, created through the service: the role fits the organisation and the Group follows.

`second_factor=True` (the default) gives the user a confirmed authenticator whose key is known,
so tests can compute a valid code with `totp_code(user)`."""

from __future__ import annotations

from typing import Any

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.services import TOTP_DEVICE_NAME, user_create
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    role = Role.OFFICER
    organisation = factory.LazyAttribute(
        lambda o: (
            PoliceForceFactory()
            if o.role in {Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
            else OrganisationFactory()
        )
    )
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(actor=None, **kwargs)

    @factory.post_generation
    def second_factor(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=obj, name=TOTP_DEVICE_NAME, confirmed=True)


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def totp_code(user_or_device: User | TOTPDevice, *, steps_ahead: int = 0) -> str:
    device = user_or_device if isinstance(user_or_device, TOTPDevice) else totp_device(user_or_device)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
