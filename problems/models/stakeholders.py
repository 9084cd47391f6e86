"""A problem's stakeholder map (issue 21): the power/interest map for one problem, its entries
linked to organisations and contacts; the triangle's controllers (problems.Controller) link to
the entries that stand for them. The partnership's own map is partnerships.StakeholderEntry; the
grid and the gaps are drawn by the same pure functions (partnerships.selectors.stakeholders)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from partnerships.models import EngagementStatus, StakeholderKind
from problems.models.disclosure import category_field


class ProblemStakeholder(models.Model):
    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(max_length=20, choices=StakeholderKind.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "partnerships.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="The group or role (for an organisation, optional).")
    influence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    interest = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    engagement_status = models.CharField(
        max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.NOT_ENGAGED
    )
    seldom_heard_group = models.ForeignKey(
        "partnerships.SeldomHeardGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    # Names people and organisations: "Names and contact details" unless its author chooses.
    data_category = category_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-influence", "-interest", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5) & Q(interest__gte=1, interest__lte=5),
                name="problem_stakeholder_scores_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(organisation__isnull=False),
                name="problem_stakeholder_organisation_named",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.contact_id is not None and self.contact is not None:
            return self.contact.name
        return str(self.organisation) if self.organisation_id else ""

    @property
    def is_seldom_heard(self) -> bool:
        return self.seldom_heard_group_id is not None

    @property
    def is_engaged(self) -> bool:
        return self.engagement_status != EngagementStatus.NOT_ENGAGED
