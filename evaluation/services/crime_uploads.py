"""Uploaded crime files: stored (default storage, under MEDIA_ROOT on the file system) and imported
by a Celery task queued after commit, with its progress in the run's row for the page to poll.
The import itself is evaluation.services.crime_import."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from core.queueing import QUEUE_UNAVAILABLE, queue_after_commit
from evaluation.models import CrimeImportRun, ImportState
from evaluation.services.crime_import import count_lines, crime_import_finish, crime_import_record, crime_import_run

IMPORT_ERROR = "The import stopped with an error and added nothing. Try again, or tell your system administrator."
logger = logging.getLogger(__name__)

UPLOAD_DIRECTORY = "crime-imports"


@transaction.atomic
def crime_import_start(*, actor: Any, upload: Any) -> CrimeImportRun:
    """Store an uploaded file (already checked by the form: size, CSV text) and queue its import
    after commit, so the worker finds the run and the file."""
    from evaluation.tasks import crime_import_task

    name = default_storage.save(f"{UPLOAD_DIRECTORY}/{uuid.uuid4().hex}.csv", upload)
    stream = default_storage.open(name, "rb")
    try:
        total = max(count_lines(stream) - 1, 0)
    finally:
        stream.close()
    run = crime_import_record(
        actor=actor,
        file_name=getattr(upload, "name", "") or "upload.csv",
        rows_total=total,
        stored_path=name,
        queued=True,
    )
    queue_after_commit(crime_import_task, run.pk, on_unavailable=lambda: _not_queued(run))
    return run


def _not_queued(run: CrimeImportRun) -> None:
    """The broker was down: the run fails with a message to try again, and its file goes."""
    crime_import_finish(run, state=ImportState.FAILED, message=QUEUE_UNAVAILABLE)
    default_storage.delete(run.stored_path)
    CrimeImportRun.objects.filter(pk=run.pk).update(stored_path="")


def crime_import_execute(*, run_id: int) -> CrimeImportRun | None:
    """The task's body: import the stored file of a queued run, then delete the file. A run that has
    already finished is left alone (a redelivered task); a half-done one is simply run again, which
    is safe because importing is idempotent."""
    run = CrimeImportRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.finished or not run.stored_path:
        return run
    try:
        with default_storage.open(run.stored_path, "rb") as stream:
            run = crime_import_run(run=run, stream=stream)
    except OSError:
        raise  # the task retries: the file may be on storage that is briefly unavailable
    except Exception:
        # The rows go in with one transaction at the end, so a failure has added nothing; say so
        # rather than leave the progress bar polling a run that will never finish.
        logger.exception("Crime import %s failed", run.pk)
        crime_import_finish(run, state=ImportState.FAILED, message=IMPORT_ERROR)
        raise
    default_storage.delete(run.stored_path)
    CrimeImportRun.objects.filter(pk=run.pk).update(stored_path="")
    return run
