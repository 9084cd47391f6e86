"""A problem worked through SARA: its record, scanning and analysis text, assessment text, stage
history and reviews. Parts with many rows (controllers, hypotheses, objectives, actions) are in
problems.models.sara; the National Decision Model log is in problems.models.decisions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.concurrency import Versioned
from core.search import SearchPart, search_index
from problems.models.disclosure import DisclosurePart, category_field


class ProblemCategory(models.Model):
    """Editable list (administrators): ASB, drugs, violence, burglary, vehicle crime, ..."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "problem categories"

    def __str__(self) -> str:
        return self.name


# How a problem with no neighbourhood is named on pages, CSVs, PDFs and reports (one wording).
NO_NEIGHBOURHOOD = "No neighbourhood recorded"


class Stage(models.TextChoices):
    SCANNING = "scanning", "Scanning"
    ANALYSIS = "analysis", "Analysis"
    RESPONSE = "response", "Response"
    ASSESSMENT = "assessment", "Assessment"
    CLOSED = "closed", "Closed"


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)
# The stages of an open problem (problems.selectors.problems.OPEN_STAGES), for the partial indexes:
# their condition is written exactly as the queries' `stage IN (...)`, so PostgreSQL uses them.
OPEN_STAGE_VALUES: tuple[str, ...] = tuple(stage for stage in STAGE_ORDER if stage != Stage.CLOSED)


class ProblemSource(models.TextChoices):
    COMMUNITY_REPORT = "community_report", "Community report"
    CRIME_DATA = "crime_data", "Crime data"
    PARTNER_REFERRAL = "partner_referral", "Partner referral"
    PUBLIC_MEETING = "public_meeting", "Public meeting"
    OTHER = "other", "Other"


class DemandSourceKind(models.TextChoices):
    """Who asked for the problem to be worked (the demand section of police problem-solving forms,
    the Metropolitan Police's among them). A problem has several (problems.ProblemDemandSource)."""

    WARD_PANEL = "ward_panel", "Ward panel"
    RESIDENT_COMPLAINT = "resident_complaint", "Resident complaint"
    BUSINESS = "business", "Business"
    COUNCILLOR = "councillor", "Councillor"
    PARTNER_REFERRAL = "partner_referral", "Partner referral"
    DATA_ANALYSIS = "data_analysis", "Data analysis"
    OFFICER_OBSERVATION = "officer_observation", "Officer observation"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# What the site search reads of a problem (core.search). The parts that can hold personal data are
# named after their disclosure part: a partner searches them only where its share discloses them
# (problems.selectors.search). The assessment text is shown to every viewer of the problem.
PROBLEM_SEARCH_PARTS = (
    SearchPart("title", ("reference", "title"), "A"),
    SearchPart(DisclosurePart.DESCRIPTION, ("description",), "B"),
    SearchPart(
        DisclosurePart.STATEMENT,
        (
            "problem_statement",
            "cheers_community",
            "cheers_harm",
            "cheers_expectation",
            "cheers_events",
            "cheers_recurring",
            "cheers_similarity",
            "evidence_sources",
        ),
        "C",
    ),
    SearchPart(DisclosurePart.TRIANGLE, ("pat_offender", "pat_victim", "pat_location"), "D"),
    SearchPart("assessment", ("process_evaluation", "displacement", "diffusion_of_benefits", "lessons_learned"), "D"),
)


