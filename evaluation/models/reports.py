"""Generated reports: an impact report produced in the background (its state, progress and file),
and the officer's draft of an award entry (Tilley Award shape) for a closed problem."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


class ReportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    """One request for an impact report made in the background (a large one, or on request).

    `parameters` holds what the report form chose (period, neighbourhood or partnership), so the
    worker rebuilds the report for the requesting user's access at the time it runs: the file
    never holds more than the requester could see."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_runs")
    format = models.CharField(max_length=10, choices=ReportFormat.choices)
    parameters = models.JSONField(default=dict)
    title = models.CharField(max_length=250, blank=True)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    result = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Impact report {self.pk} ({self.get_format_display()}, {self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (ReportState.DONE, ReportState.FAILED)

    @property
    def is_ready(self) -> bool:
        """Made, and its file still there to download."""
        return self.state == ReportState.DONE and bool(self.result)

    @property
    def file_deleted(self) -> bool:
        """Made, but its file deleted since (evaluation.services.reports.report_files_delete_expired)."""
        return self.state == ReportState.DONE and not self.result


class AwardDraft(models.Model):
    """The officer's edited award entry for a closed problem: one draft per problem, saved as it
    is edited (the first version is drafted from the record)."""

    problem = models.OneToOneField("problems.Problem", on_delete=models.CASCADE, related_name="award_draft")
    summary = models.TextField()
    sara_description = models.TextField("SARA description")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Award entry draft for problem {self.problem_id}"
