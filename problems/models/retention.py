"""Retention of closed problems (DESIGN.md section 5, MOPI style): each closed problem has a
retention review date (`Problem.retention_review_date`); a review either retains it (with a reason
and the next review date) or disposes of it. Disposal erases the personal data of every part of
the problem and leaves the metadata record below. Both are kept for good: the review history and
the disposal record are what shows that the force reviewed and disposed of what it held."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models


def retention_years_for(*, category_code: str, risk_level: str) -> int:
    """Years from closure to the retention review (settings.RETENTION_PERIODS): the longest of the
    default, the category's and the risk level's periods."""
    periods = settings.RETENTION_PERIODS
    candidates = [int(periods.get("default", 6))]
    for key, value in (("category", category_code), ("risk", risk_level)):
        found = (periods.get(key) or {}).get(value)
        if found is not None:
            candidates.append(int(found))
    return max(candidates)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` plus whole years; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_review_date_for(*, closed_on: datetime.date, category_code: str, risk_level: str) -> datetime.date:
    return add_years(closed_on, retention_years_for(category_code=category_code, risk_level=risk_level))


class RetentionOutcome(models.TextChoices):
    RETAINED = "retained", "Retained"
    DISPOSED = "disposed", "Disposed"


class RetentionReview(models.Model):
    """One retention review of a closed problem: who, when, the outcome, and for a retained one
    the reason and the next review date. The reason is about the retention decision; the form asks
    for it without names of people."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.PROTECT, related_name="retention_reviews")
    outcome = models.CharField(max_length=10, choices=RetentionOutcome.choices)
    reason = models.TextField(blank=True)
    review_date_was = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="retained")
                | (~models.Q(reason="") & models.Q(next_review_date__isnull=False)),
                name="retention_retain_has_reason_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention review of problem {self.problem_id}: {self.get_outcome_display()}"


class ProblemDisposal(models.Model):
    """The metadata record left when a problem is disposed of: what it was (reference, category,
    risk), when (opened, closed, due for review, disposed), how it ended (stage, sign-off,
    objectives met), its evaluation figures and how many entries each part held. No case text.
    One per problem: its existence is what lets the decision log's text be blanked (problems
    migration 0013), and what makes a second disposal impossible."""

    problem = models.OneToOneField("problems.Problem", on_delete=models.PROTECT, related_name="disposal")
    reference = models.CharField(max_length=20)
    category = models.CharField(max_length=80)
    risk_level = models.CharField(max_length=10)
    neighbourhood = models.CharField(max_length=120, blank=True)
    opened_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    retention_review_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20)
    # {"objectives": n, "objectives_met": n, "objectives_not_met": n, "objectives_not_assessed": n,
    #  "actions_done": n, "actions_cancelled": n, ...}
    outcome = models.JSONField(default=dict, blank=True)
    # Evaluation figures from the apps that registered them (problems.services.retention).
    figures = models.JSONField(default=dict, blank=True)
    # How many entries each part held when it was erased: {"Decisions": 3, "Updates": 5, ...}.
    counts = models.JSONField(default=dict, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField()

    class Meta:
        ordering = ["-disposed_at", "-id"]

    def __str__(self) -> str:
        return f"Disposal of {self.reference}"
