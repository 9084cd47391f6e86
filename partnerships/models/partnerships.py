"""Named partnerships, their dated members, and stakeholder maps."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class ModelOfWorking(models.TextChoices):
    # Different things, kept apart on purpose (DESIGN.md section 2): consultation or one-way
    # information sharing is not co-production.
    CONSULTATION = "consultation", "Consultation"
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    JOINT_PROBLEM_SOLVING = "joint_problem_solving", "Joint problem-solving"
    CO_PRODUCTION = "co_production", "Co-production"


MODEL_OF_WORKING_HELP = {
    ModelOfWorking.CONSULTATION: "The police ask partners or residents for views; the police decide and act.",
    ModelOfWorking.INFORMATION_SHARING: "Partners exchange information under an agreement; each acts on its own.",
    ModelOfWorking.JOINT_PROBLEM_SOLVING: (
        "Partners define problems together and each delivers part of a shared response."
    ),
    ModelOfWorking.CO_PRODUCTION: (
        "Residents and partners share power: they design, decide and deliver with the police."
    ),
}


class MeetingCadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AS_NEEDED = "as_needed", "As needed"


class Partnership(models.Model):
    """A named partnership, for example a Community Safety Partnership."""

    name = models.CharField(max_length=150, unique=True)
    area = models.CharField(max_length=150, blank=True)
    model_of_working = models.CharField(max_length=30, choices=ModelOfWorking.choices)
    terms_of_reference = models.TextField(blank=True)
    meeting_cadence = models.CharField(max_length=20, choices=MeetingCadence.choices, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipMembership(models.Model):
    """An organisation's membership of a partnership, between two dates."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation", "joined_on"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class SeldomHeardGroup(models.Model):
    """Reference list of seldom-heard groups (DESIGN.md section 2); administrators may add more."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StakeholderKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    COMMUNITY_GROUP = "community_group", "Community group"
    NAMED_ROLE = "named_role", "Named role"


class EngagementStatus(models.TextChoices):
    NOT_ENGAGED = "not_engaged", "Not yet engaged"
    INFORMED = "informed", "Informed"
    CONSULTED = "consulted", "Consulted"
    INVOLVED = "involved", "Involved"
    COLLABORATING = "collaborating", "Collaborating"


class PatController(models.TextChoices):
    """Controllers of the problem analysis triangle."""

    HANDLER = "handler", "Handler (of offenders)"
    GUARDIAN = "guardian", "Guardian (of victims or targets)"
    MANAGER = "manager", "Manager (of places)"


class StakeholderEntry(models.Model):
    """One stakeholder on a partnership's map. (A problem's map will live in `problems`.)"""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(max_length=20, choices=StakeholderKind.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="The group or role (for an organisation, optional).")
    influence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    interest = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    engagement_status = models.CharField(
        max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.NOT_ENGAGED
    )
    seldom_heard_group = models.ForeignKey(
        SeldomHeardGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="stakeholder_entries"
    )
    pat_controller = models.CharField(
        "problem analysis triangle controller", max_length=20, choices=PatController.choices, blank=True
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-influence", "-interest", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"),
            models.CheckConstraint(condition=Q(interest__gte=1, interest__lte=5), name="stakeholder_interest_1_5"),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(organisation__isnull=False),
                name="stakeholder_organisation_named",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == StakeholderKind.ORGANISATION and self.organisation_id and not self.name:
            return str(self.organisation)
        return self.name

    @property
    def is_seldom_heard(self) -> bool:
        return self.seldom_heard_group_id is not None
