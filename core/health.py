"""Reachability of the parts the site depends on, for /healthz."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_NAME = "worker"
# Beat sends a heartbeat every minute; a worker silent for longer than this is reported stale.
HEARTBEAT_STALE_AFTER = timedelta(minutes=5)


def heartbeat_record(*, name: str = HEARTBEAT_NAME) -> None:
    """Called by the worker: note that it is alive. Idempotent (an upsert of one row)."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def heartbeat_last_seen(*, name: str = HEARTBEAT_NAME) -> datetime | None:
    return WorkerHeartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()


DATABASE_CONNECTION_LOST = (
    "The connection to the database was lost while this page was being made, so it could not be "
    "finished. Anything saved before that point is kept and nothing after it was saved: check, and try "
    "again in a moment."
)


def database_connection_lost(exception: BaseException | None) -> bool:
    """Whether `exception` is the database connection failing (dropped, refused or terminated),
    rather than a fault in a query or in our code. Django wraps the driver's error in its own
    OperationalError or InterfaceError, and marks the connection unusable, so it is closed when the
    request ends and the next request connects afresh."""
    return isinstance(exception, OperationalError | InterfaceError) and not _connection_usable()


def _connection_usable() -> bool:
    try:
        return connection.connection is not None and connection.is_usable()
    except Exception:
        return False


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("health: database unreachable")
        return False


def check_broker_and_ping_worker() -> bool:
    """Publish a heartbeat task: success proves the broker takes messages, and the worker's answer
    (a newer heartbeat) proves the round trip. The task expires unconsumed after a minute, so a
    stopped worker does not leave a pile of pings behind."""
    from core.tasks import worker_heartbeat

    try:
        worker_heartbeat.apply_async(expires=60, retry=False)
    except Exception:
        log.warning("health: broker unreachable", exc_info=True)
        return False
    return True


def health_report() -> tuple[bool, dict[str, Any]]:
    database_ok = check_database()
    broker_ok = check_broker_and_ping_worker()
    last_seen = heartbeat_last_seen() if database_ok else None
    worker_ok = last_seen is not None and timezone.now() - last_seen < HEARTBEAT_STALE_AFTER
    report = {
        "status": "ok" if database_ok and broker_ok else "error",
        "database": "ok" if database_ok else "unreachable",
        "broker": "ok" if broker_ok else "unreachable",
        "worker": {
            "status": "ok" if worker_ok else "stale",
            "last_seen": last_seen.isoformat() if last_seen else None,
        },
    }
    return database_ok and broker_ok, report
