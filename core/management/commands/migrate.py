"""`manage.py migrate`, as Django's, except that with MIGRATION_DATABASE_URL set it connects as that
(owner) role to migrate, then grants the DATABASE_URL role what the application needs and no more
(core.db_roles.app_role_grant): tables a later migration adds are covered at once. Without the
variable it is Django's command unchanged (the SQLite default, tests, a single-role setup)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from core.db_roles import app_role_grant

CONNECTION_KEYS = ("USER", "PASSWORD", "HOST", "PORT")
OTHER_DATABASE = "MIGRATION_DATABASE_URL must name the same database as DATABASE_URL ({name}), as another role."


@contextmanager
def connected_as(connection: BaseDatabaseWrapper, other: dict[str, Any]) -> Iterator[None]:
    """Use `connection` as the role of `other` (same database), then go back to its own role."""
    saved = {key: connection.settings_dict.get(key) for key in CONNECTION_KEYS}
    connection.close()
    connection.settings_dict.update({key: other.get(key, "") for key in CONNECTION_KEYS})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


class Command(migrate.Command):
    help = (
        f"{migrate.Command.help} With MIGRATION_DATABASE_URL set: as that role, then grants the "
        "DATABASE_URL role SELECT and INSERT on the append-only tables and the usual DML elsewhere."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = settings.MIGRATION_DATABASE
        if not owner or options["database"] != DEFAULT_DB_ALIAS:
            super().handle(*args, **options)
            return
        connection = connections[DEFAULT_DB_ALIAS]
        if owner.get("NAME") != connection.settings_dict.get("NAME"):
            raise CommandError(OTHER_DATABASE.format(name=connection.settings_dict.get("NAME")))
        app_role = connection.settings_dict.get("USER") or ""
        with connected_as(connection, owner):
            super().handle(*args, **options)
            if app_role and app_role != owner.get("USER"):
                try:
                    app_role_grant(connection=connection, role=app_role)
                except ValueError as error:
                    raise CommandError(str(error)) from error
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Granted {app_role} the application's privileges (core.db_roles).")
