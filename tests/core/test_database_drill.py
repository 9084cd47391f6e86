"""Database drill: the app's PostgreSQL connections are terminated under a running gunicorn
(as a database restart, a failover or an administrator's pg_terminate_backend does).

- The next request succeeds: with CONN_HEALTH_CHECKS, a kept connection (CONN_MAX_AGE) is checked
  before a request first uses it, and a dead one is replaced.
- A request in flight when its connection drops cannot be finished (its query is gone with the
  connection, and replaying a write is not safe): it gets a 503 page that says so, with Retry-After,
  not the generic "something went wrong" (core.views.server_error); the worker lives on and its next
  request opens a new connection.
- /healthz tells the truth: "ok" once the database answers again, 503 "unreachable" while it does not.

README, "Backup, restore and drills", says how to run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from core.health import DATABASE_CONNECTION_LOST
from tests.drills import free_port, wait_for
from tests.processes import run_python

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Generous: only reached when something is broken; every wait below ends on a condition.
PATIENCE_SECONDS = 60


def _database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _control() -> psycopg.Connection[Any]:
    """A connection of the test's own, outside Django, to watch and terminate the server's."""
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True)


def _wait(condition: Any, what: str) -> Any:
    return wait_for(condition, timeout=PATIENCE_SECONDS, what=what)


class Server:
    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str, *, session: str | None = None) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base + path)  # noqa: S310 (http on loopback)
        if session:
            request.add_header("Cookie", f"sessionid={session}")
        try:
            with urllib.request.urlopen(request, timeout=PATIENCE_SECONDS) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def server(transactional_db: None) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict["NAME"]),
        "CONN_MAX_AGE": "600",
        "DEBUG": "false",
    }
    process = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}")

    def answers() -> bool:
        try:
            return server.get("/healthz")[0] in (200, 503)
        except OSError:
            return False

    try:
        _wait(answers, "gunicorn to answer")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=PATIENCE_SECONDS)


def _server_backends(control: psycopg.Connection[Any]) -> list[int]:
    rows = control.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND backend_type = 'client backend'"
    ).fetchall()
    return [pid for (pid,) in rows]


def _terminate_server_backends(control: psycopg.Connection[Any]) -> None:
    # Django's own test connection is closed first, so every other backend is the server's.
    for pid in _server_backends(control):
        control.execute("SELECT pg_terminate_backend(%s)", [pid])
    _wait(lambda: not _server_backends(control), "the terminated backends to go")


def test_after_the_apps_connections_are_terminated_the_next_request_succeeds(server: Server) -> None:
    connection.close()
    with _control() as control:
        assert server.get("/sign-in/", session="no-such-session")[0] == 200
        status, _, body = server.get("/healthz")
        assert json.loads(body)["database"] == "ok"
        assert _server_backends(control), "the server keeps its connection between requests"

        _terminate_server_backends(control)

        status, _, body = server.get("/sign-in/", session="no-such-session")
        assert status == 200, body
        status, _, body = server.get("/healthz")
        assert json.loads(body)["database"] == "ok"
        assert _server_backends(control), "a new connection replaced the dead one"


def test_a_request_in_flight_when_its_connection_drops_gets_a_page_that_says_so(server: Server) -> None:
    connection.close()
    outcome: dict[str, Any] = {}
    with _control() as control, _control() as locker:
        assert server.get("/sign-in/", session="no-such-session")[0] == 200
        # Hold the session table, so that the next request waits on it with its query under way.
        with locker.transaction():
            locker.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
            request = threading.Thread(
                target=lambda: outcome.update(response=server.get("/sign-in/", session="no-such-session"))
            )
            request.start()
            waiting = _wait(
                lambda: control.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                ).fetchall(),
                "the request to wait on the lock",
            )
            for (pid,) in waiting:
                control.execute("SELECT pg_terminate_backend(%s)", [pid])
            request.join(PATIENCE_SECONDS)
        status, headers, body = outcome["response"]
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert "The database could not be reached" in body
        assert DATABASE_CONNECTION_LOST.split(",")[0] in body

        # The same worker answers the next request with a new connection.
        status, _, body = server.get("/sign-in/", session="no-such-session")
        assert status == 200, body
        assert json.loads(server.get("/healthz")[2])["database"] == "ok"


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_unreachable() -> None:
    # A separate process whose database address is a port where nothing listens.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
    }
    result = run_python("-c", script, env=env)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["database"] == "unreachable"
    assert outcome["body"]["status"] == "error"
