"""Sharing problems with partner organisations, and what partners contribute: the share record,
its projection into django-guardian object permissions (direct foreign-key models only: the
generic ones measured 26-37x slower on large lists), attachments and updates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from problems.models.disclosure import category_field


class ShareAccess(models.TextChoices):
    VIEW = "view", "View only"
    CONTRIBUTE = "contribute", "View and contribute"


class ShareEnd(models.TextChoices):
    REVOKED = "revoked", "Revoked"
    SUSPENDED = "suspended", "Suspended (the agreement ended)"


class ProblemShare(models.Model):
    """A problem shared with a partner organisation under an information-sharing agreement.
    The partner's access (guardian permissions on its group) exists only while a share is active."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="problem_shares"
    )
    access_level = models.CharField(max_length=20, choices=ShareAccess.choices, default=ShareAccess.VIEW)
    agreement = models.ForeignKey("partnerships.Agreement", on_delete=models.PROTECT, related_name="problem_shares")
    # What the share discloses; the agreement must cover every one of these categories.
    data_categories = models.ManyToManyField("partnerships.DataCategory", related_name="problem_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_kind = models.CharField(max_length=20, choices=ShareEnd.choices, blank=True)
    end_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "organisation"], condition=Q(ended_at__isnull=True), name="share_one_active"
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "ended_at"], name="share_agreement_idx"),
            # A partner's lists start from their organisation's active shares
            # (problems.selectors.sharing.problem_list_from_shares).
            models.Index(
                fields=["organisation", "problem"], condition=Q(ended_at__isnull=True), name="share_org_active_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem} shared with {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ProblemUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("problems.Problem", on_delete=models.CASCADE)


class ProblemGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("problems.Problem", on_delete=models.CASCADE)


def attachment_path(instance: ProblemAttachment, filename: str) -> str:
    # A generated name: what the user called the file is kept in `original_name` only.
    import uuid

    return f"problem-attachments/{instance.problem_id}/{uuid.uuid4().hex}"


class ProblemAttachment(models.Model):
    """A file on a problem, stored outside the static root and served only through a
    permission-checked view."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=250, blank=True)
    data_category = category_field()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class ProblemUpdate(models.Model):
    """A progress update on a problem, by the owning force or a partner with contribute access."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    data_category = category_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.problem} by {self.author}"
