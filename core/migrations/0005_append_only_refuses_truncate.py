"""TRUNCATE of the audit log is refused too (DESIGN.md section 5): a statement trigger raises, on
PostgreSQL, unless the transaction has set `commonground.allow_truncate` (core.db_roles), which
only the test harness's flush of its throwaway database does. The function is shared: the decision
log's trigger (problems migration 0005) uses it as well.

Its owner could still drop the trigger; the application is meant to connect as a role that owns
nothing and has no TRUNCATE privilege (README, "Database roles"). SQLite, the embedded default,
has no TRUNCATE."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION append_only_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('commonground.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_refuse_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_refuse_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS append_only_refuse_truncate();
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notification_target")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
