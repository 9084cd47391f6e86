"""/healthz reports database and broker reachability as JSON."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.processes import run_python


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert set(body["worker"]) == {"status", "last_seen"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_the_broker_is_unreachable() -> None:
    # A separate process, so that it starts with a broker address where nothing listens (port 1).
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    result = run_python("-c", script, env=env)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["broker"] == "unreachable"
    assert outcome["body"]["database"] == "ok"


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"


@pytest.mark.drill
@pytest.mark.django_db
def test_healthz_says_503_within_seconds_when_the_broker_hangs(client: Client) -> None:
    """A broker that accepts connections and never answers (a hung Redis) makes /healthz fail after
    the broker socket timeout (BROKER_SOCKET_TIMEOUT), not wait for ever."""
    import time

    from tests.drills import celery_broker, silent_server

    with silent_server() as url, celery_broker(url):
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"
    assert took < 30, f"/healthz took {took:.1f} s"
