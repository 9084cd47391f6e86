"""The reference lists administrators manage in the admin site, and the administrator's home page
summary: each list's size, the organisations and users, and the reminder emails that could not be
sent. It reads every app's tables, so it lives in `config`, which alone knows every app.

Administrators see nothing operational (DESIGN.md section 1): everything here is a count of rows
and a link to the admin site, never a problem's, an event's or a reminder's content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.urls import reverse

from accounts.models import User
from core.counts import counts_in_one_query
from core.models import Reminder, ReminderState
from evaluation.models import CrimeUnitCost
from partnerships.models import DataCategory, Neighbourhood, Organisation, SeldomHeardGroup
from problems.models import ProblemCategory


@dataclass(frozen=True)
class ReferenceList:
    label: str
    model: type[Model]
    # The rows counted as in use (the active ones) and how to say so; None where every row is.
    in_use: Q | None = None
    in_use_label: str = "active"


# In the order the panel lists them. A list whose model is not registered in the admin site has no
# page to link to, so it is left out until it is registered (no code change needed here).
REFERENCE_LISTS: tuple[ReferenceList, ...] = (
    ReferenceList("Problem categories", ProblemCategory, Q(active=True)),
    ReferenceList("Neighbourhoods", Neighbourhood, Q(active=True)),
    ReferenceList("Seldom-heard groups", SeldomHeardGroup, Q(active=True)),
    ReferenceList("Data categories", DataCategory),
    ReferenceList("Unit costs of crime", CrimeUnitCost, Q(cost__isnull=False), "with a figure"),
)


@dataclass(frozen=True)
class ReferenceRow:
    label: str
    url: str
    total: int
    in_use: int | None
    in_use_label: str


@dataclass(frozen=True)
class AdministrationSummary:
    reference_rows: list[ReferenceRow]
    active_organisations: int
    active_users: int
    failed_reminders: int


def _changelist_url(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def administration_summary(*, failed_since: datetime.datetime) -> AdministrationSummary:
    """Every count the administrator's home page shows, in one query whatever the number of lists
    or rows: the reference lists registered in the admin site (all rows and those in use), the
    active organisations and users, and the reminders that failed since `failed_since`."""
    lists = [entry for entry in REFERENCE_LISTS if admin.site.is_registered(entry.model)]
    querysets: dict[str, QuerySet[Any]] = {
        "organisations": Organisation.objects.filter(active=True),
        "users": User.objects.filter(is_active=True),
        "failed_reminders": Reminder.objects.filter(state=ReminderState.FAILED, created_at__gte=failed_since),
    }
    for n, entry in enumerate(lists):
        querysets[f"total_{n}"] = entry.model._default_manager.all()
        if entry.in_use is not None:
            querysets[f"in_use_{n}"] = entry.model._default_manager.filter(entry.in_use)
    counts = counts_in_one_query(querysets)
    rows = [
        ReferenceRow(
            label=entry.label,
            url=_changelist_url(entry.model),
            total=counts[f"total_{n}"],
            in_use=counts[f"in_use_{n}"] if entry.in_use is not None else None,
            in_use_label=entry.in_use_label,
        )
        for n, entry in enumerate(lists)
    ]
    return AdministrationSummary(
        reference_rows=rows,
        active_organisations=counts["organisations"],
        active_users=counts["users"],
        failed_reminders=counts["failed_reminders"],
    )
