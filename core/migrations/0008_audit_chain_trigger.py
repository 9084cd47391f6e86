"""The audit log's hash chain for new events (core.audit_chain documents the recipe and the lock).

On PostgreSQL a BEFORE INSERT trigger takes a transaction-level advisory lock, reads the newest
event and sets the new event's `seq`, `prev_hash` and `hash` from it and from the `content_hash`
the application computed. The lock is held until the inserting transaction ends, so the chain
has no forks and follows the commit order. In READ COMMITTED (the application's level) each
statement of a PL/pgSQL function takes a fresh snapshot, so the read after the lock sees the
event that the previous holder committed. SQLite, the embedded default, is chained by core.audit.

The key is core.audit_chain.AUDIT_CHAIN_LOCK ("cgaudit" in ASCII)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash varchar(64);
BEGIN
    IF NEW.content_hash IS NULL OR NEW.content_hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'core_auditevent: an event needs its content_hash (core.audit writes them)'
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_advisory_xact_lock(27979690973358452);
    SELECT seq, hash INTO last_seq, last_hash FROM core_auditevent ORDER BY seq DESC LIMIT 1;
    NEW.seq := COALESCE(last_seq, 0) + 1;
    NEW.prev_hash := COALESCE(last_hash, repeat('0', 64));
    NEW.hash := encode(sha256(convert_to(NEW.seq::text || ':' || NEW.prev_hash || ':' || NEW.content_hash, 'UTF8')), 'hex');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_chain
    BEFORE INSERT ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_chain();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_chain ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_chain();
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(db_default=0, editable=False, unique=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
