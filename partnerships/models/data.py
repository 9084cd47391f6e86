"""Categories of data (a controlled list used by agreements) and the data sources partners hold."""

from __future__ import annotations

from django.db import models


class DataCategoryKind(models.TextChoices):
    NON_PERSONAL = "non_personal", "Not personal data"
    PERSONAL = "personal", "Personal data"
    SPECIAL_CATEGORY = "special_category", "Special category data (UK GDPR Article 9)"
    CRIMINAL_OFFENCE = "criminal_offence", "Criminal offence data (UK GDPR Article 10)"


class DataCategory(models.Model):
    """A controlled category of data items, for example "Health information" (special category)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=DataCategoryKind.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "data categories"

    def __str__(self) -> str:
        return self.name


class RefreshFrequency(models.TextChoices):
    REAL_TIME = "real_time", "Real time"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"
    AD_HOC = "ad_hoc", "On request"


class DataSource(models.Model):
    """Data an organisation holds that could inform problem-solving (for example council ASB
    reports), and the agreement, if any, that covers sharing it."""

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="data_sources")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=150, help_text="The team or post responsible for the data.")
    refresh_frequency = models.CharField(max_length=20, choices=RefreshFrequency.choices)
    data_format = models.CharField("format", max_length=100, help_text="For example CSV extract, monthly PDF report.")
    holds_personal_data = models.BooleanField(default=False)
    categories = models.ManyToManyField(DataCategory, blank=True, related_name="data_sources")
    agreement = models.ForeignKey(
        "partnerships.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="data_sources"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="data_source_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
