"""The morning sweeps are made from the database (core.reminders.sweeps_run_due): a tick every few
minutes runs each sweep whose time has come and which has no SweepRun for that day, so a sweep
whose beat message was lost (Redis down at 07:00) is made up by the first tick that arrives."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings

from core.models import Reminder, SweepRun
from core.reminders import sweep_day, sweeps_run_due
from core.tasks import run_due_reminder_sweeps
from problems.reminders import REVIEW_KINDS
from tests.conftest import World
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = datetime.date(2026, 11, 25)


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def test_the_day_of_a_sweep_is_today_once_its_time_has_come_else_the_day_before() -> None:
    assert django_settings.TIME_ZONE == "Europe/London"
    assert sweep_day(at="07:00", now=at(WEDNESDAY, 7, 0)) == WEDNESDAY
    assert sweep_day(at="07:00", now=at(WEDNESDAY, 6, 59)) == WEDNESDAY - datetime.timedelta(days=1)
    monday = datetime.date(2026, 11, 23)
    # Weekly on Mondays: the latest Monday whose time has come.
    assert sweep_day(at="07:30", weekday=0, now=at(WEDNESDAY, 12, 0)) == monday
    assert sweep_day(at="07:30", weekday=0, now=at(monday, 7, 30)) == monday
    assert sweep_day(at="07:30", weekday=0, now=at(monday, 7, 29)) == monday - datetime.timedelta(days=7)
    # Monthly on the first: the latest first of the month whose time has come.
    assert sweep_day(at="07:50", day_of_month=1, now=at(WEDNESDAY, 12, 0)) == datetime.date(2026, 11, 1)
    first = datetime.date(2026, 12, 1)
    assert sweep_day(at="07:50", day_of_month=1, now=at(first, 7, 50)) == first
    assert sweep_day(at="07:50", day_of_month=1, now=at(first, 7, 49)) == datetime.date(2026, 11, 1)
    assert sweep_day(at="07:50", day_of_month=1, now=at(datetime.date(2027, 1, 1), 7, 0)) == first


def test_a_due_sweep_runs_once_for_its_day_however_many_ticks(world: World, settings: Any) -> None:
    settings.REMINDER_SWEEP_SCHEDULE = {"problems.reviews": {"at": "07:00"}}
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=WEDNESDAY)

    assert sweeps_run_due(now=at(WEDNESDAY, 6, 55)) == [("problems.reviews", WEDNESDAY - datetime.timedelta(days=1))]
    assert not Reminder.objects.exists(), "the day before, nothing was due"
    assert sweeps_run_due(now=at(WEDNESDAY, 6, 58)) == [], "that day is done"

    # Beat's 07:00 message was lost; the first tick that arrives, hours later, makes the day's sweep.
    assert sweeps_run_due(now=at(WEDNESDAY, 11, 5)) == [("problems.reviews", WEDNESDAY)]
    assert list(Reminder.objects.values_list("kind", "due_date")) == [(REVIEW_KINDS[1], WEDNESDAY)]
    assert sweeps_run_due(now=at(WEDNESDAY, 11, 10)) == []
    assert Reminder.objects.count() == 1
    assert set(SweepRun.objects.values_list("sweep", "day")) == {
        ("problems.reviews", WEDNESDAY - datetime.timedelta(days=1)),
        ("problems.reviews", WEDNESDAY),
    }


def test_a_failing_sweep_leaves_no_record_and_the_next_tick_runs_it(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from core import reminders

    settings.REMINDER_SWEEP_SCHEDULE = {"problems.reviews": {"at": "07:00"}, "problems.actions": {"at": "07:05"}}
    ProblemFactory(force=world.force, owner=world.users["officer"], next_review_date=WEDNESDAY)
    real = reminders._SWEEPS["problems.reviews"]

    def broken(today: datetime.date) -> Any:
        raise RuntimeError("the database went away mid-sweep")

    monkeypatch.setitem(
        reminders._SWEEPS, "problems.reviews", reminders.RegisteredSweep("problems.reviews", broken, ())
    )
    assert sweeps_run_due(now=at(WEDNESDAY, 8, 0)) == [("problems.actions", WEDNESDAY)], "the others still run"
    assert "Reminder sweep problems.reviews" in caplog.text
    assert not SweepRun.objects.filter(sweep="problems.reviews").exists()

    monkeypatch.setitem(reminders._SWEEPS, "problems.reviews", real)
    assert sweeps_run_due(now=at(WEDNESDAY, 8, 5)) == [("problems.reviews", WEDNESDAY)]
    assert Reminder.objects.filter(kind=REVIEW_KINDS[1]).count() == 1


def test_the_tick_is_scheduled_and_every_scheduled_sweep_is_registered() -> None:
    from core.reminders import registered_sweeps

    assert set(django_settings.REMINDER_SWEEP_SCHEDULE) <= set(registered_sweeps())
    ticks = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == run_due_reminder_sweeps.name
    ]
    assert len(ticks) == 1
    # No sweep is sent by beat at a time of day any more: one lost message would lose a day. A sweep
    # beat sends at an interval looks at the clock each time (the breach deadlines' 24 and 4 hours
    # before, and overdue, each sent once), so a lost message costs one interval, not a day.
    direct = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.tasks.run_reminder_sweep"]
    assert [entry["args"] for entry in direct] == [["dataprotection.breach_deadlines"]]
    assert all(isinstance(entry["schedule"], datetime.timedelta) for entry in direct)
