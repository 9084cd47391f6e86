"""Subject-access search (UK GDPR Art. 15, DPA 2018 s.45): where a name or identifier appears in
the free text of the data protection officer's force's records.

One selector per kind of record, each with the force's scope built in; each runs one query (its
text fields OR-ed together), so a search costs the same number of queries whatever it finds. The
match is case-insensitive (`icontains`: UPPER(..) LIKE UPPER(..) on PostgreSQL, LIKE on SQLite,
both portable); on PostgreSQL the largest free-text columns carry trigram indexes (migration
0002) that serve it. Each hit names the kind of record, its reference and link, the field and a
short snippet around the match."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engagement.models import CommunityPriority, EngagementEvent, PlanAction, PlanContribution, SafetyPlan
from evaluation.models import Answer
from problems.models import DecisionLogEntry, Problem, ProblemUpdate, ResponseAction, ReviewEntry

# More rows than this of one kind of record: the search says so and asks for a narrower term.
ROWS_PER_KIND = 200
SNIPPET_RADIUS = 60
TERM_MIN_LENGTH = 2
TERM_MAX_LENGTH = 200


@dataclass(frozen=True)
class Match:
    """One field of one record in which the term appears."""

    kind: str
    reference: str
    link: str
    field: str
    before: str
    matched: str
    after: str
    when: Any
    target_type: str
    target_id: str

    @property
    def snippet(self) -> str:
        return f"{self.before}{self.matched}{self.after}"


@dataclass
class SearchResult:
    term: str
    # Rows of one kind of record shown at most (ROWS_PER_KIND when searched).
    limit: int = 0
    matches: list[Match] = field(default_factory=list)
    # Kinds of record with more than ROWS_PER_KIND matching rows (only the first are shown).
    truncated: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(match.kind for match in self.matches)

    @property
    def kinds(self) -> list[tuple[str, int]]:
        """(kind of record, places found), in the order of the sources: for the page."""
        return list(self.counts.items())

    @property
    def records(self) -> list[str]:
        """The records found, as "<type>:<id>", each once: for the audit event."""
        return list(dict.fromkeys(f"{m.target_type}:{m.target_id}" for m in self.matches))


def snippet(text: str, term: str) -> tuple[str, str, str] | None:
    """(before, match, after) around the first case-insensitive occurrence of `term` in `text`,
    SNIPPET_RADIUS characters either side, cut at a space and marked with an ellipsis."""
    found = re.search(re.escape(term), text, re.IGNORECASE)
    if found is None:
        return None
    start, end = found.span()
    before = text[max(0, start - SNIPPET_RADIUS) : start]
    after = text[end : end + SNIPPET_RADIUS]
    if start > SNIPPET_RADIUS:
        before = "…" + (before.split(" ", 1)[1] if " " in before else before)
    if end + SNIPPET_RADIUS < len(text):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return _one_line(before), _one_line(text[start:end]), _one_line(after)


def _one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space (the spaces next to the match are kept)."""
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Source:
    """A kind of record: its model, the force's scope, its text fields and how to name a row."""

    kind: str
    model: type[models.Model]
    scope: Callable[[int], Q]
    fields: tuple[str, ...]
    # The columns `describe` reads, besides the text fields.
    columns: tuple[str, ...]
    # (reference, link, when) of a row.
    describe: Callable[[dict[str, Any]], tuple[str, str, Any]]
    # A field's name for people, where its verbose name does not say it (a row's own, if callable).
    labels: dict[str, str | Callable[[dict[str, Any]], str]] = field(default_factory=dict)

    def label(self, name: str, row: dict[str, Any]) -> str:
        given = self.labels.get(name)
        if callable(given):
            return given(row)
        verbose = given or str(self.model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        return verbose[:1].upper() + verbose[1:]

    def rows(self, *, force_id: int, term: str, limit: int) -> list[dict[str, Any]]:
        condition = reduce(or_, (Q(**{f"{name}__icontains": term}) for name in self.fields))
        query = self.model._default_manager.filter(self.scope(force_id)).filter(condition)
        return list(query.order_by("-pk").values("pk", *self.fields, *self.columns)[: limit + 1])

    def search(self, *, force_id: int, term: str, into: SearchResult) -> None:
        rows = self.rows(force_id=force_id, term=term, limit=into.limit)
        if len(rows) > into.limit:
            into.truncated.append(self.kind)
            rows = rows[: into.limit]
        target_type = self.model._meta.label_lower
        for row in rows:
            reference, link, when = self.describe(row)
            for name in self.fields:
                parts = snippet(str(row[name] or ""), term)
                if parts is None:
                    continue
                into.matches.append(
                    Match(
                        kind=self.kind,
                        reference=reference,
                        link=link,
                        field=self.label(name, row),
                        before=parts[0],
                        matched=parts[1],
                        after=parts[2],
                        when=when,
                        target_type=target_type,
                        target_id=str(row["pk"]),
                    )
                )


def _problem_link(pk: int) -> str:
    return reverse("problem-detail", kwargs={"pk": pk})


def _local(value: Any) -> Any:
    return timezone.localtime(value) if isinstance(value, datetime.datetime) else value


def _of_problem(when: str) -> Callable[[dict[str, Any]], tuple[str, str, Any]]:
    """Name a row of a problem's part by the problem's reference and page."""
    return lambda row: (row["problem__reference"], _problem_link(row["problem_id"]), _local(row[when]))


# --- the sources, one per kind of record ---------------------------------------------------------

PROBLEM_TEXT_FIELDS = (
    "reference",
    "title",
    "description",
    "address",
    "demand_note",
    "perceived_problem",
    "problem_statement",
    "defined_problem",
    "cheers_community",
    "cheers_harm",
    "cheers_expectation",
    "cheers_events",
    "cheers_recurring",
    "cheers_similarity",
    "evidence_sources",
    "pat_offender",
    "pat_victim",
    "pat_location",
    "data_sources_used",
    "perceived_aim",
    "defined_aim",
    "aim_evaluation",
    "process_evaluation",
    "displacement",
    "diffusion_of_benefits",
    "lessons_learned",
)

PROBLEMS = Source(
    kind="Problem",
    model=Problem,
    scope=lambda force_id: Q(owning_organisation_id=force_id),
    fields=PROBLEM_TEXT_FIELDS,
    columns=("opened_on",),
    # The reference is a text field (searched for), so `describe` reads it from the row.
    describe=lambda row: (row["reference"], _problem_link(row["pk"]), row["opened_on"]),
)

PROBLEM_UPDATES = Source(
    kind="Problem update",
    model=ProblemUpdate,
    scope=lambda force_id: Q(problem__owning_organisation_id=force_id),
    fields=("text",),
    columns=("problem_id", "problem__reference", "created_at"),
    describe=_of_problem("created_at"),
    labels={"text": "Update"},
)

DECISIONS = Source(
    kind="Decision",
    model=DecisionLogEntry,
    scope=lambda force_id: Q(problem__owning_organisation_id=force_id),
    fields=(
        "information",
        "threat_and_risk",
        "powers_and_policy",
        "options",
        "decision_and_action",
        "review",
        "code_of_ethics",
    ),
    columns=("problem_id", "problem__reference", "created_at"),
    describe=_of_problem("created_at"),
)

REVIEWS = Source(
    kind="Problem review",
    model=ReviewEntry,
    scope=lambda force_id: Q(problem__owning_organisation_id=force_id),
    fields=("notes",),
    columns=("problem_id", "problem__reference", "reviewed_at"),
    describe=_of_problem("reviewed_at"),
)

RESPONSE_ACTIONS = Source(
    kind="Response action",
    model=ResponseAction,
    scope=lambda force_id: Q(problem__owning_organisation_id=force_id),
    fields=("description", "responsible_person", "cancel_reason"),
    columns=("problem_id", "problem__reference", "due_date"),
    describe=_of_problem("due_date"),
)


def _event(row: dict[str, Any]) -> tuple[str, str, Any]:
    reference = f"Engagement event, {row['neighbourhood__name']}, {row['held_on']:%d %b %Y}"
    return reference, reverse("event-detail", kwargs={"pk": row["pk"]}), row["held_on"]


ENGAGEMENT_EVENTS = Source(
    kind="Engagement event",
    model=EngagementEvent,
    scope=lambda force_id: Q(neighbourhood__organisation_id=force_id),
    fields=("place", "issues_raised"),
    columns=("neighbourhood__name", "held_on"),
    describe=_event,
)

PRIORITIES = Source(
    kind="Community priority",
    model=CommunityPriority,
    scope=lambda force_id: Q(neighbourhood__organisation_id=force_id),
    fields=("issue",),
    columns=("neighbourhood__name", "issue_date"),
    describe=lambda row: (
        f"Priority, {row['neighbourhood__name']}",
        reverse("priority-detail", kwargs={"pk": row["pk"]}),
        row["issue_date"],
    ),
)

SAFETY_PLANS = Source(
    kind="Safety plan",
    model=SafetyPlan,
    scope=lambda force_id: Q(neighbourhood__organisation_id=force_id),
    fields=("title", "place", "aims"),
    columns=("neighbourhood__name", "created_at"),
    describe=lambda row: (
        f"Safety plan, {row['neighbourhood__name']}",
        reverse("plan-detail", kwargs={"pk": row["pk"]}),
        _local(row["created_at"]),
    ),
)


def _plan_part(row: dict[str, Any]) -> tuple[str, str, Any]:
    reference = f"Safety plan “{row['plan__title']}”"
    return reference, reverse("plan-detail", kwargs={"pk": row["plan_id"]}), _local(row["created_at"])


PLAN_CONTRIBUTIONS = Source(
    kind="Safety plan contribution",
    model=PlanContribution,
    scope=lambda force_id: Q(plan__neighbourhood__organisation_id=force_id),
    fields=("name", "contribution"),
    columns=("plan_id", "plan__title", "created_at"),
    describe=_plan_part,
)

PLAN_ACTIONS = Source(
    kind="Safety plan action",
    model=PlanAction,
    scope=lambda force_id: Q(plan__neighbourhood__organisation_id=force_id),
    fields=("name", "description"),
    columns=("plan_id", "plan__title", "created_at"),
    describe=_plan_part,
)

SURVEY_ANSWERS = Source(
    kind="Survey answer",
    model=Answer,
    # Surveys the force runs (their answers are its records, whoever answered).
    scope=lambda force_id: Q(response__survey__owner_id=force_id),
    fields=("value_text",),
    columns=("response__survey_id", "response__survey__title", "response__submitted_at", "question__text"),
    labels={"value_text": lambda row: f"Answer to “{row['question__text']}”"},
    describe=lambda row: (
        f"Survey “{row['response__survey__title']}”, response {row['response__submitted_at']:%d %b %Y}",
        reverse("survey-results", kwargs={"pk": row["response__survey_id"]}),
        _local(row["response__submitted_at"]),
    ),
)

SOURCES: tuple[Source, ...] = (
    PROBLEMS,
    PROBLEM_UPDATES,
    DECISIONS,
    REVIEWS,
    RESPONSE_ACTIONS,
    ENGAGEMENT_EVENTS,
    PRIORITIES,
    SAFETY_PLANS,
    PLAN_CONTRIBUTIONS,
    PLAN_ACTIONS,
    SURVEY_ANSWERS,
)


def subject_access_search(*, user: Any, term: str, sources: Iterable[Source] = SOURCES) -> SearchResult:
    """Every place in the records of `user`'s force where `term` appears (one query per kind of
    record). The caller has checked that `user` may search (selectors.access)."""
    result = SearchResult(term=term, limit=ROWS_PER_KIND)
    for source in sources:
        source.search(force_id=user.organisation_id, term=term, into=result)
    return result
