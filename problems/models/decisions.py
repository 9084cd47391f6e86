"""The decision log, recorded with the National Decision Model (NDM)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from problems.models.disclosure import DECISION_CATEGORY_HELP, category_field


class DecisionLogEntry(models.Model):
    """One decision with its rationale, in the NDM's order. Entries are never edited or deleted
    (on PostgreSQL a trigger refuses it); a correction is a new entry that refers to the one it
    corrects. A joint decision names the partner organisations that decided together (the Joint
    Decision Model)."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.PROTECT, related_name="decisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    information = models.TextField("information and intelligence")
    threat_and_risk = models.TextField("assessment of threat and risk")
    powers_and_policy = models.TextField("powers and policy")
    options = models.TextField("options considered")
    decision_and_action = models.TextField("decision and action")
    review = models.TextField("review", blank=True)
    code_of_ethics = models.TextField("code of ethics consideration")
    is_joint = models.BooleanField("joint decision", default=False)
    partner_organisations = models.ManyToManyField("partnerships.Organisation", blank=True, related_name="+")
    data_category = category_field(help_text=DECISION_CATEGORY_HELP)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "decision log entries"

    def __str__(self) -> str:
        return f"Decision on {self.problem.reference} at {self.created_at:%d %b %Y %H:%M}"


class DecisionConfirmation(models.Model):
    """A partner organisation named on a joint decision confirms it (the Joint Decision Model):
    its lead, by name and time, once per organisation. The entry itself is never changed (it is
    append-only), so the confirmation is its own record, append-only too (on PostgreSQL a trigger
    refuses UPDATE, DELETE and TRUNCATE: problems migration 0009)."""

    entry = models.ForeignKey(DecisionLogEntry, on_delete=models.PROTECT, related_name="confirmations")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "organisation"], name="decision_confirmed_once_per_organisation")
        ]

    def __str__(self) -> str:
        return f"Confirmation of decision {self.entry_id} by organisation {self.organisation_id}"
