"""Every part of a problem that can hold personal data, and how disposal erases it
(problems.services.retention). Later apps add their own parts (evaluation: the before/after
design's notes, EMMIE, the award entry draft) from their AppConfig.ready(), without problems
importing them (DESIGN.md section 3), as problems.panels does for pages:

    register_disposal_part("EMMIE assessment", count=..., erase=...)
    register_disposal_figures("before_after", figures_fn)

Each part is a label, a `count(problem)` of its entries (the review page shows these, and the
disposal record keeps them) and an `erase(problem)` that erases or pseudonymises its text in the
disposal's transaction. A figures function returns plain numbers for the disposal record (the
evaluation figures), read before anything is erased.

What is erased, part by part, is in README "Retention"; the rule is: every free-text column (a
TextField, or a CharField without choices) is blanked, rows that are only text (updates,
attachments and their files, followers) are deleted, and what describes the record rather than
the people in it (reference, category, risk, stage, dates, statuses, ratings, figures) is kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from problems.models import Problem

CountFunction = Callable[["Problem"], int]
EraseFunction = Callable[["Problem"], None]
FiguresFunction = Callable[["Problem"], dict[str, Any]]


@dataclass(frozen=True)
class DisposalPart:
    label: str
    count: CountFunction
    erase: EraseFunction


_PARTS: list[DisposalPart] = []
_FIGURES: dict[str, FiguresFunction] = {}


def register_disposal_part(label: str, *, count: CountFunction, erase: EraseFunction) -> None:
    """Add a part (idempotent by label)."""
    if any(part.label == label for part in _PARTS):
        return
    _PARTS.append(DisposalPart(label=label, count=count, erase=erase))


def register_disposal_figures(name: str, figures: FiguresFunction) -> None:
    _FIGURES[name] = figures


def disposal_parts() -> list[DisposalPart]:
    return list(_PARTS)


def disposal_figure_functions() -> dict[str, FiguresFunction]:
    return dict(_FIGURES)


def free_text_fields(model: type[models.Model], *, keep: Iterable[str] = ()) -> list[str]:
    """The model's free-text columns: every TextField, and every CharField without choices, but
    those in `keep`."""
    kept = set(keep)
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField)
        and not field.choices
        and not field.primary_key
        and field.name not in kept
    ]


def erase_text(queryset: models.QuerySet[Any], *, keep: Iterable[str] = ()) -> int:
    """Blank every free-text column of the rows of `queryset` (one UPDATE); returns how many rows."""
    fields = free_text_fields(queryset.model, keep=keep)
    return queryset.update(**dict.fromkeys(fields, "")) if fields else queryset.count()


# --- The problems app's own parts ------------------------------------------------------------------

# A cancelled action must keep a reason (a database constraint): disposal puts this in its place.
CANCEL_REASON_ERASED = "Erased at disposal."


def _related_count(name: str) -> CountFunction:
    return lambda problem: getattr(problem, name).count()


def _related_erase(name: str, *, keep: Iterable[str] = ()) -> EraseFunction:
    def erase(problem: Problem) -> None:
        erase_text(getattr(problem, name).all(), keep=keep)

    return erase


def _erase_actions(problem: Problem) -> None:
    from problems.models import ActionStatus

    actions = problem.actions.all()
    erase_text(actions, keep=("cancel_reason",))
    actions.exclude(status=ActionStatus.CANCELLED).update(cancel_reason="")
    actions.filter(status=ActionStatus.CANCELLED).update(cancel_reason=CANCEL_REASON_ERASED)


def _erase_decisions(problem: Problem) -> None:
    """The decision log is append-only: on PostgreSQL only the SECURITY DEFINER function of problems
    migration 0015 may blank its text, for a problem with a disposal record; SQLite has no trigger."""
    from django.db import connection

    from problems.models import DecisionConfirmation

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT problems_decisions_erase_for_disposal(%s)", [problem.pk])
        return
    erase_text(problem.decisions.all())
    erase_text(DecisionConfirmation.objects.filter(entry__problem_id=problem.pk))


def _revisions(problem: Problem) -> Any:
    from problems.models import ObjectiveRevision

    return ObjectiveRevision.objects.filter(objective__problem_id=problem.pk)


def _count_revisions(problem: Problem) -> int:
    return int(_revisions(problem).count())


def _erase_revisions(problem: Problem) -> None:
    erase_text(_revisions(problem))


def _count_confirmations(problem: Problem) -> int:
    from problems.models import DecisionConfirmation

    return DecisionConfirmation.objects.filter(entry__problem_id=problem.pk).count()


def _delete_updates(problem: Problem) -> None:
    problem.updates.all().delete()


def _delete_attachments(problem: Problem) -> None:
    """The rows now; the files once the disposal has committed (a rollback keeps them)."""
    from django.db import transaction

    attachments = list(problem.attachments.all())
    files = [(attachment.file.storage, attachment.file.name) for attachment in attachments if attachment.file.name]
    problem.attachments.all().delete()

    def delete_files() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)


def _end_shares(problem: Problem) -> None:
    """Partners' access ends with the problem's text: every active share ends and its guardian
    permissions go; every share's free text is blanked."""
    from django.utils import timezone
    from guardian.shortcuts import remove_perm

    from problems.models import ShareEnd

    for share in problem.shares.filter(ended_at__isnull=True).select_related("organisation__group"):
        for perm in ("view_problem", "contribute_problem"):
            remove_perm(perm, share.organisation.group, problem)
        share.ended_at = timezone.now()
        share.end_kind = ShareEnd.REVOKED
        share.save(update_fields=["ended_at", "end_kind"])
    erase_text(problem.shares.all())


