"""Reads of the decision log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role
from core.access import get_visible_or_404
from partnerships.models import Organisation
from problems.models import (
    DecisionConfirmation,
    DecisionLogEntry,
    DisclosurePart,
    Problem,
    ResponseAction,
    ReviewEntry,
    StageTransition,
)
from problems.selectors.access import decision_confirm_refusal, problems_visible_to
from problems.selectors.disclosure import disclosed_rows, disclosure_for

if TYPE_CHECKING:
    from accounts.models import User

MAX_ID = 2**63 - 1


def decision_list_for_problem(*, problem: Problem) -> QuerySet[DecisionLogEntry]:
    """The problem's entries, oldest first, with their authors, joint partners, corrections and
    the partners' confirmations: four queries however many entries (entries with author and
    corrected entry; partners; corrections; confirmations with who confirmed)."""
    return (
        DecisionLogEntry.objects.filter(problem=problem)
        .select_related("author", "corrects")
        .prefetch_related(
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch("corrections", queryset=DecisionLogEntry.objects.order_by("created_at", "id")),
            Prefetch("confirmations", queryset=DecisionConfirmation.objects.select_related("confirmed_by")),
        )
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class JointPartner:
    """A partner organisation named on a joint decision, and its confirmation if it has given it."""

    organisation: Organisation
    confirmation: DecisionConfirmation | None


@dataclass(frozen=True)
class DecisionRow:
    """An entry of the log as the page shows it: its named partners with their confirmations, and
    whether the user looking may confirm it now (for their organisation)."""

    entry: DecisionLogEntry
    partners: list[JointPartner]
    can_confirm: bool


def decision_log_rows(*, entries: Iterable[DecisionLogEntry], user: User | None = None) -> list[DecisionRow]:
    """The rows of `entries` (from decision_list_for_problem, whose prefetches this reads: no
    query beyond its own). `user` is someone who may see the problem (the page has checked), or
    None where nobody confirms (the printable summary)."""
    rows = []
    for entry in entries:
        confirmations = {confirmation.organisation_id: confirmation for confirmation in entry.confirmations.all()}
        partners = [JointPartner(o, confirmations.get(o.pk)) for o in entry.partner_organisations.all()]
        can_confirm = (
            user is not None
            and user.is_authenticated
            and decision_confirm_refusal(user, entry) is None
            and user.organisation_id not in confirmations
        )
        rows.append(DecisionRow(entry=entry, partners=partners, can_confirm=can_confirm))
    return rows


@dataclass(frozen=True)
class DecisionLog:
    """A problem's decision log as one viewer may read it: its rows, and the note of what the
    viewer's share withholds ("" when nothing is)."""

    rows: list[DecisionRow]
    withheld: str


def decision_log_for(*, user: User, problem: Problem) -> DecisionLog:
    """The log of `problem` for `user`, who may see it (the page has checked): the queries of
    decision_list_for_problem, and for a partner the categories its share discloses."""
    decisions = disclosure_for(user=user, problem=problem).split(
        DisclosurePart.DECISION, decision_list_for_problem(problem=problem)
    )
    return DecisionLog(rows=decision_log_rows(entries=decisions.entries, user=user), withheld=decisions.note)


def decision_get_for_user(*, user: User, pk: object, action: str = "view") -> DecisionLogEntry:
    """An entry of a problem the user may see now, with its problem (else 404: an outsider learns
    nothing about what exists); with action "confirm", one they may confirm (else 403 saying why:
    decision_confirm_refusal)."""
    if action not in ("view", "confirm"):
        raise ValueError(f"Unknown action {action!r}")
    visible = DecisionLogEntry.objects.filter(problem__in=problems_visible_to(user)).select_related("problem")
    entry = get_visible_or_404(visible, pk=pk)
    # An entry in a category the user's share does not disclose is not theirs to see, nor to confirm.
    if not disclosure_for(user=user, problem=entry.problem).entry(DisclosurePart.DECISION, entry):
        raise Http404
    if action == "confirm":
        refusal = decision_confirm_refusal(user, entry)
        if refusal is not None:
            raise PermissionDenied(refusal)
    return entry


def decision_list_awaiting_confirmation_by(*, user: User) -> QuerySet[DecisionLogEntry]:
    """For a partner lead: the joint decisions that name their organisation, on problems they may
    see now, that their organisation has not confirmed yet, oldest first, with their problems.
    One query whatever the number of rows; anyone else gets none."""
    if not user.is_authenticated or user.role != Role.PARTNER_LEAD:
        return DecisionLogEntry.objects.none()
    named = DecisionLogEntry.partner_organisations.through.objects.filter(
        decisionlogentry_id=OuterRef("pk"), organisation_id=user.organisation_id
    )
    confirmed = DecisionConfirmation.objects.filter(entry_id=OuterRef("pk"), organisation_id=user.organisation_id)
    return (
        DecisionLogEntry.objects.filter(
            Exists(named),
            ~Exists(confirmed),
            disclosed_rows(user=user, part=DisclosurePart.DECISION),
            is_joint=True,
            problem__in=problems_visible_to(user),
        )
        .select_related("problem")
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
    category, organisation and people (one JOIN), then one query each for demand sources,
    controllers, hypotheses, objectives, actions (with their organisations and people), reviews and
    stage moves (with who)."""
    return Problem.objects.select_related(
        "category", "owning_organisation", "owner", "created_by", "signed_off_by", "neighbourhood"
    ).prefetch_related(
        "demand_sources",
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
