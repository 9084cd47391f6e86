"""Organisations: the police force and its partner agencies."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models

from core.search import SearchPart, search_index


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    PARTNER = "partner", "Partner organisation"


class Sector(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY = "voluntary", "Voluntary"
    PRIVATE = "private", "Private"
    ACADEMIC = "academic", "Academic"
    COMMUNITY = "community", "Community"


# What the site search reads of an organisation (core.search).
ORGANISATION_SEARCH_PARTS = (
    SearchPart("name", ("name",), "A"),
    SearchPart("areas", ("areas_covered",), "B"),
    SearchPart("address", ("address",), "C"),
)


class Organisation(models.Model):
    """Every user belongs to exactly one organisation; each organisation owns one auth Group, on
    which object permissions for the organisation are granted (partnerships.services keeps the
    two in step)."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    # Crime and Disorder Act 1998 s.5: police, local authority, fire and rescue, health, probation.
    is_responsible_authority = models.BooleanField("responsible authority (Crime and Disorder Act 1998)", default=False)
    areas_covered = models.TextField(blank=True, help_text="Wards, neighbourhoods or districts, one per line.")
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [search_index(ORGANISATION_SEARCH_PARTS, name="organisation_search_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == OrganisationKind.POLICE_FORCE
