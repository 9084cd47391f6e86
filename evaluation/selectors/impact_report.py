"""The impact report as a whole: every panel for one scope, built panel by panel (each panel one
grouped query) so that a background run can report its progress between panels.

The problem-based panels are in evaluation.selectors.impact_panels; the panels drawn from the
other parts of the app (engagement, surveys, crime and costs) are in impact_sources, each calling
the selector of the part that owns the data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from evaluation.selectors import impact_sources
from evaluation.selectors.impact import ReportScope
from evaluation.selectors.impact_panels import (
    Contribution,
    ObjectiveResults,
    ProblemFlow,
    ReviewStatus,
    StageDuration,
    objective_results,
    partner_contributions,
    problem_flow,
    review_status,
    stage_durations,
)

Progress = Callable[[int, str], None]


@dataclass
class ImpactReport:
    scope: ReportScope
    generated_at: datetime.datetime
    flow: ProblemFlow
    durations: list[StageDuration]
    reviews: ReviewStatus
    objectives: ObjectiveResults
    contributions: list[Contribution]
    # Panels from the other parts of the app; None where that part has no data source yet.
    sources: dict[str, Any] = field(default_factory=dict)


# (step label, share of the work done once it has run): the background run's progress bar.
_STEPS = (
    "Counting problems opened and closed",
    "Measuring time in each stage",
    "Checking reviews",
    "Counting objectives met",
    "Counting partner contributions",
)


def impact_report_build(
    scope: ReportScope, *, progress: Progress | None = None, upto: int = 80, with_sources: bool = True
) -> ImpactReport:
    """Every panel of the report for `scope`. `progress(percent, step)` is told before each panel,
    the percentages running from 0 to `upto` (a background run keeps the rest for the file).
    Without `with_sources`, only the problem-based panels (the page of a large area)."""
    source_steps = impact_sources.steps() if with_sources else []
    total = len(_STEPS) + len(source_steps)

    def tell(index: int, label: str) -> None:
        if progress is not None:
            progress(int(upto * index / total), label)

    tell(0, _STEPS[0])
    flow = problem_flow(scope)
    tell(1, _STEPS[1])
    durations = stage_durations(scope)
    tell(2, _STEPS[2])
    reviews = review_status(scope)
    tell(3, _STEPS[3])
    objectives = objective_results(scope)
    tell(4, _STEPS[4])
    contributions = partner_contributions(scope)
    sources: dict[str, Any] = {}
    for offset, (key, label, build) in enumerate(source_steps):
        tell(len(_STEPS) + offset, label)
        sources[key] = build(scope)
    tell(total, "Report counted")
    return ImpactReport(
        scope=scope,
        generated_at=timezone.now(),
        flow=flow,
        durations=durations,
        reviews=reviews,
        objectives=objectives,
        contributions=contributions,
        sources=sources,
    )


def impact_chart_data(report: ImpactReport) -> dict[str, Any]:
    """The data of each chart, for json_script (the page's script draws them with Chart.js). Each
    chart has a data table beside it carrying the same numbers as text."""
    flow = report.flow
    charts: dict[str, Any] = {
        "categories": {
            "type": "bar",
            "labels": [c.name for c in flow.by_category],
            "datasets": [
                {"label": "Opened", "data": [c.opened for c in flow.by_category]},
                {"label": "Closed", "data": [c.closed for c in flow.by_category]},
            ],
        },
        "stages": {
            "type": "bar",
            "labels": [s.label for s in flow.by_stage],
            "datasets": [
                {"label": "Problems opened in the period, by stage now", "data": [s.count for s in flow.by_stage]}
            ],
        },
        "durations": {
            "type": "bar",
            "labels": [d.label for d in report.durations],
            "datasets": [
                {
                    "label": "Median days in stage",
                    "data": [round(d.median_days, 1) if d.median_days is not None else None for d in report.durations],
                }
            ],
        },
        "contributions": {
            "type": "bar",
            "labels": [c.organisation for c in report.contributions],
            "datasets": [{"label": "Actions done", "data": [c.actions_done for c in report.contributions]}],
        },
    }
    charts.update(impact_sources.chart_data(report.sources))
    return charts
