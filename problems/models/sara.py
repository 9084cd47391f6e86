"""The parts of a problem that have many rows: PAT controllers, hypotheses, objectives (OSARA)
and response actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.concurrency import Versioned
from partnerships.models import PatController
from problems.models.disclosure import category_field


class Controller(Versioned):
    """A controller of the problem analysis triangle: who they are and whether they are engaged."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="controllers")
    kind = models.CharField(max_length=20, choices=PatController.choices)
    who = models.CharField(max_length=200)
    engaged = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    data_category = category_field()
    # The entry of the problem's stakeholder map that stands for this controller (issue 21).
    stakeholder = models.ForeignKey(
        "problems.ProblemStakeholder", null=True, blank=True, on_delete=models.SET_NULL, related_name="controllers"
    )

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.who}"


class HypothesisStatus(models.TextChoices):
    UNTESTED = "untested", "Not yet tested"
    SUPPORTED = "supported", "Supported"
    NOT_SUPPORTED = "not_supported", "Not supported"


class Hypothesis(Versioned):
    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="hypotheses")
    statement = models.TextField()
    status = models.CharField(max_length=20, choices=HypothesisStatus.choices, default=HypothesisStatus.UNTESTED)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "hypotheses"

    def __str__(self) -> str:
        return self.statement[:80]


class Objective(Versioned):
    """A specific, measurable objective set before the response (OSARA), and its assessed result."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField()
    measure = models.CharField(max_length=250)
    baseline = models.CharField(max_length=120, blank=True)
    target = models.CharField(max_length=120)
    target_date = models.DateField()
    result = models.TextField(blank=True)
    met = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class ObjectiveRevision(models.Model):
    """A change to an objective's baseline or target after the response started (issue 20): they
    are the yardstick the assessment measures against, so each revision keeps the values before
    and after, who made it, when and why."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="revisions")
    baseline_before = models.CharField(max_length=120, blank=True)
    baseline_after = models.CharField(max_length=120, blank=True)
    target_before = models.CharField(max_length=120, blank=True)
    target_after = models.CharField(max_length=120, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Revision of {self.objective}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# An action still to be done: reminders, partners' home pages and contribution lists ask this.
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class InterventionKind(models.TextChoices):
    SITUATIONAL = "situational", "Situational prevention"
    ENFORCEMENT = "enforcement", "Enforcement"
    DIVERSION = "diversion", "Diversion"
    SUPPORT = "support", "Support"
    ENVIRONMENTAL_DESIGN = "environmental_design", "Environmental design"
    OTHER = "other", "Other"


class ResponseAction(Versioned):
    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    intervention_kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    responsible_organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="problem_actions"
    )
    responsible_person = models.CharField(max_length=150, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="problem_actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    cancel_reason = models.TextField(blank=True)
    # Of the action's text (description, responsible person, reason for cancelling).
    data_category = category_field()
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="action_cancel_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
