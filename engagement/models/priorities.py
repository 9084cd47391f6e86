"""Community priorities: what residents asked the neighbourhood team to work on, set at a meeting
or from a survey, and what was done about them ("You said, we did")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.concurrency import Versioned
from core.search import SearchPart, search_index


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ADOPTED = "adopted", "Adopted"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    NOT_ADOPTED = "not_adopted", "Not adopted"


# A priority in any of these statuses was adopted at some point, so it is published on the public
# "You said, we did" page: residents should see what happened to a priority after it was adopted
# (work in progress, and resolved ones), not only those still waiting. Proposed and not adopted
# ones are not published: they were never the team's commitment.
PUBLISHED_STATUSES: tuple[str, ...] = (PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS, PriorityStatus.RESOLVED)

# The moves a priority may make. A not-adopted priority may be proposed again (residents raise it
# again); a resolved one is finished (a new priority is set if the issue returns).
PRIORITY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PriorityStatus.PROPOSED: (PriorityStatus.ADOPTED, PriorityStatus.NOT_ADOPTED),
    PriorityStatus.ADOPTED: (PriorityStatus.IN_PROGRESS, PriorityStatus.RESOLVED),
    PriorityStatus.IN_PROGRESS: (PriorityStatus.RESOLVED,),
    PriorityStatus.NOT_ADOPTED: (PriorityStatus.PROPOSED,),
    PriorityStatus.RESOLVED: (),
}


class ChosenBy(models.TextChoices):
    MEETING_VOTE = "meeting_vote", "Vote at a meeting"
    MEETING_AGREEMENT = "meeting_agreement", "Agreed at a meeting without a vote"
    SURVEY = "survey", "Survey"
    OTHER = "other", "Other"


# The ways of choosing a priority at a meeting (its votes, its meeting): a priority chosen so is not
# also set from a survey's results.
CHOSEN_AT_A_MEETING: tuple[str, ...] = (ChosenBy.MEETING_VOTE, ChosenBy.MEETING_AGREEMENT)


# What the site search reads of a priority (core.search).
PRIORITY_SEARCH_PARTS = (
    SearchPart("issue", ("issue",), "A"),
    SearchPart("reason", ("not_adopted_reason",), "C"),
)


class CommunityPriority(Versioned):
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood", on_delete=models.PROTECT, related_name="community_priorities"
    )
    # `issue` and `issue_date` are published (police.uk's priority shape): no personal data.
    issue = models.TextField()
    issue_date = models.DateField()
    chosen_by = models.CharField("how it was chosen", max_length=30, choices=ChosenBy.choices)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_cast = models.PositiveIntegerField("votes cast in all", null=True, blank=True)
    event = models.ForeignKey(
        "engagement.EngagementEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
        help_text="The meeting at which it was set, if any.",
    )
    # Set from the survey's results page (evaluation.services.survey_priorities), which holds the
    # rules: a string reference, as engagement comes before evaluation.
    survey = models.ForeignKey(
        "evaluation.Survey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
        help_text="The survey whose results it was set from, if any.",
    )
    status = models.CharField(max_length=20, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED)
    adopted_on = models.DateField(null=True, blank=True)
    not_adopted_reason = models.TextField(blank=True)
    problems = models.ManyToManyField("problems.Problem", blank=True, related_name="community_priorities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name_plural = "community priorities"
        indexes = [
            models.Index(fields=["neighbourhood", "status"], name="priority_neighbourhood_status"),
            search_index(PRIORITY_SEARCH_PARTS, name="priority_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(votes_cast__isnull=True)
                | Q(votes_for__lte=models.F("votes_cast")),
                name="priority_votes_within_cast",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_adopted") | ~Q(not_adopted_reason=""), name="priority_not_adopted_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.issue if len(self.issue) <= 80 else f"{self.issue[:77]}..."

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return PRIORITY_TRANSITIONS[self.status]

    @property
    def can_become_problem(self) -> bool:
        """Only a priority the community adopted, and not yet resolved, is turned into a problem."""
        return self.status in (PriorityStatus.ADOPTED, PriorityStatus.IN_PROGRESS)


class PriorityAction(models.Model):
    """What was done about a priority, and when: the "we did". Published with the priority."""

    priority = models.ForeignKey(CommunityPriority, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    taken_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.taken_on:%d %B %Y}: {self.description[:60]}"
