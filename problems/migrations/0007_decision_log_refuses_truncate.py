"""TRUNCATE of the decision log is refused, as the audit log's is (core migration 0005, whose
function this trigger runs): on PostgreSQL only; SQLite has no TRUNCATE."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE TRIGGER problems_decisionlogentry_refuse_truncate
    BEFORE TRUNCATE ON problems_decisionlogentry
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate();
"""

DROP = "DROP TRIGGER IF EXISTS problems_decisionlogentry_refuse_truncate ON problems_decisionlogentry;"


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_append_only_refuses_truncate"),
        ("problems", "0006_problem_followers"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
