"""Every scheduled entry names a task the worker registers (a renamed or moved task would
otherwise be sent by beat and refused by the worker, silently, every night)."""

from __future__ import annotations

from django.conf import settings

from config.celery import app


def test_every_beat_entry_names_a_registered_task() -> None:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover the tasks

    scheduled = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}

    assert scheduled, "the schedule lives in code"
    assert {name: task for name, task in scheduled.items() if task not in app.tasks} == {}
