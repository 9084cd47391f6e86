"""Running the application as a PostgreSQL role that owns nothing it must not alter.

The audit log and the decision log are append-only (DESIGN.md section 5). Triggers refuse UPDATE,
DELETE and TRUNCATE of their rows, but a table's owner may disable its triggers or drop them, and a
superuser may also switch every trigger off for a session (`session_replication_role = replica`).
So the triggers hold only against a role that is neither: the application connects as a role that
owns no table and may SELECT and INSERT on the append-only tables (settings.APPEND_ONLY_TABLES),
and the usual SELECT, INSERT, UPDATE and DELETE elsewhere; a separate owner role runs the
migrations (settings.MIGRATION_DATABASE, used by core's `migrate` command). `app_role_grant` gives
the application role exactly that, and refuses a role for which it would mean nothing. The one
exception: it hands the application's role the tables it must restructure itself
(settings.APP_ROLE_OWNED_TABLES: the crime records, which a large import replaces by a table it loads).

TRUNCATE is refused by a statement trigger even for the owner, unless the transaction has set
ALLOW_TRUNCATE_SETTING: the test harness does, for its flush of a throwaway database
(tests/conftest.py). The owner or a superuser could set it too: against them, only the separate
roles protect the logs.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

ALLOW_TRUNCATE_SETTING = "commonground.allow_truncate"
# For one transaction only; the statement trigger reads it (core migration 0004).
ALLOW_TRUNCATE_SQL = f"SET LOCAL {ALLOW_TRUNCATE_SETTING} = 'on'"

ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
ROLE_NAME_INVALID = "A role name is letters, digits and underscores, starting with a letter (at most 63)."
ROLE_NOT_POSTGRESQL = "Database roles are PostgreSQL's: the SQLite default has none to grant."
ROLE_MISSING = "There is no role {role}: create it first (README, 'Database roles')."
ROLE_IS_SUPERUSER = "{role} is a superuser: it could switch the append-only triggers off. Use a role that is not."
ROLE_OWNS_TABLES = "{role} owns (or is a member of the owner of) {tables}: it could alter them and their triggers."
ROLE_BYPASSES_RLS = "{role} bypasses row-level security; use an ordinary role."
OWNER_NOT_MEMBER = (
    "{owner} cannot hand {tables} to {role}: make it a member first (GRANT {role} TO {owner}), "
    "so that migrations can still change them."
)

# What the application does to every other table of its schema.
APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
# What it does to the append-only ones: read them and add to them.
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"


def _quoted_role(connection: BaseDatabaseWrapper, role: str) -> str:
    if not ROLE_NAME.match(role):
        raise ValueError(ROLE_NAME_INVALID)
    return str(connection.ops.quote_name(role))


def app_role_problems(*, connection: BaseDatabaseWrapper, role: str) -> list[str]:
    """Why `role` could still alter the append-only tables whatever it is granted (empty if it
    could not): it is a superuser, or owns one of the models' tables (directly or through
    membership of the owner)."""
    if connection.vendor != "postgresql":
        return [ROLE_NOT_POSTGRESQL]
    _quoted_role(connection, role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            return [ROLE_MISSING.format(role=role)]
        problems = []
        if row[0]:
            problems.append(ROLE_IS_SUPERUSER.format(role=role))
        if row[1]:
            problems.append(ROLE_BYPASSES_RLS.format(role=role))
        # The tables of the project's models but those it is meant to own (settings); the crime
        # import's staging tables, which the application creates and drops itself, are its own too.
        tables = sorted(
            set(connection.introspection.django_table_names(only_existing=True, include_views=False))
            - set(settings.APP_ROLE_OWNED_TABLES)
        )
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            "AND pg_has_role(%s, tableowner, 'MEMBER') ORDER BY tablename",
            [tables, role],
        )
        owned = [name for (name,) in cursor.fetchall()]
    if owned:
        shown = ", ".join(owned[:5]) + (f" and {len(owned) - 5} more" if len(owned) > 5 else "")
        problems.append(ROLE_OWNS_TABLES.format(role=role, tables=shown))
    return problems


def app_role_grant(*, connection: BaseDatabaseWrapper, role: str) -> None:
    """Grant `role` what the application needs on every table and sequence of the current schema,
    as the tables' owner: SELECT and INSERT on the append-only tables (no UPDATE, DELETE, TRUNCATE
    or TRIGGER), SELECT, INSERT, UPDATE and DELETE elsewhere, and the sequences behind the ids.
    Everything else it was granted before is revoked first, so running it again after a migration
    (core's `migrate` command does) leaves exactly this. Raises ValueError with the reasons if the
    role could alter the append-only tables anyway."""
    problems = app_role_problems(connection=connection, role=role)
    if problems:
        raise ValueError(" ".join(problems))
    quoted = _quoted_role(connection, role)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        existing = set(connection.introspection.table_names(cursor))
        append_only = [connection.ops.quote_name(table) for table in settings.APPEND_ONLY_TABLES if table in existing]
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {quoted}",
            # CREATE: the crime import stages its COPY in tables it makes and drops
            # (evaluation.services.crime_import_copy). Owning those lets it alter nothing else.
            f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {quoted}",
            f"GRANT {APP_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        ):
            cursor.execute(statement)
        if append_only:
            tables = ", ".join(append_only)
            cursor.execute(f"REVOKE ALL ON {tables} FROM {quoted}")
            cursor.execute(f"GRANT {APPEND_ONLY_PRIVILEGES} ON {tables} TO {quoted}")
        _hand_over_owned_tables(connection, cursor, role, existing)


def _hand_over_owned_tables(connection: BaseDatabaseWrapper, cursor: Any, role: str, existing: set[str]) -> None:
    """Make `role` the owner of settings.APP_ROLE_OWNED_TABLES. The role running this keeps the
    owner's rights through its membership of `role` (PostgreSQL requires it, and migrations need
    it); the application's role never becomes a member of the migration role."""
    tables = [table for table in settings.APP_ROLE_OWNED_TABLES if table in existing]
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s) "
        "AND tableowner <> %s",
        [tables, role],
    )
    to_hand = [name for (name,) in cursor.fetchall()]
    quoted = _quoted_role(connection, role)
    if to_hand:
        cursor.execute("SELECT current_user, pg_has_role(current_user, %s, 'MEMBER')", [role])
        me, member = cursor.fetchone()
        if not member:
            raise ValueError(OWNER_NOT_MEMBER.format(owner=me, role=role, tables=", ".join(to_hand)))
        for table in to_hand:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} OWNER TO {quoted}")
    if tables:
        # An owner's own privileges, which the REVOKE ALL above took from it again.
        cursor.execute(f"GRANT ALL ON {', '.join(connection.ops.quote_name(t) for t in tables)} TO {quoted}")