class Problem(Versioned):
    """`lock_version` (core.concurrency): the record's details and its scanning, analysis and
    assessment text are saved only over the version their editor saw."""

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    description_category = category_field("data category of the description")
    category = models.ForeignKey(ProblemCategory, on_delete=models.PROTECT, related_name="problems")
    owning_organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="problems"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_problems")
    # The lead agency when a partner leads (the council on fly-tipping, say); empty: the owning
    # force leads. A partner's lead lasts only while it holds a contribute share in force
    # (problems.selectors.access), so sharing still needs a covering agreement.
    lead_organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name="lead agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_problems",
    )
    # One of the owning force's neighbourhoods (reference data kept by administrators), so that
    # every report by neighbourhood finds the problem. Empty only for a problem logged before the
    # list existed with no neighbourhood typed: reports show those on a line of their own.
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood",
        verbose_name="neighbourhood or ward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    address = models.CharField(max_length=250, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_m = models.PositiveIntegerField(
        "radius (metres)", null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(20000)]
    )
    source = models.CharField(max_length=30, choices=ProblemSource.choices)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    # A restricted problem is seen only by its owner, the owning force's supervisors and the named
    # users (DESIGN.md section 4).
    restricted = models.BooleanField(default=False)
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="named_on_problems")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SCANNING)
    opened_on = models.DateField()
    next_review_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The demand (who asked for the problem to be worked: its sources are ProblemDemandSource rows)
    # and the problem as first reported, recorded when it is logged. Both may name people (the
    # resident who complained, the people complained of): they have a data category of their own.
    demand_note = models.TextField("demand notes", blank=True)
    perceived_problem = models.TextField("the perceived problem (as first reported)", blank=True)
    demand_category = category_field("data category of the demand notes and the perceived problem")

    # Scanning.
    problem_statement = models.TextField(blank=True)
    # The problem as defined once it has been looked into (in the statement's data category).
    defined_problem = models.TextField("the defined problem (after analysis)", blank=True)
    cheers_community = models.TextField("Community: who in the community is affected?", blank=True)
    cheers_harm = models.TextField("Harm: what harm does it cause?", blank=True)
    cheers_expectation = models.TextField("Expectation: do people expect the police to act?", blank=True)
    cheers_events = models.TextField("Events: what events or incidents make it up?", blank=True)
    cheers_recurring = models.TextField("Recurring: does it keep happening?", blank=True)
    cheers_similarity = models.TextField("Similarity: what do the events have in common?", blank=True)
    evidence_sources = models.TextField(blank=True)
    statement_category = category_field("data category of the problem statement and CHEERS answers")

    # Analysis: the problem analysis triangle (its controllers are problems.Controller rows).
    pat_offender = models.TextField("offender: what is known", blank=True)
    pat_victim = models.TextField("victim or target: what is known", blank=True)
    pat_location = models.TextField("location: what is known", blank=True)
    data_sources_used = models.TextField(blank=True)
    triangle_category = category_field("data category of the problem analysis triangle")

    # Aims (OSARA, with the objectives): what those asking want, what the team aims for once the
    # problem is defined, and how it will be evaluated.
    perceived_aim = models.TextField("the perceived aim", blank=True)
    defined_aim = models.TextField("the defined aim", blank=True)
    aim_evaluation = models.TextField("how it will be evaluated", blank=True)

    # Assessment (each objective's result is on the objective).
    process_evaluation = models.TextField("was the response delivered as planned?", blank=True)
    displacement = models.TextField("displacement", blank=True)
    diffusion_of_benefits = models.TextField("diffusion of benefits", blank=True)
    lessons_learned = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    # Retention (problems.services.retention): set when the problem is closed, moved on by a
    # "retain" review; the date its retention falls due for review (MOPI style).
    retention_review_date = models.DateField(null=True, blank=True)
    # Set when the problem's personal data was erased: from then on only its metadata record
    # (problems.ProblemDisposal) is kept, and nothing can change it again.
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["owning_organisation", "stage"], name="problem_org_stage_idx"),
            # The problem list's order within a force: a page is read in order from here and stops
            # after its rows, instead of sorting every problem the user may see.
            models.Index(fields=["owning_organisation", "-opened_on", "-id"], name="problem_org_opened_idx"),
            models.Index(fields=["stage", "next_review_date"], name="problem_review_due_idx"),
            # The home pages' panels, each read in the order it shows and stopped after its rows
            # (problems.selectors.problems), so a home page costs the same for 10 problems as for
            # 80,000: "My problems" by stage, soonest review first (also the owner's lookups);
            # their "Reviews due"; the force's overdue reviews; the assessments awaiting sign-off.
            models.Index(fields=["owner", "stage", "next_review_date", "id"], name="problem_owner_stage_review_idx"),
            models.Index(
                fields=["owner", "next_review_date", "id"],
                condition=models.Q(stage__in=OPEN_STAGE_VALUES),
                name="problem_owner_review_idx",
            ),
            models.Index(
                fields=["owning_organisation", "next_review_date", "id"],
                condition=models.Q(stage__in=OPEN_STAGE_VALUES),
                name="problem_org_review_idx",
            ),
            models.Index(
                fields=["owning_organisation", "updated_at", "id"],
                condition=models.Q(stage="assessment", signed_off_at__isnull=True),
                name="problem_org_sign_off_idx",
            ),
            # Retention reviews due, by force (problems.selectors.retention): closed, not disposed.
            models.Index(
                fields=["owning_organisation", "retention_review_date"],
                condition=models.Q(disposed_at__isnull=True, retention_review_date__isnull=False),
                name="problem_retention_due_idx",
            ),
            search_index(PROBLEM_SEARCH_PARTS, name="problem_search_idx"),
        ]
        # Granted on a partner organisation's group while a share with it is active (guardian).
        permissions = [("contribute_problem", "Can contribute to a shared problem")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None

    @property
    def disposed_label(self) -> str:
        """How a disposed problem is named wherever it is listed (its title is replaced by this)."""
        if self.disposed_at is None:
            return ""
        return disposed_label(self.disposed_at)

    @property
    def neighbourhood_label(self) -> str:
        """The neighbourhood's name, or NO_NEIGHBOURHOOD (select_related("neighbourhood") on lists)."""
        neighbourhood = self.neighbourhood if self.neighbourhood_id is not None else None
        return neighbourhood.name if neighbourhood is not None else NO_NEIGHBOURHOOD


def disposed_label(disposed_at: datetime.datetime) -> str:
    """ "Disposed on 7 December 2026: metadata only": the one wording, on every page and list."""
    day = timezone.localtime(disposed_at).date()
    return f"Disposed on {day.day} {day:%B %Y}: metadata only"


class ProblemDemandSource(models.Model):
    """One source of the demand for a problem (several per problem, each kind once). Rows rather
    than an array column, so that the SQLite default runs too and reports can count by kind."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="demand_sources")
    kind = models.CharField(max_length=30, choices=DemandSourceKind.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["problem", "kind"], name="problem_demand_source_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class TransitionKind(models.TextChoices):
    ADVANCE = "advance", "Moved on"
    REOPEN = "reopen", "Reopened"
    # The supervisor's sign-off of the assessment, with their note (the stage does not change).
    SIGN_OFF = "sign_off", "Signed off"


class StageTransition(models.Model):
    """Every move between stages: who, when, from, to, and the note (a reopening's reason)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=10, choices=TransitionKind.choices)
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem.reference}: {self.from_stage} → {self.to_stage}"


class StageInterval(models.Model):
    """A finished stay of a problem in a stage: entered when the problem reached the stage (its
    previous move, or when it was logged), left at the move that ended it. Written with each move
    by the stage services (problems.services.stages), and derived wholly from the transitions
    (problems.services.stage_intervals rebuilds them), so that the impact report's "time in each
    stage" reads the stays of a period from an index instead of replaying every transition of
    every problem in the area (benchmarks/test_impact_report.py). A sign-off is not a move (the
    stage does not change) and ends no stay; stays in "closed" (ended by a reopening) are kept
    like any other and left out by the report."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="stage_intervals")
    # The move that ended the stay (one stay per move).
    transition = models.OneToOneField(StageTransition, on_delete=models.CASCADE, related_name="ended_interval")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField()

    class Meta:
        ordering = ["left_at", "id"]
        # The report's period: the stays that ended in it.
        indexes = [models.Index(fields=["left_at"], name="stage_interval_left_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.stage} {self.entered_at:%Y-%m-%d} to {self.left_at:%Y-%m-%d}"


class ReviewEntry(models.Model):
    """A review of an open problem: by whom, notes, and the next review date it set."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField()
    next_review_date = models.DateField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name_plural = "review entries"

    def __str__(self) -> str:
        return f"Review of {self.problem.reference} on {self.reviewed_at:%d %b %Y}"
