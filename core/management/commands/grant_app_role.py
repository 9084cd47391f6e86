"""Grant a PostgreSQL role what the application needs and no more (core.db_roles.app_role_grant):
run it as the tables' owner, after creating the role (README, "Database roles"). `migrate` does it
by itself when MIGRATION_DATABASE_URL is set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from core.db_roles import app_role_grant


class Command(BaseCommand):
    help = (
        "Grant ROLE SELECT and INSERT on the append-only tables (audit log, decision log) and SELECT, "
        "INSERT, UPDATE, DELETE on the others; refuses a superuser or a role that owns tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The role the application connects as (DATABASE_URL's user).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to grant on.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            app_role_grant(connection=connections[options["database"]], role=options["role"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Granted {options['role']} the application's privileges.")
