"""Access matrix entries for the impact report and the award entry. Joined into
tests/access_matrix.py.

The report is asked for a partnership of the force's area with the council as a member: the
supervisor, the analyst and the council's partner lead get it; the officer has no partnership
report (the page shows the form's error; an export sends them back to the form; the records
under a figure are 404); partner members, unrelated partners and the administrator get 404 (reached
from the menu with no area asked for, the page tells a partner lead with no partnership why there is
no report: tests/evaluation/test_impact_exports.py).
A background run is seen only by the user who asked for it. The award entry follows the problem:
police of the owning force read it, its owner and supervisors edit it (the analyst gets 403)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from evaluation.models import ReportRun, ReportState
from tests.access_matrix import REDIRECT, Entry, signed_in_page
from tests.evaluation.factories_impact import report_params
from tests.partnerships.factories import NeighbourhoodFactory
from tests.partnerships.factories_partnerships import make_partnership
from tests.problems.factories import ProblemFactory

NO_REPORT_404 = dict.fromkeys(("partner_member", "unrelated_partner", "administrator"), 404)
EVERY_OTHER_ROLE_404 = dict.fromkeys(
    ("officer", "analyst", "partner_member", "partner_lead", "unrelated_partner", "administrator"), 404
)

# The report's choices go in the query string, which an Entry holds as fixed `data`; the builder
# below fills this dict in (it runs before each request) with the ids of the area it creates.
REPORT_QUERY: dict[str, Any] = {}
FIGURE_QUERY: dict[str, Any] = {}
RUN_POST: dict[str, Any] = {}


def _area(world: Any) -> dict[str, Any]:
    """The Eastgate area of the world's force (made once per world: a test that builds the
    arguments of several impact report URLs calls this for each)."""
    from partnerships.models import Neighbourhood, Partnership

    partnership = Partnership.objects.filter(
        name="Eastgate Partnership", memberships__organisation=world.force
    ).first() or make_partnership(members=[world.force, world.partner], name="Eastgate Partnership")
    if not Neighbourhood.objects.filter(organisation=world.force, name="Eastgate").exists():
        NeighbourhoodFactory(name="Eastgate", organisation=world.force, partnership=partnership)
        ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Eastgate")
    params = report_params(partnership)
    REPORT_QUERY.update(params)
    FIGURE_QUERY.update(params, figure="opened")
    RUN_POST.update(params, format="pdf")
    return {}


def _run(world: Any, *, done: bool = False) -> dict[str, Any]:
    _area(world)
    run = ReportRun.objects.create(requested_by=world.users["supervisor"], format="csv", parameters=dict(REPORT_QUERY))
    if done:
        run.result.save("access-matrix.csv", ContentFile(b"section,item,measure,value\n"), save=False)
        run.state = ReportState.DONE
        run.save()
    return {"pk": run.pk}


def _closed_problem(world: Any) -> dict[str, Any]:
    from django.utils import timezone

    problem = ProblemFactory(force=world.force, owner=world.users["officer"], stage="closed", closed_at=timezone.now())
    return {"pk": problem.pk}


ENTRIES: list[Entry] = [
    Entry("impact-report", signed_in_page(**NO_REPORT_404), kwargs=_area, data=REPORT_QUERY),
    Entry("impact-report-csv", signed_in_page(**NO_REPORT_404, officer=REDIRECT), kwargs=_area, data=REPORT_QUERY),
    Entry("impact-report-pdf", signed_in_page(**NO_REPORT_404, officer=REDIRECT), kwargs=_area, data=REPORT_QUERY),
    Entry("impact-report-problems", signed_in_page(**NO_REPORT_404, officer=404), kwargs=_area, data=FIGURE_QUERY),
    Entry(
        "impact-report-run-create",
        signed_in_page(
            **{**dict.fromkeys(("officer", "supervisor", "analyst", "partner_lead"), REDIRECT), **NO_REPORT_404}
        ),
        kwargs=_area,
        method="post",
        data=RUN_POST,
    ),
    Entry("impact-report-run", signed_in_page(**EVERY_OTHER_ROLE_404), kwargs=_run),
    Entry("impact-report-run-progress", signed_in_page(**EVERY_OTHER_ROLE_404), kwargs=_run),
    Entry(
        "impact-report-run-download",
        signed_in_page(**EVERY_OTHER_ROLE_404),
        kwargs=lambda world: _run(world, done=True),
    ),
    Entry("award-summary", signed_in_page(**NO_REPORT_404, partner_lead=404), kwargs=_closed_problem),
    # Saving: the owner and the supervisor see the form's errors (nothing was typed); the analyst
    # may read but not edit.
    Entry(
        "award-summary",
        signed_in_page(**NO_REPORT_404, partner_lead=404, analyst=403),
        kwargs=_closed_problem,
        method="post",
    ),
    Entry("award-summary-pdf", signed_in_page(**NO_REPORT_404, partner_lead=404), kwargs=_closed_problem),
]
