"""Background work of the evaluation app: thin tasks that take ids and call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="evaluation.tasks.crime_import_task", autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def crime_import_task(run_id: int) -> None:
    from evaluation.services.crime_uploads import crime_import_execute

    crime_import_execute(run_id=run_id)


# The impact report's task lives in its own module; importing it here registers it with Celery.
from evaluation.tasks_reports import delete_expired_report_files, generate_impact_report  # noqa: E402, F401
