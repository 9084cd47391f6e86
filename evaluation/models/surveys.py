"""Evaluation surveys: a survey owned by an organisation, its ordered questions (and their options),
and the responses with one answer row per question (one per chosen option for multiple choice).

Public responses carry no personal data: no user, no address, no browser identifier. The repeat
check and the rate limit keep their own rows (SurveySubmissionMark, SurveySubmissionAttempt) with
keyed digests only, so that a response can never be linked back to a browser or an address."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Audience(models.TextChoices):
    PUBLIC = "public", "Members of the public (by link, no account)"
    PARTNER = "partner", "Partners (signed in)"
    OFFICER = "officer", "Police officers (signed in)"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class QuestionKind(models.TextChoices):
    AGREEMENT = "agreement", "Five-point agreement scale"
    RATING = "rating", "Rating from 1 to 10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
# value_int holds the answer of these kinds: 1-5, 1-10, 1 (yes) / 0 (no).
SCALE_KINDS = frozenset({QuestionKind.AGREEMENT, QuestionKind.RATING, QuestionKind.YES_NO})
AGREEMENT_LABELS = {
    5: "Strongly agree",
    4: "Agree",
    3: "Neither agree nor disagree",
    2: "Disagree",
    1: "Strongly disagree",
}
YES_NO_LABELS = {1: "Yes", 0: "No"}


class Survey(models.Model):
    owner = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Shown at the top of the form.")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    problem = models.ForeignKey(
        "problems.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # Shown before the first demographic question (UK GDPR art. 9: consent for special-category data).
    consent_text = models.TextField(blank=True)
    # The shipped template it was built from ("trust_confidence"): rounds of one template are
    # compared over time, item by item (Question.item_key).
    template_key = models.CharField(max_length=40, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions"
    )
    # The unguessable part of the public link (secrets.token_urlsafe), set when a public survey is
    # published; null for signed-in audiences.
    public_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="survey_owner_status_idx"),
            models.Index(fields=["template_key", "neighbourhood", "opens_on"], name="survey_template_trend_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title if self.version == 1 else f"{self.title} (version {self.version})"

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    # Demographic questions come after the consent text and may feed seldom-heard coverage.
    demographic = models.BooleanField(default=False)
    # Number questions only: the accepted range.
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    # The template item this question asks ("good_job"), kept through copies for trends.
    item_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "order"], name="question_order_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    # Choosing this option counts as reaching the group (engagement's seldom-heard coverage).
    seldom_heard_group = models.ForeignKey(
        "partnerships.SeldomHeardGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField()
    # Copied from the survey when submitted: results and coverage filter by it without a join.
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Signed-in audiences only (answered once per user); always null for the public.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_time_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_once_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value_int = models.SmallIntegerField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    option = models.ForeignKey(QuestionOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value_text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "id"]
        indexes = [models.Index(fields=["question", "value_int"], name="answer_question_value_idx")]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class SurveySubmissionMark(models.Model):
    """A browser has answered this public survey: a keyed digest of a random cookie and the
    survey, never the cookie itself, and not linked to the response it sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "digest"], name="submission_mark_unique")]

    def __str__(self) -> str:
        return f"Submission mark for survey {self.survey_id}"


class SurveySubmissionAttempt(models.Model):
    """One public submission attempt from a client address (keyed digest), kept only for the
    length of the rate-limit window. In the database, not Redis: the public form must keep
    working when Redis is down, and a per-process cache would not limit across processes."""

    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["digest", "created_at"], name="submission_attempt_idx")]

    def __str__(self) -> str:
        return f"Attempt at {self.created_at:%Y-%m-%d %H:%M}"
