"""Load benchmark: N signed-in sessions of mixed roles against gunicorn, for a bounded time each, at
5, 10, 20 and 40 sessions (`make load`). Loopback only.

What it does:
1. Makes a new database (LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/commonground_load,
   dropped and created again), migrates it, loads the demo (`seed_demo`) and LOAD_EXTRA_PROBLEMS
   more problems of the demo force (default 2,000, with COPY), so that lists are not toy-sized.
2. Starts gunicorn with the production settings (config.settings.production, a random secret key,
   DEBUG off, collected static files, `--workers LOAD_WORKERS`, default 3 as in the Dockerfile) on
   a free loopback port. Requests carry `X-Forwarded-Proto: https`, as from the TLS proxy
   production has in front, so the secure cookies and the HTTPS redirect behave as in production.
3. Signs each session in as a person does: the sign-in form (email and password), then the second
   factor with one of the demo's backup codes (a TOTP code works once per 30 s per person).
4. Each session, on its own thread and keep-alive connection, asks for its pages back to back (no
   think time: a closed loop, so throughput is the server's) for LOAD_SECONDS (default 30) after
   LOAD_WARMUP_SECONDS (5) not counted:
   - officer (officer@, officer2@): their problem list and a problem's page, alternately;
   - partner (member@council, lead@council): "Shared with us";
   - supervisor: their home page;
   - analyst: the impact report of their area for the default period.
5. Prints, per level: requests, throughput (requests a second), p50, p95, p99 (ms) and errors (any
   answer but 200, or no answer), overall and per page; and writes var/benchmarks/load.json.

The load generator runs on the same machine as gunicorn and PostgreSQL, and takes a share of the
CPU (one Python process, threads); figures are for the whole machine under that load.

Goal (issue 19): no errors, p95 under 300 ms at 20 sessions on the project's 2-core machine.

Measured on the project's 2-core machine, 2026-12-07 18:31 UTC, `make load` as it stands (3 gunicorn
workers, the demo and 2,000 more problems, 30 s a level after 5 s of warm-up). The machine was not
quiet: other engineers' test suites shared it (load average 3.8 before, 5.0 after; a sample during
a later 20-session run gave gunicorn 49% of the two cores, PostgreSQL 16%, the load generator 1%,
everything else 31%).

    sessions  requests  req/s    p50     p95     p99  errors
           5     1,170   39.0   123 ms  194 ms  232 ms      0
          10     1,128   37.6   259 ms  343 ms  377 ms      0
          20     1,131   37.7   521 ms  615 ms  670 ms      0
          40       905   30.2  1240 ms 1526 ms 1596 ms      0

Per page at 20 sessions (p95): impact report 622 ms, problem list 613, problem page 642, shared
with us 590, supervisor home 594. A rerun at 20 sessions (18:37, load average 2.3): 41.1 req/s,
p50 474 ms, p95 691 ms, no errors.

The goal is NOT met: no errors at any level, but p95 at 20 sessions is about 2x the 300 ms goal
(the issue's starting point: 34 req/s, p95 1.5 s). Throughput is flat from 5 sessions up, so the
server is saturated at 5 and latency grows with the queue (Little's law: 20 sessions / 38 req/s =
about 530 ms a request). Each page costs gunicorn about 24 ms of CPU and PostgreSQL about 8 ms; on two
shared cores that caps throughput near 40 req/s, and p95 under 300 ms at 20 back-to-back sessions
needs about 70 req/s, half the CPU per page.

Issue 23, 2026-12-07 (the fixed cost of every page cut; benchmarks/page_cpu.py measures the CPU time
per request of these pages in one process, far less sensitive than wall time to what else the
machine runs, though not immune to it on shared cores):
- Before, the per-request reads (session, user with organisation and unread count, second-factor
  device) were built and compiled by the ORM on every request: 1.75 ms of CPU for the user, 0.5 ms
  for the device, about as much for the session. They now run SQL compiled once per process
  (core.compiled, core.sessions; the same three queries, so every asserted count stands): 0.3 ms
  for the user. The navigation's links are reversed once per URL configuration.
- The filter fields of the problem list, "Shared with us" and the impact report (a third of the
  problem list's CPU, in crispy-forms and Django's widget templates) are rendered once per distinct
  field and remembered (core.templatetags.filter_fields: the same HTML, keyed on everything it
  depends on, choices included, so nothing rendered for one force is shown to another).
- CPU per request in one process (benchmarks/page_cpu.py, 100 requests a page, the code before and
  after run side by side at the same time, 21:50 UTC, load average 11-13), median ms:

      page              before   after
      problem list        33.7    21.1
      problem page        52.8    49.4
      shared with us      20.5    15.3
      supervisor home     31.9    29.0
      impact report       46.8    39.6
      notifications        9.8     6.6   (a small page: mostly the fixed cost)
      mean of the five    32.9    27.1   (-18%)

- `make load` could not show it: both runs met a machine saturated by other engineers' test suites
  (load average 10-17 on 2 cores), and gave a tenth of the 18:31 throughput. Before (20:56 UTC,
  load average 10.7 before, 11.9 after; the same code as the 18:31 run): 20 sessions 4.2 req/s,
  p50 4389 ms, p95 5089 ms, no errors. After (21:48 UTC, `--reuse-database` on the same data,
  load average 14.3 before):

      sessions  requests  req/s    p50     p95     p99  errors
           5       129    4.3    902 ms 2318 ms 4035 ms      0
          10       201    6.7   1291 ms 2377 ms 2522 ms      0
          20       206    6.9   2603 ms 3462 ms 3724 ms      0
          40       130    4.3   7243 ms 8505 ms 8854 ms      0

  These are figures of the machine's load, not of the app; rerun on a quiet machine.

What stands between the figure and the goal: at 18:31's conditions (38 req/s, p95 615 ms), 18% less
CPU per page in gunicorn is about 24 -> 20 ms, so roughly 45 req/s and p95 near 500 ms, still not
300 ms: that needs about 70 req/s. The rest of each page is no longer fixed cost but the page's
own work: the problem page (19 queries, 49 ms of CPU) and the impact report (20 queries, 40 ms)
are now the heaviest, then the supervisor's home (14 queries, 29 ms); their queries and context
building (one context builder per page, CONVENTIONS.md) are where the next halving is, or more
cores (more gunicorn workers scale throughput with cores: nothing in the app assumes one process).

Issue 19, 2026-12-08 (per-page CPU, second pass). Profiled with benchmarks/page_cpu.py --page
(sampling, GIL held): building and compiling ORM queries was about a third of every page's CPU
(the problem page's main query alone a sixth: the same SQL every time), templates another third
(the `date` filter on every row, a reverse() per link, crispy-forms, static URLs), and the
problem list's filter choices went through server-side cursors (three round trips each). Done,
each giving the same HTML apart from whitespace (benchmarks/page_html.py, diffed against main):
- core.compiled.CompiledQuery: a query of one shape compiled once per process (the ORM's own SQL,
  ids put in; refused, and the ORM used, for anything it could get wrong): the problem page's main
  query and the home page's handover panel for police users; the impact report builds its
  visibility rule once.
- Templates: a `date` filter that formats as Django's does without its per-value lookups
  (core.templatetags.dates, a builtin), row and page links from one reverse per URL name
  (core.links, `pk_url`), static URLs remembered (core.staticfiles), blank form fields rendered
  once (`as_form_field`); filter choices from one plain query.
- CPU per request in one process (page_cpu.py, 100 requests a page, main and this branch run side
  by side at the same moment, 01:02 UTC, load average 5.3-6.8: the machine shared with test runs),
  median ms; an earlier pair (00:47, load average 5.7-6.8, before the handover panel) in brackets:

      page              before   after         (00:47 pair)
      problem list        18.8    17.2   -9%   (20.1 -> 17.5)
      problem page        44.7    35.5  -20%   (46.0 -> 37.9)
      shared with us      13.2    11.7  -11%   (16.5 -> 15.7)
      supervisor home     26.0    21.7  -17%   (39.1 -> 38.7)
      impact report       38.4    33.0  -14%   (41.4 -> 37.2)
      mean of the five    25.2    21.6  -14%   (28.7 -> 25.7)

  Not yet the half the goal needs. What is left is spread over the pages' other queries (each
  built and compiled on every request: the supervisor's home makes 14, the impact report 20) and
  their templates; CompiledQuery can take more of them (it needs dates as parameters first: most
  panels filter on today), or the pages can make fewer queries.

Measured on the project's 2-core machine, 2026-12-08 01:35-01:42 UTC, on a quiet machine (nothing
else running; load average 1.0 before the first run, 2.5-3.8 from the benchmark's own runs),
`make load` as it stands after both passes (3 gunicorn workers, the demo and 2,000 more problems,
30 s a level after 5 s of warm-up):

    sessions  requests  req/s    p50     p95     p99  errors
           5     1,635   54.5    88 ms  144 ms  177 ms      0
          10     2,166   72.2   135 ms  187 ms  211 ms      0
          20     1,507   50.2   397 ms  480 ms  520 ms      0   (first run; see below)
          40     1,639   54.6   712 ms  880 ms  914 ms      0

  Two reruns at 20 sessions on the same data (`--reuse-database`), a minute apart: 69.8 req/s,
  p50 277 ms, p95 364 ms, p99 403 ms; and 67.1 req/s, p50 287 ms, p95 381 ms, p99 439 ms, no
  errors. The first 20-session level's 50 req/s did not recur; 67-70 req/s is the server's
  throughput at saturation (10 sessions: 72 req/s, and the earlier quiet figure was 38).
  Where the CPU went at 20 sessions (top, 8 s sample): gunicorn's three workers 137% of the two
  cores, PostgreSQL's three backends 54%, the load generator 4%: about 20 ms of Python and 8 ms of
  PostgreSQL a page. PostgreSQL's server-side binding with prepared statements (psycopg's
  prepare_threshold) was tried: PostgreSQL's share fell to 41% but gunicorn's rose to 149%, and
  throughput did not change (65 req/s), so it was not kept.

The goal is NOT met: no errors at any level, p95 364-381 ms at 20 sessions against 300 ms (was 615
ms). Closed-loop, p95 under 300 ms at 20 sessions needs about 85 req/s on these two cores, so
about 20% less CPU a page (some 23 ms in all instead of 28). cProfile of the five pages shows no
single cost left that large: it is spread over building and compiling each page's other ORM queries
(the largest share), template variable lookups and model instantiation. The next steps are the ones
named above (CompiledQuery with dates as parameters for the home panels and the partner lists, fewer
queries per page), or a third core (throughput scales with gunicorn workers and cores).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "var" / "benchmarks"
PASSWORD = "Common-Ground-demo-2026"  # the demo's (README, "Demo logins")
BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 11)]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PATIENCE_SECONDS = 120

# role -> the demo people who play it (sessions take them in turn; each has ten backup codes).
PEOPLE = {
    "officer": ["officer@police.example", "officer2@police.example"],
    "partner": ["member@council.example", "lead@council.example"],
    "supervisor": ["supervisor@police.example"],
    "analyst": ["analyst@police.example"],
}
ROLES = ("officer", "partner", "supervisor", "analyst")


# The production shape's broker (Redis): the seeding queues the demo's reminders and /healthz asks the
# broker; with the embedded default's filesystem broker, whose folders only `make run` makes, both
# failed. Nothing consumes what is queued here.
BROKER_URL = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/9")


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(database_url: str, extra_problems: int) -> None:
    parsed = urllib.parse.urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", "--no-psqlrc", "-q", "--dbname", admin, "-c", sql], check=True)  # noqa: S603, S607
    env = _env(database_url, DJANGO_SETTINGS_MODULE="config.settings.base")
    _manage("migrate", "--verbosity", "0", env=env)
    _manage("seed_demo", env=env)
    _manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    if extra_problems:
        code = f"from benchmarks.load import add_problems; add_problems({extra_problems})"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603


def add_problems(count: int) -> None:
    """`count` generated problems of the demo force, owned by the demo officer (benchmarks/data.py)."""
    import django

    django.setup()
    from types import SimpleNamespace

    from accounts.models import User
    from benchmarks.data import copy_rows, problem_columns, problem_rows
    from partnerships.models import Neighbourhood
    from problems.models import Problem, ProblemCategory

    officer = User.objects.get(email="officer@police.example")
    world: Any = SimpleNamespace(force=officer.organisation, users={"officer": officer})
    areas = list(Neighbourhood.objects.filter(organisation=officer.organisation).values_list("pk", flat=True))
    categories = list(ProblemCategory.objects.values_list("pk", flat=True))
    copy_rows(Problem, problem_columns(), problem_rows(world, areas, categories, count))


def restore_backup_codes(database_url: str) -> None:
    """Each demo person's ten backup codes back, as `make run` does: every session signs in with one."""
    emails = [email for people in PEOPLE.values() for email in people]
    code = (
        "import django; django.setup();"
        "from accounts.demo import _restore_second_factor;"
        "from accounts.models import User;"
        f"[_restore_second_factor(u) for u in User.objects.filter(email__in={emails!r})]"
    )
    env = _env(database_url, DJANGO_SETTINGS_MODULE="config.settings.base")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603


