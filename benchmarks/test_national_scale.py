"""Benchmark: the list, home, partner and report pages at national scale (issue 23), their query
counts asserted equal to a small data set's.

The data set, generated here (made up) and streamed to PostgreSQL COPY (benchmarks/data.py), so
memory stays bounded whatever the size:
- 43 police forces (England and Wales's territorial forces), each with 20 neighbourhoods of 20
  LSOAs, 21 officers, 3 supervisors and a partner organisation (a council);
- 1,000,000 problems. The measured force (the world's, whose personas sign in) holds one in five
  of them, 200,000, in 40 neighbourhoods, as the Met holds about a fifth of the country's officers
  and recorded crime; the other 42 hold about 19,000 each. The officer persona leads one in two of
  the measured force's problems (100,000, 80,000 of them open: its home page's worst case, as in
  test_list_pages);
- 200,000 active shares: one in five of each force's problems shared with its partner (the world's
  partner: 40,000), each under an active agreement between the two (43 agreements): a share made by
  the service (share_create), then copied with its data category and its guardian direct-FK row;
- the report's area: a partnership of 20 of the measured force's neighbourhoods, holding 100,000 of
  its problems with their SARA history as in test_impact_report (two stage moves and their stays, a
  done action, an objective for one in two, 20 before/after designs): the same area as the 100,000
  benchmark's, in a country ten times as large;
- 10,000,000 street-level crime rows over the forces' 17,600 LSOAs, 24 months and six types, in the
  same shares (the measured force 2,000,000).

Measured, each page signed in as its persona through the full stack, medians of
BENCH_NATIONAL_ROUNDS (40) after ten: the officer's and supervisor's problem lists (all, one stage,
page 100) against test_list_pages' bare view (one indexed query of the same page), their home
pages, the partner member's "Shared with us" and problem list against the bare join of the
shares, and the supervisor's impact report for the partnership for 2025: built (the selector) and
the page in both its branches (an area of more than IMPACT_REPORT_SYNC_MAX_PROBLEMS problems shows
its problem panels only, the rest going to a background PDF or CSV; "every panel" raises the
threshold). Every query of a page that takes SLOW_MS (50 ms) or more is explained (EXPLAIN ANALYZE)
in the results.

Query counts stay constant (the test fails otherwise): each page's queries are counted with
CaptureQueriesContext on a small data set of the same shape (12,900 problems, rolled back) and on
the national one, and must be equal, page by page (the report page's branch set alike on both).

Run with `make bench-national` (not part of `make benchmark`), or:
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m pytest \\
        benchmarks/test_national_scale.py -s -p no:cacheprovider
It runs outside a test transaction (VACUUM needs that, and so do index-only scans' visibility
maps, as in production), and the test database, about 3.9 GB at full size, is flushed and dropped
at the end. Results go to var/benchmarks/national_scale.json. BENCH_NATIONAL_PROBLEMS,
BENCH_NATIONAL_SHARES and BENCH_NATIONAL_CRIME_ROWS change the sizes (develop with 20,000, 4,000
and 100,000: about a minute and a half).

Measured 2026-12-08 on the project's 2-core machine, shared with other engineers' runs (load
average 6-8 throughout; every figure is slow and noisy, so compare figures of the same run). The
100,000 figures beside them are test_list_pages' and test_impact_report's, run at their default
sizes straight after, in the same session (load 5.7-6.8), with 40 rounds a page as here (those
benchmarks run inside a test transaction, without VACUUM).
- Generation, seconds (a first run at load 4-6 in brackets): forces, users and neighbourhoods 5.0
  (1.9); problems 196 (208: about 5,000 rows a second, the problem table keeping all its indexes as
  it loads); 43 agreements and the first shares through the service 12.3 (18.0); the other shares 12.9
  (17.4); guardian rows 9.0 (9.4); the area's history: stage moves 4.2, stays 5.7, actions 5.1,
  objectives 1.2; crime rows 221 (202: about 45,000 a second); VACUUM ANALYZE 7.8. About eight
  minutes; the whole test 17 min 49 s. Sizes (pg_total_relation_size): database 3,906 MB, problems
  790 MB, crime rows 2,909 MB, shares 49 MB, guardian rows 28 MB, stage moves 28 MB.
- Query counts: equal at 12,900 and at 1,000,000 problems on every page (officer and supervisor:
  bare view 4, problem list 7, one stage 8, page 100 7, home page 9 and 14; partner: bare view 4,
  "Shared with us" 6, problem list 7; impact report page 13 with its problem panels, 23 with every
  panel). The first run failed this check on the report page (23 small, 13 national): the large
  area takes the page's other branch by design; each branch is now counted on both data sets.
- Officer, milliseconds, national (100,000): bare view 8.6 (5.2); problem list 82 (58), 9.5x
  (11.3x); one stage 101 (65); page 100 97 (64); home page 208 (116).
  Supervisor: bare view 16.5 (10.6); problem list 102 (48), 6.2x (4.6x); one stage 115 (55); page
  100 101 (57); home page 123 (70).
  No query of these pages took 50 ms at national size (none is explained in the results); the
  pages take 1.4-2.1 times their 100,000 figures, a difference not broken down further here (the
  problem table alone is now six times PostgreSQL's 128 MB of shared buffers). The 1.5x goal is
  NOT met, at either size, for the reason test_list_pages gives: the page itself (layout, filter
  form, rows of links) beyond its one query.
- Partner member: bare join 743 ms (117); "Shared with us" 1,060 ms (181), 1.43x (1.55x); problem
  list 2,256 ms (318), 3.0x (2.7x). What stands between these figures and a quick page is the
  plan, not the page: to join the organisation's 40,000 active shares to their problems, the
  planner reads the whole 1,000,000-row problem table (a sequential scan, 0.3-0.8 s in the plans),
  because at PostgreSQL's default random_page_cost of 4 (a spinning disk's) 40,000 index probes
  cost more. At 1.1, the cost usual for SSD storage, it probes the problems by primary key from
  share_org_active_idx: in EXPLAIN ANALYZE on the same data the bare join's query went from 503
  to 145 ms, and in this run the bare view from 743 to 145 ms and "Shared with us" from 1,060 to
  470 ms (partner_member_ssd_costs). That is a server setting (postgresql.conf or ALTER DATABASE
  ... SET), left unchanged here: it moves every plan of the app and wants its own measurement.
  The problem list also offers its neighbourhood filter's choices (the neighbourhoods of the
  shared problems): in the first run that query took 4.0 s (a semi-join that probed all 960,000
  problems of all 880 neighbourhoods for a share); asked as the DISTINCT neighbourhoods of the
  shares (problems.selectors.problems.problem_list_neighbourhoods_for) it took 0.73 s in EXPLAIN
  ANALYZE (0.28 s at SSD costs) and 1.5 s in this run: it still reads every shared problem on
  every request, which a list of 40,000 shared problems pays on each page.
- Impact report for the partnership (100,000 problems, 2025): built in 1.81 s (1.96 s), the page
  with its problem panels 2.10 s (1.26 s), with every panel 3.14 s. Its queries read the area's
  100,000 problems and their history through indexes (problem flow 0.33 s, stays 0.54 s, actions
  by organisation 0.55 s, objectives 0.33 s, crime before and after 0.49 s): the work grows with
  the area, not the country."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from benchmarks.data import (
    clone_rows,
    copy_rows,
    crime_rows,
    load_crime_rows,
    load_problem_history,
    problem_columns,
    problem_rows,
)
from benchmarks.test_list_pages import _measure
from evaluation.models import CrimeRecord
from evaluation.selectors.impact import impact_scope_for
from evaluation.selectors.impact_report import impact_report_build
from partnerships.models import Neighbourhood, Organisation
from problems.models import Problem, ProblemCategory, ProblemGroupObjectPermission, ProblemShare, StageTransition
from problems.models.sharing import ShareAccess
from problems.services.sharing import share_create
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from tests.partnerships.factories_agreements import category
from tests.partnerships.factories_partnerships import make_partnership
from tests.problems.factories_sharing import active_agreement

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
PROBLEMS = int(os.environ.get("BENCH_NATIONAL_PROBLEMS", "1000000"))
SHARES = int(os.environ.get("BENCH_NATIONAL_SHARES", "200000"))
CRIME_ROWS = int(os.environ.get("BENCH_NATIONAL_CRIME_ROWS", "10000000"))
ROUNDS = int(os.environ.get("BENCH_NATIONAL_ROUNDS", "40"))
REPORT_ROUNDS = int(os.environ.get("BENCH_NATIONAL_REPORT_ROUNDS", "3"))
# The small data set every page's query count is taken on first (rolled back before the big one):
# big enough for a 100th page of the measured force's list.
TINY = {"problems": 12_900, "shares": 2_580, "crime_rows": 10_320}

FORCES = 43  # the territorial police forces of England and Wales
# The measured force holds one in LARGEST of the problems and of the crime rows, as the Met holds
# about a fifth of the country's officers and recorded crime; the other 42 share the rest evenly.
LARGEST = 5
AREAS = 20  # neighbourhoods of each force; the measured force has twice as many
LSOAS_PER_AREA = 20
OFFICERS, SUPERVISORS = 21, 3  # generated for each force, besides the world's personas
DESIGNS = 20
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
# The impact report page shows only its problem panels for an area of more than
# IMPACT_REPORT_SYNC_MAX_PROBLEMS problems (the rest goes to a background PDF or CSV): each branch is
# measured, and its queries counted, on both data sets, the threshold set so that both take it.
REPORT_THRESHOLDS = {"impact report page": 100, "impact report page, every panel": 10**9}
SSD_RANDOM_PAGE_COST = 1.1
# A query at least this slow, at national size, gets its plan (EXPLAIN ANALYZE) in the results.
SLOW_MS = float(os.environ.get("BENCH_NATIONAL_SLOW_MS", "50"))
TABLES = [
    Problem,
    ProblemShare,
    ProblemGroupObjectPermission,
    StageTransition,
    CrimeRecord,
]


def _force_lsoas(index: int, areas: int) -> list[list[str]]:
    """The LSOA codes of each of a force's neighbourhoods: made up, unique to the force."""
    return [[f"E01{index:02d}{area * LSOAS_PER_AREA + k:04d}" for k in range(LSOAS_PER_AREA)] for area in range(areas)]


