"""Impact report exports and background runs.

When a report goes to the background: a PDF or CSV whose area holds more than
IMPACT_REPORT_SYNC_MAX_PROBLEMS problems (default 2,000; a setting) in the user's view is made by
a Celery task, queued when the request's transaction commits; smaller ones are made in the
request. Every panel is a grouped query, so it is the PDF rendering and the largest areas'
scans that take time, not the number of panels. A user may also ask for any report to be made in
the background.

A run is claimed with a conditional UPDATE (queued -> running), so a task delivered twice (late
acknowledgement after a lost worker) makes the file once. The worker rebuilds the report with the
requester's access at the time it runs."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core.audit import audit_record, recipient_of
from core.queueing import QUEUE_UNAVAILABLE, queue_after_commit
from evaluation.models import ReportFormat, ReportRun, ReportState
from evaluation.selectors.impact import ReportScope, impact_scope_for
from evaluation.selectors.impact_report import impact_report_build
from evaluation.services.reports_render import impact_report_csv, impact_report_filename, impact_report_pdf

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

EXPORTED_VERB = "evaluation.impact_report.exported"
REQUESTED_VERB = "evaluation.report_run.requested"
FINISHED_VERB = "evaluation.report_run.finished"
RUN_NO_LONGER_ALLOWED = "You may no longer see this area, so the report was not made."
RUN_FAILED = "The report could not be made. Try again; if it fails again, tell your administrator."
FILE_DELETED = "The file was deleted {days} days after it was made (reports hold case details): make the report again."
FILES_DELETED_VERB = "evaluation.report_run.files_deleted"
DEFAULT_SYNC_MAX_PROBLEMS = 2000
DEFAULT_FILE_RETENTION_DAYS = 7


def sync_max_problems() -> int:
    return int(getattr(settings, "IMPACT_REPORT_SYNC_MAX_PROBLEMS", DEFAULT_SYNC_MAX_PROBLEMS))


def impact_report_goes_to_background(scope: ReportScope) -> bool:
    """Whether the report is too large to make within the request (one COUNT query)."""
    limit = sync_max_problems()
    return scope.problems()[: limit + 1].count() > limit


@transaction.atomic
def impact_report_exported(*, actor: User, scope: ReportScope, format: str) -> None:
    """Log that `actor` took the report away as a file (DPA 2018 s.62: an export is a
    consultation of the records it counts, and a disclosure to its recipient)."""
    audit_record(
        actor=actor, verb=EXPORTED_VERB, detail={"format": format, **scope.parameters, "recipient": recipient_of(actor)}
    )


@transaction.atomic
def report_run_downloaded(*, actor: User, run: ReportRun) -> None:
    """Log that `actor` took a background report's file away: the same export as a report made
    within the request, naming the run."""
    audit_record(
        actor=actor,
        verb=EXPORTED_VERB,
        target=run,
        detail={"format": run.format, **run.parameters, "recipient": recipient_of(actor)},
    )


@transaction.atomic
def report_run_request(*, actor: User, scope: ReportScope, format: str) -> ReportRun:
    """Queue a background run of the report; the task starts once this transaction commits."""
    if format not in ReportFormat.values:
        raise ValueError(f"Unknown report format {format!r}")
    run = ReportRun.objects.create(
        requested_by=actor,
        format=format,
        parameters=scope.parameters,
        title=f"Impact report: {scope.area_label}, {scope.start:%d %b %Y} to {scope.end:%d %b %Y}",
    )
    audit_record(actor=actor, verb=REQUESTED_VERB, target=run, detail={"format": format, **scope.parameters})
    from evaluation.tasks_reports import generate_impact_report

    queue_after_commit(
        generate_impact_report,
        run.pk,
        on_unavailable=lambda: _finish(run, state=ReportState.FAILED, error=QUEUE_UNAVAILABLE),
    )
    return run


def _set_progress(run_id: int, percent: int, step: str) -> None:
    # Outside any transaction, so the progress page sees each step as it happens.
    ReportRun.objects.filter(pk=run_id).update(progress=min(percent, 99), step=step[:200])


def report_run_generate(*, run_id: int) -> ReportState:
    """Make the file of a queued run. Returns the run's final state (or its current one when
    another worker has it)."""
    claimed = ReportRun.objects.filter(pk=run_id, state=ReportState.QUEUED).update(
        state=ReportState.RUNNING, started_at=timezone.now(), step="Starting"
    )
    run = ReportRun.objects.select_related("requested_by__organisation").get(pk=run_id)
    if not claimed:
        return ReportState(run.state)
    params = run.parameters
    try:
        scope = impact_scope_for(
            user=run.requested_by,
            area=str(params.get("area", "")),
            start=datetime.date.fromisoformat(str(params["start"])),
            end=datetime.date.fromisoformat(str(params["end"])),
        )
    except (Http404, KeyError, ValueError):
        return _finish(run, state=ReportState.FAILED, error=RUN_NO_LONGER_ALLOWED)
    try:
        report = impact_report_build(scope, progress=lambda pct, step: _set_progress(run_id, pct, step))
        _set_progress(run_id, 85, "Writing the file")
        if run.format == ReportFormat.PDF:
            content = impact_report_pdf(report)
        else:
            content = impact_report_csv(report).encode("utf-8")
        run.result.save(impact_report_filename(report, run.format), ContentFile(content), save=False)
    except Exception:
        logger.exception("Impact report run %s failed", run_id)
        return _finish(run, state=ReportState.FAILED, error=RUN_FAILED)
    return _finish(run, state=ReportState.DONE)


@transaction.atomic
def _finish(run: ReportRun, *, state: ReportState, error: str = "") -> ReportState:
    run.state = state
    run.error = error
    run.progress = 100
    run.step = "Ready" if state == ReportState.DONE else "Failed"
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "progress", "step", "finished_at", "result"])
    audit_record(
        actor=run.requested_by, verb=FINISHED_VERB, target=run, detail={"state": state.value, **run.parameters}
    )
    return state


@transaction.atomic
def report_files_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of background reports finished more than REPORT_FILE_RETENTION_DAYS ago
    (default 7; a setting): they hold case details (problem references and titles, partners'
    contributions), and whoever needs one again makes it again with their access of the day. The
    run stays, saying what happened. Returns how many files were deleted.

    The files go after the commit, so a rollback never leaves a run pointing at a deleted file;
    a process that dies in between leaves files no run points at, which the next sweep does not
    see (they are under MEDIA_ROOT/reports/ by month, for an administrator to clear)."""
    days = int(getattr(settings, "REPORT_FILE_RETENTION_DAYS", DEFAULT_FILE_RETENTION_DAYS))
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    runs = list(ReportRun.objects.select_for_update(skip_locked=True).filter(finished_at__lt=cutoff).exclude(result=""))
    if not runs:
        return 0
    files = [(run.result.storage, run.result.name) for run in runs if run.result.name]
    for run in runs:
        run.result = ""
        run.step = FILE_DELETED.format(days=days)
    ReportRun.objects.bulk_update(runs, ["result", "step"])
    audit_record(actor=None, verb=FILES_DELETED_VERB, detail={"runs": [run.pk for run in runs], "days": days})

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(runs)
