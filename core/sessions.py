"""The session store: Django's database sessions (sessions live in the database, never in Redis:
the site keeps working when the broker is down), with the one read every request makes written
as SQL once instead of built by the ORM each time (benchmarks/page_cpu.py: building and compiling
`Session.objects.get(session_key=..., expire_date__gt=now)` cost more than running it).

Set by SESSION_ENGINE = "core.sessions". Everything else (create, save, delete, expiry, the
session's signing and encoding) is Django's `db.SessionStore`, unchanged."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The unexpired session row for this key, as Django's own read finds it, or None (and the
        key is forgotten, as Django does, so that a new session gets a new key)."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