def page_plan(database_url: str) -> dict[str, Any]:
    """The problem pages the officers may open and the analyst's impact report address, read from
    the database in a child process (Django set up against the load database)."""
    code = (
        "import json, django; django.setup();"
        "from accounts.models import User;"
        "from problems.selectors.problems import problem_list_visible_to;"
        "from evaluation.forms.impact import default_period;"
        "from evaluation.selectors.impact import impact_areas_for;"
        "officer = User.objects.get(email='officer@police.example');"
        "problems = list(problem_list_visible_to(user=officer).values_list('pk', flat=True)[:50]);"
        "analyst = User.objects.get(email='analyst@police.example');"
        "start, end = default_period();"
        "area = impact_areas_for(analyst)[0][0];"
        "print(json.dumps({'problems': problems, 'impact': {'start': str(start), 'end': str(end), 'area': area}}))"
    )
    env = _env(database_url, DJANGO_SETTINGS_MODULE="config.settings.base")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = _env(
        database_url,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer")


@dataclass
class Session:
    port: int
    role: str
    email: str
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PATIENCE_SECONDS)

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": origin + path,
        }
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # gunicorn's sync workers close the connection after each response: open another.
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.getheader("Location", ""), text

    def sign_in(self, backup_code: str) -> None:
        status, _, page = self.request("GET", "/sign-in/")
        token = CSRF_FIELD.search(page)
        if status != 200 or token is None:
            raise SystemExit(f"The sign-in page answered {status}")
        body = {"csrfmiddlewaretoken": token.group(1), "username": self.email, "password": PASSWORD}
        status, location, _ = self.request("POST", "/sign-in/", body)
        if status != 302:
            raise SystemExit(f"{self.email}: the sign-in answered {status}")
        # The sign-in sends the person on to their page, which sends them to the second factor.
        for _ in range(3):
            status, next_location, page = self.request("GET", location)
            if status != 302:
                break
            location = next_location
        token = CSRF_FIELD.search(page)
        if token is None:
            raise SystemExit(f"{self.email}: no second-factor form ({status})")
        body = {"csrfmiddlewaretoken": token.group(1), "code": backup_code}
        status, location, _ = self.request("POST", location, body)
        if status != 302 or "second-factor" in location:
            raise SystemExit(f"{self.email}: the second factor was refused (a demo backup code used up?)")


