"""Reads of what is contributed to a problem, and of who has seen or received it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404

from core.access import get_visible_or_404
from core.models import AuditEvent
from problems.models import (
    OPEN_ACTION_STATUSES,
    DisclosurePart,
    Problem,
    ProblemAttachment,
    ProblemShare,
    ProblemUpdate,
    ResponseAction,
)
from problems.selectors.access import problem_get_for_user
from problems.selectors.disclosure import disclosure_for

if TYPE_CHECKING:
    from accounts.models import User

# The "Who has seen or received this problem" panel shows this many events a page.
SEEN_PAGE_SIZE = 20
CONSULTED_VERB = "problems.problem.consulted"
DISCLOSURE_VERB_PREFIX = "problems.share."
PROBLEM_TARGET_TYPE = "problems.problem"
SHARE_TARGET_TYPE = "problems.problemshare"


def update_list_for_problem(*, problem: Problem) -> QuerySet[ProblemUpdate]:
    """The problem's updates, newest first, with author and organisation: one query."""
    return ProblemUpdate.objects.filter(problem=problem).select_related("author", "organisation")


def attachment_list_for_problem(*, problem: Problem) -> QuerySet[ProblemAttachment]:
    """The problem's attachments, newest first, with uploader and organisation: one query."""
    return ProblemAttachment.objects.filter(problem=problem).select_related("uploaded_by", "organisation")


def actions_for_organisation(*, problem: Problem, user: User) -> QuerySet[ResponseAction]:
    """The problem's open actions assigned to the user's organisation: one query."""
    return ResponseAction.objects.filter(
        problem=problem,
        responsible_organisation_id=user.organisation_id,
        status__in=OPEN_ACTION_STATUSES,
    ).order_by("due_date", "id")


def own_page_views(*, user: User, problem_ref: Any) -> QuerySet[AuditEvent]:
    """The user's views of the problem's page (`problem_ref`: its id, or an OuterRef to it)."""
    return AuditEvent.objects.filter(
        verb=CONSULTED_VERB,
        target_type=PROBLEM_TARGET_TYPE,
        target_id=Cast(problem_ref, CharField()),
        actor_id=user.pk,
        detail__how="page",
    )


def disclosure_events_for_problem(
    *, problem: Problem, limit: int = SEEN_PAGE_SIZE, offset: int = 0, without_page_views_of: User | None = None
) -> list[AuditEvent]:
    """Who has seen (consultations) or received (shares, revocations, suspensions, exports) the
    problem, newest first, `limit` of them from `offset`: one query, with each actor and their
    organisation. `without_page_views_of` leaves out that user's views of the page (the panel
    counts them on one line instead)."""
    # Disclosures are recorded either on the problem or on its share (the sharing services target
    # the share); both are found in the same query, the share ids through a subquery.
    share_ids = ProblemShare.objects.filter(problem=problem).annotate(text_id=Cast("pk", CharField())).values("text_id")
    on_problem = Q(target_type=PROBLEM_TARGET_TYPE, target_id=str(problem.pk))
    on_share = Q(target_type=SHARE_TARGET_TYPE, target_id__in=Subquery(share_ids))
    events = AuditEvent.objects.filter(
        (on_problem & (Q(verb=CONSULTED_VERB) | Q(verb__startswith=DISCLOSURE_VERB_PREFIX)))
        | (on_share & Q(verb__startswith=DISCLOSURE_VERB_PREFIX))
    )
    if without_page_views_of is not None:
        events = events.exclude(
            verb=CONSULTED_VERB, actor_id=without_page_views_of.pk, detail__how="page", target_type=PROBLEM_TARGET_TYPE
        )
    return list(
        events.select_related("actor", "actor_organisation").order_by("-created_at", "-id")[offset : offset + limit]
    )


def attachment_get_for_user(*, user: User, pk: object) -> ProblemAttachment:
    """The attachment if the user may see its problem: 404 for everyone else (even if the file
    exists), so an outsider learns nothing about it."""
    attachment = get_visible_or_404(ProblemAttachment.objects.all(), pk=pk)
    attachment.problem = problem_get_for_user(user=user, pk=attachment.problem_id)
    # A file in a category the viewer's share does not disclose is not theirs to see at all.
    if not disclosure_for(user=user, problem=attachment.problem).entry(DisclosurePart.ATTACHMENT, attachment):
        raise Http404
    return attachment


def action_get_for_contributor(*, user: User, pk: object) -> ResponseAction:
    """The action if the user may see its problem (else 404) and contribute to it (else 403)."""
    action = get_visible_or_404(ResponseAction.objects.all(), pk=pk)
    action.problem = problem_get_for_user(user=user, pk=action.problem_id, action="contribute")
    return action
