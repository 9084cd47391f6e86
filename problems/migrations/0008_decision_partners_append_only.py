"""The partner organisations named on a decision log entry (a joint decision) are part of the
permanent record too: their join table refuses UPDATE, DELETE and TRUNCATE, as the decision log
does (migrations 0002 and 0007). PostgreSQL only; SQLite has no such triggers."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "problems_decisionlogentry_partner_organisations"

CREATE = f"""
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{TABLE} is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();

CREATE TRIGGER {TABLE}_refuse_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TABLE}_refuse_truncate ON {TABLE};
DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_append_only();
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("problems", "0007_decision_log_refuses_truncate")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
