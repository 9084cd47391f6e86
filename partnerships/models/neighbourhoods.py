"""Neighbourhoods: the areas a neighbourhood policing team covers (a ward or a beat).

Engagement events, community priorities, "You said, we did" pages, surveys and impact reports are
kept per neighbourhood. A problem records its neighbourhood by name (`Problem.neighbourhood`), so
reports match problems to a neighbourhood by its name.
"""

from __future__ import annotations

from django.db import models


class Neighbourhood(models.Model):
    name = models.CharField(max_length=120, unique=True)
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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def lsoa_code_list(self) -> list[str]:
        return [code.strip() for code in self.lsoa_codes.split() if code.strip()]