def _split(total: int) -> list[int]:
    """`total` over the forces: the measured force's fifth first, the rest evenly."""
    largest = total // LARGEST
    rest, extra = divmod(total - largest, FORCES - 1)
    return [largest, *(rest + (1 if n < extra else 0) for n in range(FORCES - 1))]


def _users(force: Organisation, index: int) -> tuple[list[int], User]:
    """The force's generated officers (their ids) and its first supervisor, in one insert."""
    rows = [
        User(
            email=f"officer{n}.f{index}@national.test", full_name=f"Officer {n}", role=Role.OFFICER, organisation=force
        )
        for n in range(OFFICERS)
    ] + [
        User(
            email=f"supervisor{n}.f{index}@national.test",
            full_name=f"Supervisor {n}",
            role=Role.SUPERVISOR,
            organisation=force,
        )
        for n in range(SUPERVISORS)
    ]
    made = User.objects.bulk_create(rows)
    return [u.pk for u in made[:OFFICERS]], made[OFFICERS]


def _generate(world: World, *, problems: int, shares: int, crime_rows_total: int) -> dict[str, Any]:
    """The national data set, streamed to COPY: 43 forces (the world's the largest) with their
    neighbourhoods, officers, supervisors and a partner each (the world's partner for the world's
    force), `problems` problems, one in (problems / shares) of each force's problems shared with its
    partner (an active agreement, a share made by the service and copied with its guardian rows
    and data categories), the SARA history of the measured partnership's problems and
    `crime_rows_total` crime rows over the forces' LSOAs and 24 months. Returns the seconds each
    table took and what the pages need."""
    timings: dict[str, float] = {}
    began = time.perf_counter()
    forces: list[Organisation] = [world.force]
    partners: list[Organisation] = [world.partner]
    for n in range(1, FORCES):
        forces.append(PoliceForceFactory(name=f"National Police {n}"))
        partners.append(OrganisationFactory(name=f"National Council {n}"))
    officers: list[list[int]] = []
    supervisors: list[User] = []
    for n, force in enumerate(forces):
        ids, supervisor = _users(force, n)
        officers.append(ids)
        supervisors.append(supervisor)
    persona = world.users["officer"].pk
    # The officer persona leads one in two of the measured force's problems (its home page's worst
    # case, as in benchmarks/test_list_pages.py); the force's other officers the rest in turn.
    officers[0] = [pk for other in officers[0] for pk in (persona, other)]
    partnership = make_partnership(members=[world.force, world.partner], name="National Benchmark Partnership")
    areas: list[list[int]] = []
    lsoas: list[list[str]] = []
    for n, force in enumerate(forces):
        codes = _force_lsoas(n, AREAS * 2 if n == 0 else AREAS)
        made = Neighbourhood.objects.bulk_create(
            Neighbourhood(
                name=f"National area {n}-{a}",
                slug=f"national-area-{n}-{a}",
                organisation=force,
                # The measured force's first twenty areas are its partnership's: the report's area.
                partnership=partnership if n == 0 and a < AREAS else None,
                lsoa_codes="\n".join(area_codes),
            )
            for a, area_codes in enumerate(codes)
        )
        areas.append([area.pk for area in made])
        lsoas.append([code for area_codes in codes for code in area_codes])
    timings["forces_users_areas"] = time.perf_counter() - began

    categories = list(ProblemCategory.objects.values_list("pk", flat=True))
    counts = _split(problems)
    firsts = list(itertools.accumulate([0, *counts[:-1]]))
    timings["problems"] = copy_rows(
        Problem,
        problem_columns(),
        itertools.chain.from_iterable(
            problem_rows(
                world,
                areas[n],
                categories,
                counts[n],
                force_id=force.pk,
                owners=officers[n],
                lsoas=lsoas[n],
                first=firsts[n],
            )
            for n, force in enumerate(forces)
        ),
    )
    print("generated:", {k: round(v, 1) for k, v in timings.items()}, flush=True)
    _analyze([Problem])

    # Shares: one in `every` of each force's problems, with its partner.
    began = time.perf_counter()
    every = max(1, problems // shares)
    templates: list[ProblemShare] = []
    asb = category("asb-reports")
    for n, force in enumerate(forces):
        agreement = active_agreement(force, partners[n], created_by=supervisors[n])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT min(id) FROM {Problem._meta.db_table} WHERE owning_organisation_id = %s AND mod(id, %s) = 0",  # noqa: S608
                [force.pk, every],
            )
            (first,) = cursor.fetchone()
        templates.append(
            share_create(
                actor=supervisors[n],
                problem=Problem.objects.get(pk=first),
                organisation=partners[n],
                access_level=ShareAccess.VIEW,
                agreement=agreement,
                data_categories=[asb],
            )
        )
    timings["agreements_and_first_shares"] = time.perf_counter() - began
    began = time.perf_counter()
    made_shares = len(templates)
    for n, template in enumerate(templates):
        others = (
            f"SELECT id FROM {Problem._meta.db_table} WHERE owning_organisation_id = {forces[n].pk} "  # noqa: S608
            f"AND mod(id, {every}) = 0 AND id <> {template.problem_id}"
        )
        made_shares += clone_rows(ProblemShare, template.pk, "problem_id", others)
    with connection.cursor() as cursor:
        through = ProblemShare.data_categories.through._meta.db_table
        cursor.execute(
            f"INSERT INTO {through} (problemshare_id, datacategory_id) SELECT s.id, %s "  # noqa: S608
            f"FROM {ProblemShare._meta.db_table} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {through} t WHERE t.problemshare_id = s.id)",
            [asb.pk],
        )
    timings["shares"] = time.perf_counter() - began
    began = time.perf_counter()
    permissions = 0
    for n, template in enumerate(templates):
        others = (
            f"SELECT id FROM {Problem._meta.db_table} WHERE owning_organisation_id = {forces[n].pk} "  # noqa: S608
            f"AND mod(id, {every}) = 0 AND id <> {template.problem_id}"
        )
        for permission in ProblemGroupObjectPermission.objects.filter(content_object_id=template.problem_id):
            permissions += 1 + clone_rows(ProblemGroupObjectPermission, permission.pk, "content_object_id", others)
    print("generated:", {k: round(v, 1) for k, v in timings.items()}, flush=True)
    timings["guardian_rows"] = time.perf_counter() - began

    # The report's area: the SARA history of the partnership's problems, as in test_impact_report.
    history = list(
        Problem.objects.filter(neighbourhood__partnership=partnership).order_by("pk").values_list("pk", flat=True)
    )
    timings |= load_problem_history(
        ids=history,
        officer_id=persona,
        force_id=world.force.pk,
        partner_id=world.partner.pk,
        designs=DESIGNS,
        lsoas=lsoas[0],
    )
    crimes = _split(crime_rows_total)
    timings["crime_rows"] = load_crime_rows(
        itertools.chain.from_iterable(
            crime_rows(
                crimes[n],
                lsoas=lsoas[n],
                force=force.name,
                key_prefix=f"national-{n}",
                origin=(50.5 + (n % 7) * 0.5, -4.0 + (n // 7) * 0.5),
                seed=n,
            )
            for n, force in enumerate(forces)
        )
    )
    print("generated:", {k: round(v, 1) for k, v in timings.items()}, flush=True)
    began = time.perf_counter()
    _analyze(None)
    timings["vacuum_analyze"] = time.perf_counter() - began
    return {
        "seconds": {name: round(value, 2) for name, value in timings.items()},
        "forces": len(forces),
        "problems": problems,
        "problems_of_the_measured_force": counts[0],
        "problems_in_the_report_area": len(history),
        "shares": made_shares,
        "shares_with_the_measured_partner": ProblemShare.objects.filter(organisation=world.partner).count(),
        "guardian_rows": permissions,
        "crime_rows": crime_rows_total,
        "crime_rows_of_the_measured_force": crimes[0],
        "lsoas": sum(len(codes) for codes in lsoas),
        "partnership_id": partnership.pk,
    }


def _analyze(models: list[type[Any]] | None) -> None:
    """Fresh planner statistics; outside a transaction also VACUUM, so that index-only scans find
    the visibility map a production table has (a bulk load leaves it empty)."""
    vacuum = connection.get_autocommit()
    with connection.cursor() as cursor:
        if models is None:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        for model in models or []:
            cursor.execute(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} {model._meta.db_table}")


def _sizes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        sizes = {"database": cursor.fetchone()[0]}
        for model in TABLES:
            table = model._meta.db_table
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            sizes[table] = cursor.fetchone()[0]
    return sizes


def _pages(partnership_id: int) -> dict[str, dict[str, str]]:
    """The pages measured, for each persona: its floor (the bare views of test_list_pages) first."""
    lists = {
        "bare view": "/bare/problems/",
        "problem list": "/problems/",
        "problem list, one stage": "/problems/?stage=analysis",
        "problem list, page 100": "/problems/?page=100",
        "home page": "/",
    }
    report = f"/reports/impact/?start={START.isoformat()}&end={END.isoformat()}&area=partnership-{partnership_id}"
    return {
        "officer": lists,
        "supervisor": {**lists, **dict.fromkeys(REPORT_THRESHOLDS, report)},
        "partner_member": {
            "bare view": "/bare/shared/",
            "shared with us": "/shared-with-us/",
            "problem list": "/problems/",
        },
    }


def _settings_for(name: str) -> AbstractContextManager[object]:
    """The impact report page's branch: REPORT_THRESHOLDS."""
    if name in REPORT_THRESHOLDS:
        return override_settings(IMPACT_REPORT_SYNC_MAX_PROBLEMS=REPORT_THRESHOLDS[name])
    return nullcontext()


def _captured(client: Client, url: str, name: str) -> list[dict[str, str]]:
    """The queries of one request for the page `name` at `url` (after one to warm the caches)."""
    with _settings_for(name):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    assert response.status_code == 200, url
    return captured.captured_queries


def _query_counts(clients: dict[str, Client], partnership_id: int) -> dict[str, dict[str, int]]:
    return {
        persona: {name: len(_captured(clients[persona], url, name)) for name, url in pages.items()}
        for persona, pages in _pages(partnership_id).items()
    }


def _slow_queries(client: Client, url: str, name: str) -> list[dict[str, Any]]:
    """The page's queries that took SLOW_MS or more, each with its plan (EXPLAIN ANALYZE)."""
    slow = []
    for query in _captured(client, url, name):
        ms = float(query["time"]) * 1000
        if ms < SLOW_MS:
            continue
        plan: list[str] = []
        # Reads only: EXPLAIN ANALYZE runs the statement, and an audit event must not be written twice.
        if query["sql"].lstrip().upper().startswith(("SELECT", "DECLARE")):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = [line for (line,) in cursor.fetchall()]
        slow.append({"ms": round(ms, 1), "sql": query["sql"][:600], "plan": plan})
    return slow


def _median_s(call: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return round(statistics.median(samples), 3)


@pytest.fixture
def _list_page_urls() -> Iterator[None]:
    """The project's URLs with test_list_pages' bare views beside them."""
    with override_settings(ROOT_URLCONF="benchmarks.test_list_pages"):
        yield


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_uninstrumented_templates", "_list_page_urls")
def test_pages_at_national_scale_keep_their_query_counts(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark loads its data with PostgreSQL COPY.")
    clients = {
        persona: sign_in(Client(), world.users[persona]) for persona in ("officer", "supervisor", "partner_member")
    }

    # Every page's queries on a small data set of the same shape, then rolled back.
    with transaction.atomic():
        tiny = _generate(world, problems=TINY["problems"], shares=TINY["shares"], crime_rows_total=TINY["crime_rows"])
        small = _query_counts(clients, tiny["partnership_id"])
        transaction.set_rollback(True)
    cache.clear()

    data = _generate(world, problems=PROBLEMS, shares=SHARES, crime_rows_total=CRIME_ROWS)
    sizes = _sizes()
    big = _query_counts(clients, data["partnership_id"])
    report: dict[str, Any] = {
        "data": data,
        "sizes": sizes,
        "rounds": ROUNDS,
        "load_average_after_loading": os.getloadavg(),
    }

    for persona, pages in _pages(data["partnership_id"]).items():
        client = clients[persona]
        figures: dict[str, Any] = {}
        for name, url in pages.items():
            with _settings_for(name):
                if name in REPORT_THRESHOLDS:  # seconds a request: a few rounds, not forty
                    figures[f"{name}_ms"] = _median_s(lambda: client.get(url), REPORT_ROUNDS) * 1000  # noqa: B023
                else:
                    figures[f"{name}_ms"] = _measure(lambda: client.get(url), ROUNDS)  # noqa: B023  (used at once)
            figures[f"{name}_queries"] = big[persona][name]
            figures[f"{name}_queries_small"] = small[persona][name]
            slow = _slow_queries(client, url, name)
            if slow:
                figures[f"{name}_slow_queries"] = slow
        bare = figures["bare view_ms"]
        for name in pages:
            if name != "bare view" and not name.startswith("impact"):
                figures[f"{name}_ratio"] = round(figures[f"{name}_ms"] / bare, 2)
        report[persona] = figures

    # The partner's lists join the organisation's shares to their problems. At the default
    # random_page_cost (4: a spinning disk's), the planner reads the whole problem table rather
    # than probe it once for each share; the same pages with the cost usual for SSD storage:
    partner, pages = clients["partner_member"], _pages(data["partnership_id"])["partner_member"]
    with connection.cursor() as cursor:
        cursor.execute(f"SET random_page_cost = {SSD_RANDOM_PAGE_COST}")
    try:
        report["partner_member_ssd_costs"] = {
            f"{name}_ms": _measure(lambda: partner.get(url), ROUNDS)  # noqa: B023  (used at once)
            for name, url in pages.items()
        }
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET random_page_cost")

    scope = impact_scope_for(
        user=world.users["supervisor"], area=f"partnership-{data['partnership_id']}", start=START, end=END
    )
    built = impact_report_build(scope)
    assert built.flow.opened > 0
    assert built.sources["crime"].problems > 0
    report["impact_report_build_s"] = _median_s(lambda: impact_report_build(scope), REPORT_ROUNDS)
    report["goal_ratio"] = 1.5
    report["load_average"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "national_scale.json").write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report, indent=2, default=str))

    # Query counts stay constant: each page asks as many queries of 1,000,000 problems as of 12,900.
    assert big == small
