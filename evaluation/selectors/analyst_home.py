"""Reads for the analyst's home page: the months of crime data held, the force's before/after
designs and the problems in assessment still without one, and the user's own background report
runs. Each is one query; the problem lists are built on problems_visible_to, so a restricted
problem the analyst may not see never appears (DESIGN.md section 4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Min, QuerySet

from evaluation.models import CrimeImportRun, ImportState, ReportRun
from problems.models import Problem, Stage
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class CrimeMonthsHeld:
    """The first and last month of crime data held (both None when none is held)."""

    earliest: datetime.date | None
    latest: datetime.date | None

    @property
    def span_months(self) -> int:
        """Calendar months from the earliest to the latest, both included. A span, not a count:
        a month in between may be missing if its file was never imported."""
        if self.earliest is None or self.latest is None:
            return 0
        return (self.latest.year - self.earliest.year) * 12 + self.latest.month - self.earliest.month + 1


def crime_months_held() -> CrimeMonthsHeld:
    """The earliest and latest month of crime imported, in one aggregate over the finished import
    runs (each records its file's months; the crime table itself, millions of rows with no index
    on month, is not scanned for this). Crime data is the published police.uk record, not any
    organisation's own, so it is held once for every force."""
    found = CrimeImportRun.objects.filter(state=ImportState.DONE, rows_loaded__gt=0).aggregate(
        earliest=Min("first_month"), latest=Max("last_month")
    )
    return CrimeMonthsHeld(earliest=found["earliest"], latest=found["latest"])


def _force_problems_visible_to(user: User) -> QuerySet[Problem]:
    # problems_visible_to keeps police users to their own force already; the filter keeps these
    # lists to "the force's problems" even for a user whose visible problems are other forces'
    # (a partner's shared ones), should a later page reuse them.
    return problems_visible_to(user).filter(owning_organisation_id=user.organisation_id)


def problem_list_with_evaluation_design(user: User) -> QuerySet[Problem]:
    """The force's problems (as far as `user` may see) whose assessment has a before/after design,
    the design most recently updated first, each with its design. One query (the design joined)."""
    return (
        _force_problems_visible_to(user)
        .filter(evaluation_design__isnull=False)
        .select_related("evaluation_design")
        .order_by("-evaluation_design__updated_at", "-pk")
    )


def problem_list_needing_evaluation_design(user: User) -> QuerySet[Problem]:
    """The force's problems (as far as `user` may see) in the assessment stage with no before/after
    design yet, longest untouched first, each with its owner (whom the analyst asks about the
    response). One query."""
    return (
        _force_problems_visible_to(user)
        .filter(stage=Stage.ASSESSMENT, evaluation_design__isnull=True)
        .select_related("owner")
        .order_by("updated_at", "pk")
    )


def report_runs_requested_by(user: User) -> QuerySet[ReportRun]:
    """The background impact report runs `user` asked for, most recent first. Only the requester
    sees a run (its file holds what they could see when it ran), as the run page does."""
    return ReportRun.objects.filter(requested_by_id=user.pk).order_by("-created_at", "-id")
