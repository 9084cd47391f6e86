"""The analyst's home page panels: the crime data held and the organisation's latest imports;
the force's before/after designs and the problems in assessment still needing one; the analyst's
own background impact reports. Five queries, whatever the number of imports, problems or runs."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from config.home_panels.common import first_rows
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


def analyst_panels(user: User) -> dict[str, Any]:
    """ "Crime data": the organisation's latest imports (with who started each) and the months
    held (one aggregate). "Before and after": the force's problems with a design (joined to it),
    and those in assessment without one (with their owners). "Reports": the analyst's own runs."""
    imports, more_imports = first_rows(crime_import_runs_for(user=user), IMPORTS_PANEL_SIZE)
    designed, more_designed = first_rows(problem_list_with_evaluation_design(user), DESIGNS_PANEL_SIZE)
    needing, more_needing = first_rows(problem_list_needing_evaluation_design(user), NEEDING_DESIGN_PANEL_SIZE)
    runs, more_runs = first_rows(report_runs_requested_by(user), REPORT_RUNS_PANEL_SIZE)
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
