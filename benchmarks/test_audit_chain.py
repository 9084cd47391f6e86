"""Benchmark: what the audit log's hash chain costs (core.audit_chain). Every audit write takes the
chain's advisory lock and holds it until its transaction ends, so audit-writing transactions are
serialised over the time from their audit INSERT to their commit.

Compared against the same table with the chain trigger swapped for one that only numbers the event
from a sequence (no lock, no read of the newest event, no hashing):
- one writer, autocommit: the cost of the trigger per INSERT;
- four writers at once, each transaction doing 2 ms of other work *before* its audit event (the
  shape services have: the event is recorded last) and *after* it (the worst case: the lock is held
  through the work).

Run with `make benchmark`. It reports; it does not pass or fail on timings. Results are written to
var/benchmarks/audit_chain.json.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from core.audit import audit_record

RESULTS = Path(__file__).resolve().parents[1] / "var" / "benchmarks"
SINGLE_ROUNDS, WRITERS, TRANSACTIONS, WORK_SECONDS = 500, 4, 40, 0.002

UNCHAINED = """
CREATE SEQUENCE IF NOT EXISTS bench_audit_seq;
SELECT setval('bench_audit_seq', COALESCE((SELECT max(seq) FROM core_auditevent), 0) + 1);
CREATE OR REPLACE FUNCTION core_auditevent_chain() RETURNS trigger AS $$
BEGIN
    NEW.seq := nextval('bench_audit_seq');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


@pytest.fixture
def chain_function() -> Iterator[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('core_auditevent_chain'::regproc)")
        yield cursor.fetchone()[0]


def _single(rounds: int) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        audit_record(actor=None, verb="core.bench.recorded", detail={"a": 1, "b": "text"})
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": statistics.median(samples), "p95_ms": samples[int(len(samples) * 0.95)]}


def _concurrent(*, work_after_event: bool) -> dict[str, float]:
    start_together = threading.Barrier(WRITERS + 1)

    def write() -> None:
        start_together.wait()
        for _ in range(TRANSACTIONS):
            with transaction.atomic():
                if not work_after_event:
                    time.sleep(WORK_SECONDS)
                audit_record(actor=None, verb="core.bench.recorded", detail={"a": 1})
                if work_after_event:
                    time.sleep(WORK_SECONDS)
        connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    start_together.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"seconds": round(elapsed, 3), "events_per_second": round(WRITERS * TRANSACTIONS / elapsed, 1)}


def _measure() -> dict[str, object]:
    return {
        "single_writer_autocommit": _single(SINGLE_ROUNDS),
        "4_writers_event_last": _concurrent(work_after_event=False),
        "4_writers_event_first": _concurrent(work_after_event=True),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the chain's lock is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_audit_chain_cost(chain_function: str) -> None:
    chained = _measure()
    with connection.cursor() as cursor:
        cursor.execute(UNCHAINED)
    try:
        unchained = _measure()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(chain_function)
            cursor.execute("DROP SEQUENCE IF EXISTS bench_audit_seq")
    report = {
        "chained": chained,
        "unchained": unchained,
        "sleep_floor_seconds_4_writers_in_parallel": WRITERS * TRANSACTIONS * WORK_SECONDS / WRITERS,
        "sleep_floor_seconds_4_writers_serialised": WRITERS * TRANSACTIONS * WORK_SECONDS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "audit_chain.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
