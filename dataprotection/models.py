"""The breach log: confidentiality incidents and what was done about them (UK GDPR Art. 33: a
personal data breach is reported to the ICO within 72 hours of becoming aware of it, unless it is
unlikely to result in a risk to people's rights and freedoms; every breach is documented)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

# UK GDPR Art. 33(1): "without undue delay and, where feasible, not later than 72 hours after
# having become aware of it".
REPORTING_WINDOW = datetime.timedelta(hours=72)


class BreachStatus(models.TextChoices):
    OPEN = "open", "Open: being assessed"
    REPORTED = "reported", "Reported to the ICO"
    NOT_REPORTABLE = "not_reportable", "Not reportable (no likely risk to people)"
    CLOSED = "closed", "Closed"


# A breach whose reporting is still to be decided: the deadline reminders run for these.
AWAITING_DECISION = (BreachStatus.OPEN,)


class Breach(models.Model):
    """One confidentiality incident of a police force's records."""

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    summary = models.CharField("what happened, in a line", max_length=200)
    description = models.TextField("what happened")
    occurred_at = models.DateTimeField("when it happened", null=True, blank=True)
    found_at = models.DateTimeField("when it was found")
    people_affected_count = models.PositiveIntegerField("number of people affected", null=True, blank=True)
    people_affected_description = models.TextField("who is affected", blank=True)
    shares = models.ManyToManyField("problems.ProblemShare", blank=True, related_name="+")
    agreements = models.ManyToManyField("partnerships.Agreement", blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    reported_to_ico_at = models.DateTimeField("reported to the ICO at", null=True, blank=True)
    # Why a breach was not reported (Art. 33(5): the reasoning is documented).
    decision_note = models.TextField("reasons for the reporting decision", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name_plural = "breaches"
        indexes = [
            # The deadline sweep: open breaches by when they were found.
            models.Index(fields=["status", "found_at"], name="breach_status_found_idx"),
            models.Index(fields=["organisation", "found_at"], name="breach_org_found_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=BreachStatus.REPORTED) | Q(reported_to_ico_at__isnull=False),
                name="breach_reported_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Breach {self.reference}: {self.summary}"

    @property
    def reference(self) -> str:
        return f"BR-{self.pk}"

    @property
    def deadline(self) -> datetime.datetime:
        """When the report to the ICO is due: 72 hours after the breach was found."""
        return self.found_at + REPORTING_WINDOW

    @property
    def awaiting_decision(self) -> bool:
        return self.status in AWAITING_DECISION


class BreachAction(models.Model):
    """Something done, or to do, about a breach: contain it, recover the data, tell the people
    affected, change a process."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField("who does it", max_length=150, blank=True)
    due_on = models.DateField("due by", null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Action on breach {self.breach_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
