"""Engagement events: meetings, patrols, visits, posts and drop-ins, logged by the neighbourhood team.

An event records who was there only in aggregate (a head count, or reach for social media), the
organisations present and the seldom-heard groups represented: never the names of residents, so
that engagement records hold no personal data about the public."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.search import SearchPart, search_index


class EventKind(models.TextChoices):
    PUBLIC_MEETING = "public_meeting", "Public meeting"
    PACT_MEETING = "pact_meeting", "PACT meeting"
    STREET_BRIEFING = "street_briefing", "Street briefing"
    VISIBLE_PATROL = "visible_patrol", "Visible patrol"
    SCHOOL_VISIT = "school_visit", "School visit"
    COMMUNITY_GROUP_VISIT = "community_group_visit", "Faith or community group visit"
    PARTNER_MEETING = "partner_meeting", "Partner meeting"
    SOCIAL_MEDIA = "social_media", "Social-media post or live session"
    SURVEY_DROP_IN = "survey_drop_in", "Survey drop-in"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    SOCIAL_MEDIA = "social_media", "Social media"


# What the site search reads of an event (core.search).
EVENT_SEARCH_PARTS = (
    SearchPart("place", ("place",), "A"),
    SearchPart("issues", ("issues_raised",), "B"),
)


class EngagementEvent(models.Model):
    neighbourhood = models.ForeignKey(
        "partnerships.Neighbourhood", on_delete=models.PROTECT, related_name="engagement_events"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    held_on = models.DateField("date")
    start_time = models.TimeField("time", null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    # Where it was held, for the engagement map (set by pointing on the form's map, or typed).
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
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    # Head count for events in person or online; reach (people who saw it) for social media.
    attendees = models.PositiveIntegerField("number of attendees or reach", null=True, blank=True)
    organisations_present = models.ManyToManyField(
        "partnerships.Organisation", blank=True, related_name="engagement_events"
    )
    groups_represented = models.ManyToManyField(
        "partnerships.SeldomHeardGroup", blank=True, related_name="engagement_events"
    )
    issues_raised = models.TextField(blank=True)
    problems = models.ManyToManyField("problems.Problem", blank=True, related_name="engagement_events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-start_time", "-pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "held_on"], name="event_neighbourhood_date"),
            search_index(EVENT_SEARCH_PARTS, name="event_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(attendees__isnull=True) | Q(attendees__gte=0), name="event_attendees_0")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.neighbourhood}, {self.held_on:%d %B %Y}"

    @property
    def attendees_label(self) -> str:
        return "Reach" if self.channel == Channel.SOCIAL_MEDIA else "Attendees"
