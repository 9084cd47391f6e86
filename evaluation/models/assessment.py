"""How a problem's response is assessed: the before/after design (areas, crime types, months,
Maryland level), the costs of the response, the EMMIE record, and the editable unit costs of crime.

These live in evaluation, pointing at problems by string reference: problems never imports
evaluation (DESIGN.md section 3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def _money() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)])


class MarylandLevel(models.IntegerChoices):
    """The Maryland Scientific Methods Scale."""

    LEVEL_1 = 1, "Level 1: a correlation at one point in time"
    LEVEL_2 = 2, "Level 2: before and after in the target area, no comparison"
    LEVEL_3 = 3, "Level 3: before and after in target and comparison areas"
    LEVEL_4 = 4, "Level 4: several target and comparison areas, other factors controlled"
    LEVEL_5 = 5, "Level 5: random assignment to target and comparison"


class EvaluationDesign(models.Model):
    """A problem's before/after design. The target area is the problem's location and radius when
    it has them, otherwise `target_lsoa_codes` (or the problem's LSOA code). The comparison area
    is the listed LSOAs or, when none are listed, a ring from `comparison_inner_m` to
    `comparison_outer_m` around the problem's location. The displacement buffer is the ring from the
    target radius out to target radius + `buffer_m`."""

    problem = models.OneToOneField("problems.Problem", on_delete=models.CASCADE, related_name="evaluation_design")
    crime_types = models.JSONField(default=list, blank=True, help_text="Empty: every crime type.")
    response_start = models.DateField(help_text="The month the response began (its first day).")
    months_before = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    months_after = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(1), MaxValueValidator(36)])
    target_lsoa_codes = models.TextField("target LSOA codes", blank=True, help_text="One per line.")
    comparison_lsoa_codes = models.TextField("comparison LSOA codes", blank=True, help_text="One per line.")
    comparison_inner_m = models.PositiveIntegerField(
        "comparison ring from (metres)", null=True, blank=True, validators=[MaxValueValidator(50000)]
    )
    comparison_outer_m = models.PositiveIntegerField(
        "comparison ring to (metres)", null=True, blank=True, validators=[MaxValueValidator(50000)]
    )
    buffer_m = models.PositiveIntegerField(
        "displacement buffer width (metres)", null=True, blank=True, validators=[MaxValueValidator(20000)]
    )
    maryland_level = models.PositiveSmallIntegerField(
        choices=MarylandLevel.choices, null=True, blank=True, help_text="Empty: the level the design suggests."
    )
    maryland_reason = models.TextField(blank=True)
    # Months of the periods with no crime data held count as zero crimes. Until the analyst records
    # that they truly were zero (with the reason), or shortens the periods, no effect size is given
    # (evaluation.selectors.coverage).
    missing_months_are_zero = models.BooleanField(
        "the months with no data held truly had no crime",
        default=False,
        help_text="Tick only if you know these months had no crime of the chosen types in these areas.",
    )
    missing_months_reason = models.TextField("why the months with no data held count as zero", blank=True)
    # Costs of the response.
    officer_hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    officer_hourly_cost = _money()
    partner_hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    partner_hourly_cost = _money()
    money_spent = _money()
    costs_notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Evaluation design of problem {self.problem_id}"

    @staticmethod
    def code_list(text: str) -> list[str]:
        # Split on any whitespace, as the set-based crime change query does, so that codes typed
        # on one line count the same on the problem's page and in the impact report.
        return [code.upper() for code in text.split()]

    @property
    def target_lsoa_list(self) -> list[str]:
        return self.code_list(self.target_lsoa_codes)

    @property
    def comparison_lsoa_list(self) -> list[str]:
        return self.code_list(self.comparison_lsoa_codes)


class EmmieRating(models.IntegerChoices):
    NONE = 0, "No evidence"
    LIMITED = 1, "Limited"
    MODERATE = 2, "Moderate"
    STRONG = 3, "Strong"


EMMIE_PARTS: tuple[tuple[str, str], ...] = (
    ("effect", "Effect: did it reduce the problem, and by how much?"),
    ("mechanism", "Mechanism: how did it work?"),
    ("moderators", "Moderators: where and for whom did it work, or not?"),
    ("implementation", "Implementation: what helped or hindered delivery?"),
    ("economics", "Economics: what did it cost, against what it saved?"),
)


def _rating() -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(choices=EmmieRating.choices, null=True, blank=True)


class EmmieAssessment(models.Model):
    """EMMIE (Johnson, Tilley and Bowers) for a problem's response: free text and a rating each."""

    problem = models.OneToOneField("problems.Problem", on_delete=models.CASCADE, related_name="emmie")
    effect = models.TextField(blank=True)
    effect_rating = _rating()
    mechanism = models.TextField(blank=True)
    mechanism_rating = _rating()
    moderators = models.TextField(blank=True)
    moderators_rating = _rating()
    implementation = models.TextField(blank=True)
    implementation_rating = _rating()
    economics = models.TextField(blank=True)
    economics_rating = _rating()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"EMMIE of problem {self.problem_id}"

    def parts(self) -> list[dict[str, object]]:
        """Each part's label, text and rating label, for the panel and the printable summary."""
        result = []
        for name, label in EMMIE_PARTS:
            rating = getattr(self, f"{name}_rating")
            result.append(
                {
                    "name": name,
                    "label": label,
                    "text": getattr(self, name),
                    "rating": EmmieRating(rating).label if rating is not None else "Not rated",
                }
            )
        return result


class CrimeUnitCost(models.Model):
    """The cost to society of one crime of a type, with where the figure came from. Empty until an
    analyst enters a figure from a source they can cite: no figure is ever made up."""

    crime_type = models.CharField(max_length=80, unique=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(
        "price year", null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["crime_type"]

    def __str__(self) -> str:
        return self.crime_type
