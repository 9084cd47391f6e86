"""Access matrix entries for crime data and problem assessment. Joined into tests/access_matrix.py.

Crime imports are the police analysts' (officers and supervisors 403; partner users and the
administrator are outsiders, 404); an import run is seen by its organisation's analysts only (one
from the command line, by every police analyst).
Unit costs are read by every police user and changed by analysts and supervisors (officers 403).
A problem's evaluation (design, costs, EMMIE) is changed by its owner (the officer persona), the
force's supervisors and analysts; the problem here is shared with the council (view), so the
council's users see the panel but get 403 on the forms; the unrelated partner and the
administrator get 404."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page

OUTSIDERS_404 = dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404)
ANALYSTS_ONLY = signed_in_page(**OUTSIDERS_404, officer=403, supervisor=403)
RUN_OF_ANALYSTS = signed_in_page(**{**dict.fromkeys(ROLES, 404), "analyst": 200})
POLICE_READ = signed_in_page(**OUTSIDERS_404)
ASSESSORS = signed_in_page(**{**OUTSIDERS_404, "partner_member": 403, "partner_lead": 403})


def _run(world: Any) -> dict[str, Any]:
    from evaluation.models import CrimeImportRun

    run = CrimeImportRun.objects.create(organisation=world.force, started_by=world.users["analyst"], file_name="x.csv")
    return {"pk": run.pk}


def _shared_problem(world: Any) -> dict[str, Any]:
    from tests.problems.factories_sharing import canary_problem, share

    return {"pk": share(world, canary_problem(world)).problem_id}


ENTRIES: list[Entry] = [
    Entry("crime-import", ANALYSTS_ONLY),
    Entry("crime-import-detail", RUN_OF_ANALYSTS, kwargs=_run),
    Entry("crime-import-progress", RUN_OF_ANALYSTS, kwargs=_run),
    Entry("crime-unit-costs", POLICE_READ),
    Entry(
        "crime-unit-costs",
        {**POLICE_READ, "officer": 403, "supervisor": REDIRECT, "analyst": REDIRECT},
        method="post",
        data={"crime_type": "Burglary", "cost": "", "source": "", "year": ""},
    ),
    Entry("assessment-design", ASSESSORS, kwargs=_shared_problem),
    Entry("assessment-costs", ASSESSORS, kwargs=_shared_problem),
    Entry("assessment-emmie", ASSESSORS, kwargs=_shared_problem),
]
