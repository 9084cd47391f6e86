"""Neighbourhoods: the areas a neighbourhood policing team covers (a ward or a beat).

Problems, engagement events, community priorities, "You said, we did" pages, surveys and impact
reports are kept per neighbourhood, each by a foreign key to this list (a problem's neighbourhood
was once typed text, and a report for "City Centre" silently missed one typed "City centre ").

A neighbourhood is unique by name within its force, ignoring case. One marked `needs_review` was
made from a problem's typed neighbourhood that matched none of its force's list (the problems
migration 0009): an administrator renames it, keeps it, or merges it into another neighbourhood
(partnerships.services.neighbourhoods.neighbourhood_merge).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class Neighbourhood(models.Model):
    name = models.CharField(max_length=120)
    # The public "You said, we did" page's address: /you-said-we-did/<slug>/.
    slug = models.SlugField(max_length=120, unique=True)
    # The police force whose neighbourhood team covers the area.
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    # The partnership working in the area: its member organisations see the area's engagement.
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="neighbourhoods"
    )
    lsoa_codes = models.TextField("LSOA codes", blank=True, help_text="One LSOA code per line.")
    active = models.BooleanField(default=True)
    needs_review = models.BooleanField(
        "to review",
        default=False,
        help_text=(
            "Made from a problem's typed neighbourhood that matched none of the force's list: rename it, "
            "untick this to keep it, or merge it into another neighbourhood (the list's actions)."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organisation",
                name="neighbourhood_name_unique_in_force",
                violation_error_message="The force already has a neighbourhood with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lsoa_code_list(self) -> list[str]:
        return [code.strip() for code in self.lsoa_codes.split() if code.strip()]
