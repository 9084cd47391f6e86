"""The embedded default (`make run`: SQLite, no server) serves every demo user's main pages.

The rest of the suite runs on PostgreSQL, so a query shape SQLite refuses (a LIMIT inside a UNION's
parts, say) would pass every other test and still give `make run`'s users a server error. This
migrates a SQLite file, loads the demo as `make run` does, and asks for each demo user's pages."""

from __future__ import annotations

import json
from pathlib import Path

from tests.processes import run_python

SCRIPT = """
import django, json; django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
call_command('seed_demo', stdout=open('/dev/null', 'w'))
from django.db import connection
from django.test import Client
from accounts.models import User
from problems.models import Problem
from tests.conftest import sign_in
failures, asked = [], 0
for user in User.objects.filter(is_active=True).order_by('email'):
    client = sign_in(Client(raise_request_exception=False), user)
    paths = ['/', '/problems/', '/problems/map/', '/search/?q=lighting', '/notifications/']
    paths += [f'/problems/{pk}/' for pk in Problem.objects.order_by('pk').values_list('pk', flat=True)[:3]]
    for path in paths:
        status = client.get(path).status_code
        asked += 1
        if status >= 500:
            failures.append([user.email, path, status])
print(json.dumps({'vendor': connection.vendor, 'asked': asked, 'failures': failures}))
"""


def test_every_demo_user_s_main_pages_work_on_the_embedded_sqlite_default(tmp_path: Path) -> None:
    result = run_python(
        "-c",
        SCRIPT,
        # As bin/run-embedded (make run) starts it: DEBUG on, so static files need no collected manifest.
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "VAR_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "1",
        },
        drop=frozenset({"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["vendor"] == "sqlite"
    assert out["asked"] >= 40
    assert out["failures"] == []
