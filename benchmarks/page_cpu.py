"""CPU time per request of the load benchmark's five pages, in one process (no gunicorn, no other
sessions), so that the figure does not depend on what else the shared machine is doing.

Each page is asked for through Django's full stack (every middleware, the session and second factor
from the database, context processors, the whole template) with the production settings, signed in
as the demo person who uses it, against the database `make load` built (LOAD_DATABASE_URL). Per page:
the median and mean of `time.process_time()` over PAGE_CPU_ROUNDS requests after a warm-up (the
Python side only: PostgreSQL's own CPU is not counted), and the queries one request makes.

    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonground_load \\
        .venv/bin/python benchmarks/page_cpu.py [--profile FILE] [--page NAME]

With --profile, cProfile's statistics of all the measured requests are written to FILE (read them
with `python -m pstats FILE`); --page NAME (repeatable) measures only the pages so named ("problem
page", ...), to profile one page at a time. Requires `make load` to have built the database first.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import secrets
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()


def _client(email: str) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from accounts.middleware import session_mark_started
    from accounts.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    session = client.session
    # As after a sign-in with a backup code (what `make load` does).
    session[DEVICE_ID_SESSION_KEY] = StaticDevice.objects.get(user=user, confirmed=True).persistent_id
    session_mark_started(type("R", (), {"session": session})())  # type: ignore[arg-type]
    session.save()
    return client


def pages() -> list[tuple[str, str, str]]:
    from accounts.models import User
    from evaluation.forms.impact import default_period
    from evaluation.selectors.impact import impact_areas_for
    from problems.selectors.problems import problem_list_visible_to

    officer = User.objects.get(email="officer@police.example")
    problem = problem_list_visible_to(user=officer).values_list("pk", flat=True)[0]
    analyst = User.objects.get(email="analyst@police.example")
    start, end = default_period()
    area = impact_areas_for(analyst)[0][0]
    impact = urllib.parse.urlencode({"start": str(start), "end": str(end), "area": area})
    return [
        ("problem list", "officer@police.example", "/problems/"),
        ("problem page", "officer@police.example", f"/problems/{problem}/"),
        ("shared with us", "member@council.example", "/shared-with-us/"),
        ("supervisor home", "supervisor@police.example", "/"),
        ("impact report", "analyst@police.example", f"/reports/impact/?{impact}"),
        ("notifications", "officer@police.example", "/notifications/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("PAGE_CPU_ROUNDS", "100")))
    parser.add_argument("--profile", help="write cProfile statistics of the measured requests here")
    parser.add_argument("--page", action="append", help="measure only the page so named (repeatable)")
    args = parser.parse_args()
    _setup(os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonground_load"))
    from django.db import connection

    # CPU time, not wall time: waiting on PostgreSQL (or for a core on a busy machine) is not counted.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    total: list[float] = []
    for name, email, path in pages():
        if args.page and name not in args.page:
            continue
        client = _client(email)
        for _ in range(10):
            assert client.get(path, secure=True).status_code == 200, (name, path)
        queries: list[str] = []

        def count(execute: Any, sql: str, *rest: Any, seen: list[str] = queries) -> Any:
            seen.append(sql)
            return execute(sql, *rest)

        # Counted by a wrapper: the request's start resets Django's own query log.
        with connection.execute_wrapper(count):
            client.get(path, secure=True)
        samples = []
        for _ in range(args.rounds):
            if profiler:
                profiler.enable()
            began = time.process_time()
            client.get(path, secure=True)
            samples.append((time.process_time() - began) * 1000)
            if profiler:
                profiler.disable()
        total.extend(samples)
        print(
            f"{name:<16} median {statistics.median(samples):6.2f} ms CPU, mean {statistics.fmean(samples):6.2f}, "
            f"{len(queries)} queries"
        )
    print(f"{'all five':<16} mean {statistics.fmean(total):6.2f} ms CPU")
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
        print("(measured with the profiler on: times are inflated; run without --profile for figures)")


if __name__ == "__main__":
    main()