def sign_in_sessions(port: int, count: int) -> list[Session]:
    sessions: list[Session] = []
    codes_used: dict[str, int] = defaultdict(int)
    for n in range(count):
        role = ROLES[n % len(ROLES)]
        people = PEOPLE[role]
        email = people[(n // len(ROLES)) % len(people)]
        session = Session(port, role, email)
        session.sign_in(BACKUP_CODES[codes_used[email]])
        codes_used[email] += 1
        sessions.append(session)
    return sessions


def pages_for(role: str, plan: dict[str, Any]) -> list[tuple[str, str]]:
    if role == "officer":
        return [
            page
            for pk in plan["problems"][:20]
            for page in (("problem list", "/problems/"), ("problem page", f"/problems/{pk}/"))
        ]
    if role == "partner":
        return [("shared with us", "/shared-with-us/")]
    if role == "supervisor":
        return [("supervisor home", "/")]
    return [("impact report", "/reports/impact/?" + urllib.parse.urlencode(plan["impact"]))]


@dataclass
class Sample:
    page: str
    ms: float
    ok: bool


def run_level(sessions: list[Session], plan: dict[str, Any], warmup: float, seconds: float) -> dict[str, Any]:
    samples: list[Sample] = []
    lock = threading.Lock()
    started = time.monotonic()
    measure_from = started + warmup
    stop_at = measure_from + seconds

    def work(session: Session) -> None:
        pages = pages_for(session.role, plan)
        n = 0
        mine: list[Sample] = []
        while time.monotonic() < stop_at:
            name, path = pages[n % len(pages)]
            n += 1
            began = time.monotonic()
            try:
                status, _, _ = session.request("GET", path)
                ok = status == 200
            except (http.client.HTTPException, OSError):
                ok = False
            ended = time.monotonic()
            # Only requests made wholly inside the measured window count.
            if began >= measure_from and ended <= stop_at:
                mine.append(Sample(name, (ended - began) * 1000, ok))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(samples, seconds)


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _stats(samples: list[Sample], seconds: float) -> dict[str, Any]:
    times = [s.ms for s in samples]
    return {
        "requests": len(samples),
        "throughput_rps": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(times, 50), 1),
        "p95_ms": round(_percentile(times, 95), 1),
        "p99_ms": round(_percentile(times, 99), 1),
        "mean_ms": round(statistics.fmean(times), 1) if times else None,
        "errors": sum(1 for s in samples if not s.ok),
    }


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_page[sample.page].append(sample)
    return {
        **_stats(samples, seconds),
        "pages": {page: _stats(found, seconds) for page, found in sorted(by_page.items())},
    }


def _print_level(count: int, result: dict[str, Any]) -> None:
    print(
        f"{count:>3} sessions: {result['requests']:>6} requests, {result['throughput_rps']:>6} req/s, "
        f"p50 {result['p50_ms']:>7} ms, p95 {result['p95_ms']:>7} ms, p99 {result['p99_ms']:>7} ms, "
        f"errors {result['errors']}"
    )
    for page, stats in result["pages"].items():
        print(
            f"      {page:<16} {stats['requests']:>6} requests, p50 {stats['p50_ms']:>7} ms, "
            f"p95 {stats['p95_ms']:>7} ms, p99 {stats['p99_ms']:>7} ms, errors {stats['errors']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", default=os.environ.get("LOAD_SESSIONS", "5,10,20,40"))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", "30")))
    parser.add_argument("--warmup", type=float, default=float(os.environ.get("LOAD_WARMUP_SECONDS", "5")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", "3")))
    parser.add_argument("--extra-problems", type=int, default=int(os.environ.get("LOAD_EXTRA_PROBLEMS", "2000")))
    parser.add_argument("--reuse-database", action="store_true", help="skip making and seeding the database")
    args = parser.parse_args()
    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonground_load")
    levels = [int(n) for n in args.sessions.split(",")]

    if not args.reuse_database:
        print(f"Preparing {database_url} (demo + {args.extra_problems} problems)...", flush=True)
        prepare_database(database_url, args.extra_problems)
    restore_backup_codes(database_url)
    plan = page_plan(database_url)
    port = _free_port()
    server = start_gunicorn(database_url, port, args.workers)
    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "workers": args.workers,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "levels": {},
    }
    try:
        sessions = sign_in_sessions(port, max(levels))
        print(f"gunicorn ({args.workers} workers) on 127.0.0.1:{port}; {len(sessions)} sessions signed in.")
        for count in levels:
            result = run_level(sessions[:count], plan, args.warmup, args.seconds)
            report["levels"][str(count)] = result
            _print_level(count, result)
    finally:
        server.terminate()
        server.wait(timeout=PATIENCE_SECONDS)
    report["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2))
    print(f"Load average before {report['load_average_before']}, after {report['load_average_after']}.")
    print(f"Results in {RESULTS / 'load.json'}")


if __name__ == "__main__":
    main()
