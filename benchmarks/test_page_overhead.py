"""Benchmark: what the full middleware stack (sessions, second factor, session limits, CSP, axes)
costs on a signed-in page, against a bare Django view doing one indexed query.

Run with `make benchmark`. It reports; it does not pass or fail on timings (DESIGN.md: speed is
measured in benchmarks, not timed tests). Results are written to var/benchmarks/.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import path

from accounts.models import User
from tests.conftest import World, sign_in

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
ROUNDS, WARMUP = 300, 30


def bare_view(request: HttpRequest) -> JsonResponse:
    user = User.objects.filter(pk=1).values("email").first()
    return JsonResponse({"user": user})


urlpatterns = [path("bare/", bare_view)]


def _measure(call: Callable[[], object]) -> dict[str, float]:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": statistics.median(samples), "p95_ms": samples[int(len(samples) * 0.95)]}


@pytest.mark.django_db
def test_signed_in_home_page_against_a_bare_view(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])
    home = _measure(lambda: client.get("/"))
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=[]):
        bare_client = Client()
        bare = _measure(lambda: bare_client.get("/bare/"))
    report = {"home": home, "bare_view": bare, "ratio_median": home["median_ms"] / bare["median_ms"]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page_overhead.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
