"""Problem categories (an editable list), and the decision log made append-only on PostgreSQL:
National Decision Model entries are a record of what was decided and why; a correction is a new
entry, never an edit (the same trigger shape as the audit log's, core migration 0002)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CATEGORIES = [
    ("asb", "Anti-social behaviour"),
    ("drugs", "Drugs"),
    ("violence", "Violence"),
    ("burglary", "Burglary"),
    ("vehicle-crime", "Vehicle crime"),
    ("criminal-damage", "Criminal damage"),
    ("other", "Other"),
]

CREATE = """
CREATE OR REPLACE FUNCTION problems_decisionlogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'problems_decisionlogentry is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER problems_decisionlogentry_append_only
    BEFORE UPDATE OR DELETE ON problems_decisionlogentry
    FOR EACH ROW EXECUTE FUNCTION problems_decisionlogentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS problems_decisionlogentry_append_only ON problems_decisionlogentry;
DROP FUNCTION IF EXISTS problems_decisionlogentry_append_only();
"""


def categories(apps: Any, schema_editor: Any) -> None:
    ProblemCategory = apps.get_model("problems", "ProblemCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def forwards(apps: Any, schema_editor: Any) -> None:
    categories(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
