"""Co-produced safety plans: a plan for a neighbourhood or a place, written with residents and
partners. Co-production is shown, not claimed (DESIGN.md section 2): the plan records who
contributed what, and its actions are owned by residents, partners and police. A plan counts as
co-produced only when residents and partners both contributed and both own actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.concurrency import Versioned


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    CLOSED = "closed", "Closed"


class Party(models.TextChoices):
    RESIDENTS = "residents", "Residents"
    PARTNER = "partner", "Partner organisation"
    POLICE = "police", "Police"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


class SafetyPlan(Versioned):
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood", on_delete=models.PROTECT, related_name="safety_plans"
    )
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True, help_text="Leave empty for the whole neighbourhood.")
    aims = models.TextField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_on = models.DateField("review date", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class _OwnedByParty(models.Model):
    """A resident group is named in words (`name`, e.g. "Mill Lane residents' association");
    a partner or the police by their organisation."""

    party = models.CharField(max_length=20, choices=Party.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True

    @property
    def party_label(self) -> str:
        if self.organisation_id is not None:
            return str(self.organisation)
        return self.name or self.get_party_display()


class PlanContribution(_OwnedByParty):
    """Who contributed to the plan, and what: the evidence that it was written together."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="contributions")
    contribution = models.TextField()
    contributed_on = models.DateField()
    event = models.ForeignKey(
        "engagement.EngagementEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contributed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="residents") | Q(organisation__isnull=False), name="contribution_organisation_named"
            ),
            models.CheckConstraint(condition=~Q(party="residents") | ~Q(name=""), name="contribution_residents_named"),
        ]

    def __str__(self) -> str:
        return f"{self.party_label}: {self.contribution[:60]}"


class PlanAction(_OwnedByParty):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="residents") | Q(organisation__isnull=False), name="plan_action_organisation_named"
            ),
            models.CheckConstraint(condition=~Q(party="residents") | ~Q(name=""), name="plan_action_residents_named"),
        ]

    def __str__(self) -> str:
        return self.description[:80]