def _delete_followers(problem: Problem) -> None:
    problem.followers.all().delete()


def _notifications(problem: Problem) -> Any:
    from core.models import Notification

    return Notification.objects.filter(target_type=problem._meta.label_lower, target_id=str(problem.pk))


def _reminders(problem: Problem) -> Any:
    from core.models import Reminder

    return Reminder.objects.filter(target_type=problem._meta.label_lower, target_id=str(problem.pk))


def _retitle_notifications(problem: Problem) -> None:
    """Notifications and reminders about the problem named it by reference and title: they keep
    the reference and lose the title (the problem's title is replaced before this runs). Emails
    not yet sent are withdrawn: nothing about the problem goes out after its disposal."""
    from core.models import ReminderState

    title = f"{problem.reference}: {problem.title}"[:200]
    _notifications(problem).update(title=title)
    _reminders(problem).filter(state=ReminderState.DUE).delete()
    _reminders(problem).update(title=title, context={"reference": problem.reference})


def _meeting_items(problem: Problem) -> Any:
    from django.db.models import Q

    from problems.models import AgendaItem

    return AgendaItem.objects.filter(Q(problem=problem) | Q(action__problem=problem))


def _referrals(problem: Problem) -> Any:
    from problems.models import Referral

    return Referral.objects.filter(problem=problem)


def _erase_meeting_minutes(problem: Problem) -> None:
    erase_text(_meeting_items(problem))


def _erase_referral(problem: Problem) -> None:
    erase_text(_referrals(problem))


def _delete_stakeholders(problem: Problem) -> None:
    # The controllers' links to the entries go with them (SET_NULL).
    problem.stakeholders.all().delete()


def register_problem_parts() -> None:
    """The problems app's parts, in the order of the problem page (ProblemsConfig.ready)."""
    register_disposal_part("Stage moves", count=_related_count("transitions"), erase=_related_erase("transitions"))
    register_disposal_part("Reviews", count=_related_count("reviews"), erase=_related_erase("reviews"))
    register_disposal_part(
        "Triangle controllers", count=_related_count("controllers"), erase=_related_erase("controllers")
    )
    register_disposal_part("Hypotheses", count=_related_count("hypotheses"), erase=_related_erase("hypotheses"))
    register_disposal_part("Objectives", count=_related_count("objectives"), erase=_related_erase("objectives"))
    register_disposal_part("Objective revisions", count=_count_revisions, erase=_erase_revisions)
    register_disposal_part("Response actions", count=_related_count("actions"), erase=_erase_actions)
    register_disposal_part("Decisions", count=_related_count("decisions"), erase=_erase_decisions)
    # Erased with the decisions (the same function).
    register_disposal_part("Decision confirmations", count=_count_confirmations, erase=lambda problem: None)
    register_disposal_part("Updates", count=_related_count("updates"), erase=_delete_updates)
    register_disposal_part("Attachments", count=_related_count("attachments"), erase=_delete_attachments)
    register_disposal_part("Handovers", count=_related_count("handovers"), erase=_related_erase("handovers"))
    register_disposal_part("Shares", count=_related_count("shares"), erase=_end_shares)
    register_disposal_part("Followers", count=_related_count("followers"), erase=_delete_followers)
    # Issue 21: the problem's stakeholder map, the minutes of its tasking meeting items (their
    # joint decisions are in the decision log, erased above) and the referral it came from.
    register_disposal_part("Stakeholder map", count=_related_count("stakeholders"), erase=_delete_stakeholders)
    register_disposal_part(
        "Tasking meeting minutes",
        count=lambda problem: _meeting_items(problem).exclude(minutes="").count(),
        erase=_erase_meeting_minutes,
    )
    register_disposal_part(
        "Referral",
        count=lambda problem: _referrals(problem).count(),
        erase=_erase_referral,
    )
    register_disposal_part(
        "Notifications", count=lambda problem: _notifications(problem).count(), erase=_retitle_notifications
    )
