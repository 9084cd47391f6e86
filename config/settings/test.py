"""Tests: the real PostgreSQL and Redis on their standard local ports (override with the same
variables as any other environment)."""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonground")
# Under pytest-xdist (`make test` runs a worker per core) each worker has its own PostgreSQL test
# database (pytest-django names it after the worker) and its own broker database, since worker
# tests flush and read their broker: Redis 15 for the first worker, 13 for the second, and so on.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
os.environ.setdefault("CELERY_BROKER_URL", f"redis://127.0.0.1:6379/{15 - 2 * _XDIST_WORKER}")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import BASE_DIR, STORAGES  # noqa: E402

# Static files straight from the finders: tests need no collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Tests create and migrate their own database as the DATABASE_URL role, whatever the environment
# says about a separate migration role.
MIGRATION_DATABASE = None
