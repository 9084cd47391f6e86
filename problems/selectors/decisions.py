"""Reads of the decision log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from partnerships.models import Organisation
from problems.models import DecisionLogEntry, Problem, ResponseAction, ReviewEntry, StageTransition

MAX_ID = 2**63 - 1


def decision_list_for_problem(*, problem: Problem) -> QuerySet[DecisionLogEntry]:
    """The problem's entries, oldest first, with their authors, joint partners and corrections:
    three queries however many entries (entries with author and corrected entry; partners;
    corrections)."""
    return (
        DecisionLogEntry.objects.filter(problem=problem)
        .select_related("author", "corrects")
        .prefetch_related(
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch("corrections", queryset=DecisionLogEntry.objects.order_by("created_at", "id")),
        )
        .order_by("created_at", "id")
    )


def decision_get_for_problem(*, problem: Problem, pk: object) -> DecisionLogEntry | None:
    """An entry of this problem's log (None for an entry of another problem, or a bad id)."""
    value = str(pk or "")
    # Only a whole number that fits the column reaches the database (a larger one would raise).
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        return None
    return DecisionLogEntry.objects.filter(problem=problem, pk=int(value)).first()


def problem_summary_queryset() -> QuerySet[Problem]:
    """Everything the printable summary shows, in a fixed number of queries: the problem with its
    category, organisation and people (one JOIN), then one query each for controllers, hypotheses,
    objectives, actions (with their organisations and people), reviews and stage moves (with who)."""
    return Problem.objects.select_related(
        "category", "owning_organisation", "owner", "created_by", "signed_off_by", "neighbourhood"
    ).prefetch_related(
        "controllers",
        "hypotheses",
        "objectives",
        Prefetch(
            "actions",
            queryset=ResponseAction.objects.select_related("responsible_organisation", "responsible_user"),
        ),
        Prefetch("reviews", queryset=ReviewEntry.objects.select_related("reviewed_by")),
        Prefetch("transitions", queryset=StageTransition.objects.select_related("by")),
    )
