"""People at organisations, single points of contact (SPOCs) and the handovers between them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.search import SearchPart, search_index

# What the site search reads of a contact (core.search).
CONTACT_SEARCH_PARTS = (
    SearchPart("name", ("name",), "A"),
    SearchPart("role", ("job_title", "spoc_topics"), "B"),
    SearchPart("email", ("email",), "C"),
)


class Contact(models.Model):
    """A person at an organisation. A contact need not be a user of Common Ground.

    A contact is a SPOC while `spoc_topics` is set and today lies in [spoc_from, spoc_to]. A
    handover ends the outgoing contact's SPOC period and starts the incoming contact's."""

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    name = models.CharField(max_length=150)
    job_title = models.CharField("role", max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active_from = models.DateField(default=datetime.date.today)
    active_to = models.DateField(null=True, blank=True)
    spoc_topics = models.CharField(
        "single point of contact for",
        max_length=300,
        blank=True,
        help_text="Areas or topics, for example “ASB in Eastgate; tenancy enforcement”. Leave empty if not a SPOC.",
    )
    spoc_from = models.DateField(null=True, blank=True)
    spoc_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "spoc_to"], name="contact_spoc_idx"),
            search_index(CONTACT_SEARCH_PARTS, name="contact_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="contact_active_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(spoc_to__isnull=True) | Q(spoc_from__isnull=True) | Q(spoc_to__gte=models.F("spoc_from")),
                name="contact_spoc_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def is_spoc_on(self, day: datetime.date) -> bool:
        return bool(
            self.spoc_topics
            and self.spoc_from is not None
            and self.spoc_from <= day
            and (self.spoc_to is None or self.spoc_to >= day)
        )


class Handover(models.Model):
    """A recorded change of SPOC: who handed over to whom, when, with what still outstanding."""

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="handovers")
    outgoing = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="handovers_given")
    incoming = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="handovers_received")
    handover_date = models.DateField()
    spoc_topics = models.CharField(max_length=300)
    note = models.TextField("handover note")
    outstanding_items = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-handover_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(outgoing=models.F("incoming")), name="handover_between_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.outgoing.name} → {self.incoming.name} on {self.handover_date:%d %b %Y}"
