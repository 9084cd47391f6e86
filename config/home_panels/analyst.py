"""The analyst's home page panels: the crime data held and the organisation's latest imports;
the force's before/after designs and the problems in assessment still needing one; the analyst's
own background impact reports. Five queries, whatever the number of imports, problems or runs."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from accounts.models import User
from evaluation.selectors.analyst_home import (
    crime_months_held,
    problem_list_needing_evaluation_design,
    problem_list_with_evaluation_design,
    report_runs_requested_by,
)
from evaluation.selectors.crime import crime_import_runs_for

# Each list shows this many, fetching one more to know whether there are others. The import page
# lists the organisation's recent imports in full; the problem list filters by stage.
IMPORTS_PANEL_SIZE = 5
DESIGNS_PANEL_SIZE = 5
NEEDING_DESIGN_PANEL_SIZE = 5
REPORT_RUNS_PANEL_SIZE = 10


def _first[M: Model](queryset: QuerySet[M], size: int) -> tuple[list[M], bool]:
    """The first `size` rows and whether there are more, in one query (LIMIT size + 1)."""
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size


def analyst_panels(user: User) -> dict[str, Any]:
    """ "Crime data": the organisation's latest imports (with who started each) and the months
    held (one aggregate). "Before and after": the force's problems with a design (joined to it),
    and those in assessment without one (with their owners). "Reports": the analyst's own runs."""
    imports, more_imports = _first(crime_import_runs_for(user=user), IMPORTS_PANEL_SIZE)
    designed, more_designed = _first(problem_list_with_evaluation_design(user), DESIGNS_PANEL_SIZE)
    needing, more_needing = _first(problem_list_needing_evaluation_design(user), NEEDING_DESIGN_PANEL_SIZE)
    runs, more_runs = _first(report_runs_requested_by(user), REPORT_RUNS_PANEL_SIZE)
    return {
        "crime_imports": imports,
        "more_crime_imports": more_imports,
        "crime_months": crime_months_held(),
        "designed_problems": designed,
        "more_designed_problems": more_designed,
        "problems_needing_design": needing,
        "more_problems_needing_design": more_needing,
        "report_runs": runs,
        "more_report_runs": more_runs,
        "report_runs_panel_size": REPORT_RUNS_PANEL_SIZE,
    }
