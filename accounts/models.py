"""The custom User: email as login, one organisation, one role."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OFFICER = "officer", "Neighbourhood officer"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    PARTNER_MEMBER = "partner_member", "Partner member"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    ADMINISTRATOR = "administrator", "Administrator"
    # A force's data protection officer (DESIGN.md section 1): subject access, retention reviews,
    # the audit log and breaches. Not a police operational role: sees no problem page.
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"


POLICE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ANALYST})
PARTNER_ROLES = frozenset({Role.PARTNER_MEMBER, Role.PARTNER_LEAD})
# Roles that belong to a police force but do no operational police work.
FORCE_STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """For the framework (tests, createsuperuser). Application code uses accounts.services."""
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The weekly digest for supervisors (core reminders); each user may turn it off in their profile.
    receives_weekly_digest = models.BooleanField("email me the weekly digest", default=True)
    # The invitation an administrator sends to a new user (accounts.invitations): when the latest
    # one was sent (a resend moves it, which voids earlier links) and when a password was first set.
    invited_at = models.DateTimeField("invitation sent", null=True, blank=True, editable=False)
    invitation_accepted_at = models.DateTimeField("invitation accepted", null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "organisation", "role"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_police(self) -> bool:
        return self.role in POLICE_ROLES

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_partner_lead(self) -> bool:
        return self.role == Role.PARTNER_LEAD

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_data_protection_officer(self) -> bool:
        return self.role == Role.DATA_PROTECTION_OFFICER

    @property
    def reads_whole_partner_registry(self) -> bool:
        """Police, administrators and the DPO (who approves agreements) read every organisation,
        partnership, data source and agreement; partners read their own and their partnerships'."""
        return self.is_police or self.role in FORCE_STAFF_ROLES

    @property
    def invitation_pending(self) -> bool:
        """Invited, and no password set yet (by the invitation's link or any other way)."""
        return self.invited_at is not None and self.invitation_accepted_at is None
