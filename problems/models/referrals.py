"""Partner referrals: a partner organisation proposes a problem to a police force or to a
partnership (what, where, why now, the evidence). A supervisor of the receiving force accepts it
(a problem is created, linked here, and shared with the referring organisation) or declines it
with a reason the partner sees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Referral(models.Model):
    referring_organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Exactly one of the two receives it: a force, or a partnership (whose member forces'
    # supervisors decide).
    force = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    title = models.CharField("what is the problem?", max_length=200)
    location = models.CharField("where is it?", max_length=250)
    why_now = models.TextField("why refer it now?")
    evidence = models.TextField("what evidence is there?")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    problem = models.OneToOneField(
        "problems.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="referral"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(force__isnull=False) & Q(partnership__isnull=True))
                | (Q(force__isnull=True) & Q(partnership__isnull=False)),
                name="referral_one_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_decline_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["referring_organisation", "-created_at"], name="referral_org_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient_label(self) -> str:
        return str(self.force if self.force_id else self.partnership)
