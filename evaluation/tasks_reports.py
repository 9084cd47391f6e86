"""Background work of the impact report: a thin task that takes the run's id and calls one
service. Imported from evaluation/tasks.py so that Celery's autodiscovery (which looks for
`tasks` modules only) registers it."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="evaluation.tasks_reports.generate_impact_report",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def generate_impact_report(run_id: int) -> str:
    from evaluation.services.reports import report_run_generate

    return str(report_run_generate(run_id=run_id))


@shared_task(name="evaluation.tasks_reports.delete_expired_report_files")
def delete_expired_report_files() -> int:
    from evaluation.services.reports import report_files_delete_expired

    return report_files_delete_expired()
