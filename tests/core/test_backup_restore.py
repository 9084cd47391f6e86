"""Backup and restore (bin/backup, bin/restore; README, "Backup and restore"): the demo's data is
dumped, restored into a new database, and the restored one passes the audit log's verification and
`reconcile_shares --check` (bin/restore runs both), with the same number of rows in every table."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from core.models import AuditEvent
from problems.models.sharing import ProblemGroupObjectPermission, ProblemShare

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _admin() -> psycopg.Connection[Any]:
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True)


def _row_counts(name: str) -> dict[str, int]:
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=name) as conn:
        tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # type: ignore[index]  # noqa: S608
            for table in tables
        }


def _run(*command: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": _url(database), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("MIGRATION_DATABASE_URL", None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def restored_name(transactional_db: None) -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_new_database_that_passes_every_check(restored_name: str, tmp_path: Path) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    assert AuditEvent.objects.count() > 100
    assert ProblemShare.objects.filter(ended_at__isnull=True).exists()
    assert ProblemGroupObjectPermission.objects.exists()
    original = connection.settings_dict["NAME"]
    archive = tmp_path / "commonground.dump"

    backup = _run("bin/backup", str(archive), database=original)
    assert backup.returncode == 0, backup.stderr
    restore = _run("bin/restore", str(archive), database=restored_name)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "the chain is intact" in restore.stdout
    assert "passes verify_audit and reconcile_shares --check" in restore.stdout

    before, after = _row_counts(original), _row_counts(restored_name)
    assert set(after) == set(before)
    assert after == before
    assert after["core_auditevent"] == AuditEvent.objects.count()


def test_a_restore_into_a_database_with_tables_is_refused(restored_name: str, tmp_path: Path) -> None:
    archive = tmp_path / "commonground.dump"
    assert _run("bin/backup", str(archive), database=connection.settings_dict["NAME"]).returncode == 0
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=restored_name) as conn:
        conn.execute("CREATE TABLE live_data (id int)")
    restore = _run("bin/restore", str(archive), database=restored_name)
    assert restore.returncode == 1
    assert "already has 1 table(s)" in restore.stderr
