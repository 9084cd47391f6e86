"""Partnership tasking meetings: a meeting of a partnership on a date, who attended (by
organisation and person), an agenda built from the partnership's open shared problems, overdue
actions and new referrals, minutes per item, and the joint decisions taken there (each recorded
into its problem's decision log, naming the organisations present)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TaskingMeeting(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date of the meeting")
    title = models.CharField(max_length=150, blank=True)
    # Attendance by organisation (the basis of "who has stopped coming") and by person.
    organisations = models.ManyToManyField("partnerships.Organisation", related_name="+", blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partnership", "-held_on"], name="meeting_partnership_idx")]

    def __str__(self) -> str:
        return self.title or f"Tasking meeting on {self.held_on:%d %B %Y}"


class AgendaItemKind(models.TextChoices):
    PROBLEM = "problem", "Open shared problem"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    REFERRAL = "referral", "New referral"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=AgendaItemKind.choices)
    order = models.PositiveIntegerField()
    problem = models.ForeignKey("problems.Problem", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        "problems.ResponseAction", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    referral = models.ForeignKey("problems.Referral", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"Item {self.order} of {self.meeting}"


class MeetingDecision(models.Model):
    """A joint decision taken at the meeting on a problem item: the decision log entry it was
    recorded as, and the organisations present (the entry's text names them too)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    entry = models.OneToOneField("problems.DecisionLogEntry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Decision at {self.item.meeting}"
