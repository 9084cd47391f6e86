"""Settings: production refuses weak secrets and passes `check --deploy`; security headers are sent."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.processes import run_python


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python(
        "manage.py",
        *args,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        drop=frozenset({"SECRET_KEY", "DEBUG"}),
        check=False,
    )


PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/commonground",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "commonground.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587",
}


def test_check_deploy_passes_with_production_settings() -> None:
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    ["", "development-only-not-secret-common-ground-key-0123456789", "too-short", "a" * 60],
    ids=["missing", "development-key", "short", "repetitive"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key: str) -> None:
    env = dict(PRODUCTION_ENV)
    if secret_key:
        env["SECRET_KEY"] = secret_key
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value of at least 50 characters in production" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_security_headers(client: Client) -> None:
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_session_cookie_is_http_only(client: Client) -> None:
    from tests.accounts.factories import PASSWORD, UserFactory

    user = UserFactory()
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_embedded_default_uses_sqlite_wal_the_filesystem_broker_and_mail_files(tmp_path: Path) -> None:
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.db import connection;"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode');"
        "print(settings.DATABASES['default']['ENGINE'], cursor.fetchone()[0],"
        " settings.DATABASES['default']['OPTIONS']['transaction_mode'], settings.CELERY_BROKER_URL,"
        " settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'].startswith(str(settings.VAR_DIR)),"
        " settings.DEBUG);"
        "from django.core import mail; mail.send_mail('Subject', 'Body', None, ['someone@example.test']);"
        "print(len(list((settings.VAR_DIR / 'mail').iterdir())))"
    )
    result = run_python(
        "-c",
        script,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(tmp_path)},
        drop=frozenset({"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}),
    )
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["django.db.backends.sqlite3", "wal", "IMMEDIATE", "filesystem://", "True", "False"]
    # Emails are written as files under var/mail/.
    assert lines[1] == "1"


def test_cache_url_names_a_cache_every_process_shares() -> None:
    # The API's per-token rate limit (api.throttling) counts in the default cache: with CACHE_URL
    # naming Redis, what one process counted is seen by another (one gunicorn worker by the next).
    key = f"cg-settings-test-{secrets.token_hex(8)}"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.base", "CACHE_URL": "redis://127.0.0.1:6379/14"}
    setup = "import django; django.setup(); from django.core.cache import cache;"
    run_python("-c", setup + f"cache.set('{key}', 'counted', 60)", env=env, drop=frozenset({"SECRET_KEY"}))
    read = run_python("-c", setup + f"print(cache.get('{key}'))", env=env, drop=frozenset({"SECRET_KEY"}))
    assert read.stdout.strip() == "counted"
    # Without CACHE_URL each process has its own memory: the other process sees nothing.
    alone = {"DJANGO_SETTINGS_MODULE": "config.settings.base"}
    drop = frozenset({"SECRET_KEY", "CACHE_URL"})
    run_python("-c", setup + f"cache.set('{key}-alone', 'counted', 60)", env=alone, drop=drop)
    assert run_python("-c", setup + f"print(cache.get('{key}-alone'))", env=alone, drop=drop).stdout.strip() == "None"
