"""Dates as people read them in messages, emails and notifications."""

from __future__ import annotations

import datetime


def long_date(day: datetime.date) -> str:
    """`25 November 2026`: no leading zero, the month in words."""
    return f"{day.day} {day:%B %Y}"
