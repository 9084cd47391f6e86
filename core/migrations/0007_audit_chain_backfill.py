"""Chain the audit events written before the hash chain existed (core.audit_chain), in id order,
a batch at a time so that memory stays flat however long the log.

On PostgreSQL the append-only trigger (0002) refuses the UPDATE that fills the new fields in: the
migration, run by the tables' owner, switches that one trigger off for its own transaction and
back on before it commits (ALTER TABLE is transactional, and holds the table's lock meanwhile, so
nothing else writes to the log while it runs)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from core.audit_chain import CONTENT_FIELDS, GENESIS_HASH, content_hash, link_hash

BATCH = 2000


def forwards(apps: Any, schema_editor: Any) -> None:
    event_model = apps.get_model("core", "AuditEvent")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    seq, prev_hash, last_id = 0, GENESIS_HASH, 0
    while True:
        rows = list(event_model.objects.filter(id__gt=last_id).order_by("id").values("id", *CONTENT_FIELDS)[:BATCH])
        if not rows:
            break
        events = []
        for row in rows:
            seq += 1
            digest = content_hash(**{name: row[name] for name in CONTENT_FIELDS})
            chained = link_hash(seq=seq, prev_hash=prev_hash, content_hash=digest)
            events.append(event_model(id=row["id"], seq=seq, prev_hash=prev_hash, content_hash=digest, hash=chained))
            prev_hash = chained
        event_model.objects.bulk_update(events, ["seq", "prev_hash", "content_hash", "hash"])
        last_id = rows[-1]["id"]
    if postgresql:
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_chain_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
