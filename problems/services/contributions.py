"""What anyone who may contribute to a problem adds to it (updates, attachments, completing the
actions assigned to their organisation), and the record that someone consulted it (DPA 2018 s.62).

The right to contribute is asked of `can_contribute_to_problem` only: once a problem is shared
with a partner organisation with contribute access, its users pass it and these services work for
them unchanged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import uploads
from core.audit import audit_record, audit_record_each, recipient_of
from core.concurrency import version_claim
from problems.models import ActionStatus, Problem, ProblemAttachment, ProblemUpdate, ResponseAction
from problems.selectors.access import can_contribute_to_problem
from problems.services.notifications import UPDATE_ADDED, problem_notify

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import DataCategory

CONSULTED_VERB = "problems.problem.consulted"
# "api": a request to the REST API (api app) that returned the problem or its parts.
CONSULTATION_WAYS = ("page", "print", "export", "attachment", "list", "api")
# The ways that carry the problem away from the system: their event names who received it.
EXPORT_WAYS = frozenset({"print", "export", "attachment", "api"})
# The list pages that show a partner the titles of problems shared with their organisation.
LIST_PAGES = ("shared_with_us", "home")

NOT_CONTRIBUTOR = "You cannot add to this problem."

UPDATE_TEXT_MAX_LENGTH = 5000
UPDATE_TEXT_REQUIRED = "Enter the update."
UPDATE_TEXT_TOO_LONG = f"The update must be {UPDATE_TEXT_MAX_LENGTH} characters or fewer."

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_DESCRIPTION_MAX_LENGTH = 250
ATTACHMENT_FILE_REQUIRED = "Choose a file to upload."
ATTACHMENT_EMPTY = "The selected file is empty."
ATTACHMENT_TOO_BIG = "The file must be 10 MB or smaller."
ATTACHMENT_TYPE_NOT_ALLOWED = (
    "The file must be a PDF, an image (PNG, JPEG or GIF) or an office document (Word, Excel or PowerPoint)."
)
ATTACHMENT_DESCRIPTION_TOO_LONG = f"The description must be {ATTACHMENT_DESCRIPTION_MAX_LENGTH} characters or fewer."

ACTION_NOT_YOUR_ORGANISATION = "Only the organisation responsible for this action can complete it here."
ACTION_ALREADY_FINISHED = "This action is already done or cancelled."

# What may be attached, judged by content and name together (core.uploads).
ATTACHMENT_KINDS = (
    uploads.PDF,
    uploads.PNG,
    uploads.JPEG,
    uploads.GIF,
    uploads.LEGACY_OFFICE,
    uploads.WORD,
    uploads.EXCEL,
    uploads.POWERPOINT,
)


# --- consultation -------------------------------------------------------------------------------


def problem_consulted(*, actor: User, problem: Problem, how: str, detail: dict[str, Any] | None = None) -> None:
    """Record that `actor` saw the problem (its page, print view, an export or an attachment):
    one audit event per view, naming how. The audit event already holds who, their organisation,
    when and from where; a printable copy, an export or a download also names its recipient."""
    if how not in CONSULTATION_WAYS:
        raise ValueError(f"Unknown way of consulting a problem: {how!r}")
    extra = {"recipient": recipient_of(actor)} if how in EXPORT_WAYS else {}
    audit_record(actor=actor, verb=CONSULTED_VERB, target=problem, detail={"how": how, **(detail or {}), **extra})


def problem_list_consulted(*, actor: User, problems: Iterable[Problem], page: str) -> None:
    """Record that a partner user saw the titles of these problems (shared with their
    organisation) on a list page: one consultation per problem, all written in one INSERT (the
    list's query count does not grow with its rows), each found by the problem's disclosure panel
    like a view of its page. A police user's lists show their own force's records and are not
    logged; the partner's are a disclosure under an agreement (DPA 2018 s.62)."""
    if page not in LIST_PAGES:
        raise ValueError(f"Unknown list page: {page!r}")
    if not actor.is_partner:
        return
    shown = list({problem.pk: problem for problem in problems}.values())
    audit_record_each(actor=actor, verb=CONSULTED_VERB, targets=shown, detail={"how": "list", "page": page})


# --- updates ------------------------------------------------------------------------------------


def _require_contributor(actor: User, problem: Problem) -> None:
    if not can_contribute_to_problem(actor, problem):
        raise PermissionDenied(NOT_CONTRIBUTOR)


@transaction.atomic
def problem_update_add(
    *, actor: User, problem: Problem, text: str, data_category: DataCategory | None = None
) -> ProblemUpdate:
    """A progress update on the problem, in the name of the actor's organisation."""
    _require_contributor(actor, problem)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": UPDATE_TEXT_REQUIRED})
    if len(text) > UPDATE_TEXT_MAX_LENGTH:
        raise ValidationError({"text": UPDATE_TEXT_TOO_LONG})
    update = ProblemUpdate.objects.create(
        problem=problem, author=actor, organisation_id=actor.organisation_id, text=text, data_category=data_category
    )
    audit_record(
        actor=actor,
        verb="problems.update.added",
        target=update,
        detail={"problem": problem.pk, "length": len(text), "data_category": getattr(data_category, "code", None)},
    )
    problem_notify(problem=problem, event=UPDATE_ADDED, actor=actor)
    return update


# --- attachments --------------------------------------------------------------------------------


def attachment_content_type(uploaded_file: IO[bytes]) -> str | None:
    """What the file is, judged by its content (never its name), or None when it is not allowed."""
    kind = uploads.file_kind_detect(uploaded_file)
    return kind.content_type if kind in ATTACHMENT_KINDS else None


@transaction.atomic
def problem_attachment_add(
    *,
    actor: User,
    problem: Problem,
    uploaded_file: Any,
    description: str = "",
    data_category: DataCategory | None = None,
) -> ProblemAttachment:
    """Store a file on the problem under a generated name (the model's upload_to); the name the
    user gave it is kept for the download only."""
    _require_contributor(actor, problem)
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if uploaded_file is None:
        errors["file"] = ATTACHMENT_FILE_REQUIRED
    elif not uploaded_file.size:
        errors["file"] = ATTACHMENT_EMPTY
    elif uploaded_file.size > ATTACHMENT_MAX_BYTES:
        errors["file"] = ATTACHMENT_TOO_BIG
    original_name = str(getattr(uploaded_file, "name", "") or "")
    content_type = None
    if not errors:
        try:
            kind = uploads.upload_check(
                uploaded_file, name=original_name, kinds=ATTACHMENT_KINDS, not_allowed=ATTACHMENT_TYPE_NOT_ALLOWED
            )
        except ValidationError as refused:
            errors["file"] = refused.messages[0]
        else:
            content_type = kind.content_type
    if len(description) > ATTACHMENT_DESCRIPTION_MAX_LENGTH:
        errors["description"] = ATTACHMENT_DESCRIPTION_TOO_LONG
    if errors:
        raise ValidationError(errors)
    original_name = original_name.replace("/", "_").replace("\\", "_")[-255:]
    attachment = ProblemAttachment(
        problem=problem,
        original_name=original_name,
        content_type=content_type or "",
        size=uploaded_file.size,
        description=description,
        data_category=data_category,
        uploaded_by=actor,
        organisation_id=actor.organisation_id,
    )
    attachment.file.save(original_name, uploaded_file, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        verb="problems.attachment.added",
        target=attachment,
        detail={
            "problem": problem.pk,
            "original_name": original_name,
            "content_type": content_type,
            "size": attachment.size,
        },
    )
    return attachment


def attachment_downloaded(*, actor: User, attachment: ProblemAttachment) -> None:
    """A download is a consultation of the problem, naming the file."""
    problem_consulted(
        actor=actor,
        problem=attachment.problem,
        how="attachment",
        detail={"attachment": attachment.pk, "original_name": attachment.original_name},
    )


# --- actions ------------------------------------------------------------------------------------


@transaction.atomic
def action_complete_by_partner(*, actor: User, action: ResponseAction) -> ResponseAction:
    """Mark an action done by a user of the organisation responsible for it who may contribute to
    the problem (a partner with contribute access, or the owning force's officers)."""
    _require_contributor(actor, action.problem)
    # Locked, and its version moved on (core.concurrency): an officer editing the action meanwhile
    # is told, rather than saving the status they saw over this one.
    action = ResponseAction.objects.select_for_update(of=("self",)).select_related("problem").get(pk=action.pk)
    if action.responsible_organisation_id != actor.organisation_id:
        raise PermissionDenied(ACTION_NOT_YOUR_ORGANISATION)
    if action.status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise ValidationError(ACTION_ALREADY_FINISHED)
    before = action.status
    action.status = ActionStatus.DONE
    action.completed_at = timezone.now()
    version_claim(action, seen=None, verbs=())
    action.save(update_fields=["status", "completed_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="problems.action.completed",
        target=action,
        detail={"problem": action.problem_id, "status": {"before": before, "after": ActionStatus.DONE}},
    )
    return action
