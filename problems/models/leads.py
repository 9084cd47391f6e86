"""Who works a problem: the lead's history (handovers and supervisors' reassignments) and the
problem team (officers who may edit its sections besides the lead).

A problem has one lead at a time (`Problem.owner`). The lead changes only through a Handover row:
made by the lead ("handover") or by a supervisor of the owning force ("reassignment"), and
acknowledged by the incoming lead. The change takes effect when the handover is made, so that a
problem is never without someone who may work it; until the incoming lead acknowledges it, the
problem shows "handover awaiting acknowledgement" and the incoming lead's home page lists it.

The team is about who may edit; restricted-problem named users (`Problem.named_users`) are about
who may see. The two are kept apart: being on the team does not let anyone see a restricted
problem."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HandoverKind(models.TextChoices):
    HANDOVER = "handover", "Handover"
    REASSIGNMENT = "reassignment", "Reassignment by a supervisor"


class Handover(models.Model):
    """One change of lead: from whom, to whom, by whom, when, with the structured handover."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(max_length=20, choices=HandoverKind.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received")
    note = models.TextField("handover note")
    outstanding_items = models.TextField(blank=True)
    known_risks = models.TextField(blank=True)
    handover_date = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Set when a later handover of the same problem was made before this one was acknowledged.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["made_at", "id"]
        indexes = [
            # The incoming lead's "Handovers awaiting your acknowledgement".
            models.Index(fields=["to_user", "acknowledged_at"], name="handover_awaiting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.problem.reference}: lead to {self.to_user}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None and self.superseded_at is None


class ProblemTeamMember(models.Model):
    """An officer of the owning force who may edit the problem's SARA sections (not its record,
    stage moves, sharing, sign-off or handover)."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="team_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="problem_teams")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problem_team_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.problem.reference}"
