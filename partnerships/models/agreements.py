"""Information-sharing agreements (ISAs), under the headings of the ICO data sharing code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.concurrency import Versioned
from core.search import SearchPart, search_index


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


# An agreement under review is still in force until it expires or is terminated: reviewing an
# agreement does not stop the sharing it allows.
IN_FORCE_STATUSES = (AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW)


class ControllerRole(models.TextChoices):
    JOINT = "joint", "Joint controller"
    SEPARATE = "separate", "Separate (independent) controller"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1); law-enforcement processing uses DPA 2018 Part 3 instead."""

    CONSENT = "consent", "Consent (Article 6(1)(a))"
    CONTRACT = "contract", "Contract (Article 6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (Article 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (Article 6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task (Article 6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Article 6(1)(f))"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement purposes (DPA 2018 Part 3)"


def agreement_document_path(instance: Agreement, filename: str) -> str:
    # Never served from MEDIA_URL: only through the permission-checked download view.
    return f"agreements/{instance.reference}-v{instance.version}.pdf"


# What the site search reads of an agreement (core.search).
AGREEMENT_SEARCH_PARTS = (
    SearchPart("title", ("reference", "title"), "A"),
    SearchPart("purpose", ("purpose",), "B"),
    SearchPart("data", ("data_items", "dpia_reference"), "C"),
)


class Agreement(Versioned):
    """One version of an information-sharing agreement. An amendment is a new row with the same
    reference and the next version number; earlier versions stay readable. (`version` is the
    amendment's number; `lock_version`, from core.concurrency, counts saved edits of this row.)"""

    reference = models.CharField(max_length=30, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # A foreign key, not one-to-one: an abandoned (terminated) draft amendment must not stop the
    # agreement it amended from being amended again.
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    # ICO data sharing code headings.
    purpose = models.TextField(blank=True)
    data_categories = models.ManyToManyField("partnerships.DataCategory", blank=True, related_name="agreements")
    data_items = models.TextField("data items", blank=True, help_text="The fields or records shared, in detail.")
    special_category_conditions = models.TextField(
        "special category and criminal offence data conditions",
        blank=True,
        help_text="UK GDPR Article 9 and 10 conditions and DPA 2018 Schedule 1 conditions, where such data is shared.",
    )
    part3_conditions = models.TextField(
        "DPA 2018 Part 3 conditions",
        blank=True,
        help_text="Where a party processes for law-enforcement purposes: the section 35 conditions relied on.",
    )
    dpia_reference = models.CharField("DPIA reference", max_length=100, blank=True)
    retention_and_deletion = models.TextField(blank=True)
    security_measures = models.TextField(blank=True)
    individuals_rights = models.TextField("individuals' rights", blank=True)
    subject_access_contact = models.CharField("subject access request contact", max_length=200, blank=True)
    sharing_frequency = models.CharField("sharing dates or frequency", max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to=agreement_document_path, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["reference", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["reference", "version"], name="agreement_reference_version_unique"),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(expiry_date__gte=models.F("start_date")),
                name="agreement_expiry_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expiry_date"], name="agreement_status_expiry_idx"),
            models.Index(fields=["status", "review_date"], name="agreement_status_review_idx"),
            search_index(AGREEMENT_SEARCH_PARTS, name="agreement_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} v{self.version}: {self.title}"


class AgreementParty(Versioned):
    """An organisation that is party to an agreement, its role and legal basis, and its sign-off."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    controller_role = models.CharField(max_length=20, choices=ControllerRole.choices, blank=True)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    legal_power = models.TextField(
        blank=True, help_text="The statutory power to share, for example Crime and Disorder Act 1998 s.115."
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signatory_name = models.CharField(max_length=150, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "agreement"], name="agreement_party_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.agreement}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
