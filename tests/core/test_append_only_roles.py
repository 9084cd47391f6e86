"""The audit log and the decision log cannot be emptied or rewritten (DESIGN.md section 5).

Triggers refuse UPDATE, DELETE and TRUNCATE even for the tables' owner; the rest of the protection
is the role the application connects as: granted by core.db_roles, it owns nothing, so it can
neither switch the triggers off nor truncate, update or delete, while it reads and adds as before."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from core.audit import audit_record
from core.db_roles import ALLOW_TRUNCATE_SQL, ROLE_IS_SUPERUSER, ROLE_NAME_INVALID, app_role_grant
from core.models import AuditEvent
from problems.models import DecisionConfirmation, DecisionLogEntry
from problems.services.decisions import decision_confirm
from tests.conftest import World
from tests.problems.factories import ProblemFactory
from tests.problems.factories_decisions import decision
from tests.problems.factories_sharing import share

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers and roles are PostgreSQL's"),
]

APPEND_ONLY = {
    "core_auditevent": AuditEvent,
    "problems_decisionlogentry": DecisionLogEntry,
    "problems_decisionconfirmation": DecisionConfirmation,
}


def _refused(sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def _rows(world: World) -> None:
    """One row in each append-only table."""
    problem = share(world).problem
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    decision_confirm(actor=world.users["partner_lead"], entry=entry)
    assert AuditEvent.objects.exists()
    assert DecisionLogEntry.objects.exists()
    assert DecisionConfirmation.objects.exists()
    # The test's transaction holds the rows' deferred foreign-key checks, and PostgreSQL will not
    # TRUNCATE a table with pending trigger events: run them now, so that only our trigger decides.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# --- The statement trigger: TRUNCATE is refused even for the owner ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
def test_truncate_is_refused_even_for_the_tables_owner(world: World, table: str) -> None:
    _rows(world)
    _refused(f"TRUNCATE {table} CASCADE", match="append-only: TRUNCATE is not allowed")
    assert APPEND_ONLY[table].objects.exists()


@pytest.mark.django_db
def test_a_truncate_that_cascades_into_the_audit_log_is_refused(world: World) -> None:
    _rows(world)
    # Audit events and decisions refer to users: truncating users with CASCADE reaches both.
    _refused("TRUNCATE accounts_user CASCADE", match="append-only: TRUNCATE is not allowed")
    assert AuditEvent.objects.exists()
    assert DecisionLogEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_harness_flush_empties_them_and_allows_nothing_after(world: World) -> None:
    _rows(world)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not DecisionLogEntry.objects.exists()
    # SET LOCAL: the permission ended with the flush's transaction, and the triggers are on again.
    audit_record(actor=None, verb="core.test.recorded")
    _refused("TRUNCATE core_auditevent CASCADE", match="append-only: TRUNCATE is not allowed")
    _refused("DELETE FROM core_auditevent", match="append-only: DELETE is not allowed")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_every_table_with_an_append_only_trigger_is_listed_and_refuses_truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE tgname LIKE %s OR tgname LIKE %s ORDER BY 1, 2",
            ["%\\_append\\_only", "%\\_refuse\\_truncate"],
        )
        triggers = cursor.fetchall()
    by_table: dict[str, set[str]] = {}
    for table, name in triggers:
        by_table.setdefault(table, set()).add(name.removeprefix(f"{table}_"))
    assert by_table == {table: {"append_only", "refuse_truncate"} for table in settings.APPEND_ONLY_TABLES}


# --- The application's role ------------------------------------------------------------------------


def _new_role(*, login: bool = False) -> str:
    role = f"cg_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" {"LOGIN" if login else "NOLOGIN"}')
    return role


@pytest.fixture
def as_app_role(world: World) -> Iterator[str]:
    """Inside the test's transaction (so the role and its grants vanish with it): a new role given
    the application's privileges, then taken on by this connection."""
    _rows(world)
    role = _new_role()
    app_role_grant(connection=connection, role=role)
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _assert_append_only_for_this_role(table: str, column: str = "created_at") -> None:
    for sql, match in (
        (f"TRUNCATE {table}", "permission denied"),
        (f"TRUNCATE {table} CASCADE", "permission denied"),
        (f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner"),
        (f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only", "must be owner"),
        (f"DROP TRIGGER {table}_refuse_truncate ON {table}", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        (f"UPDATE {table} SET {column} = now()", "permission denied"),  # noqa: S608  (our own table names)
        (f"DELETE FROM {table}", "permission denied"),  # noqa: S608
    ):
        _refused(sql, match)
    # Saying the flush's words does not give the role the TRUNCATE privilege.
    _refused(f"{ALLOW_TRUNCATE_SQL}; TRUNCATE {table}", "permission denied")


@pytest.mark.django_db
def test_the_app_role_cannot_empty_or_rewrite_the_audit_log_but_reads_and_adds(world: World, as_app_role: str) -> None:
    _assert_append_only_for_this_role("core_auditevent")
    event = audit_record(actor=world.users["officer"], verb="core.test.recorded", detail={"n": 1})
    assert AuditEvent.objects.filter(pk=event.pk, detail={"n": 1}).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_app_role


@pytest.mark.django_db
def test_the_app_role_cannot_empty_or_rewrite_the_decision_log_but_reads_and_adds(
    world: World, as_app_role: str
) -> None:
    _assert_append_only_for_this_role("problems_decisionlogentry")
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    assert DecisionLogEntry.objects.get(pk=entry.pk).partner_organisations.get() == world.partner


@pytest.mark.django_db
def test_the_app_role_cannot_rewrite_a_joint_decisions_confirmations_but_reads_and_adds(
    world: World, as_app_role: str
) -> None:
    _assert_append_only_for_this_role("problems_decisionconfirmation", column="confirmed_at")
    problem = share(world).problem
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    confirmation = decision_confirm(actor=world.users["partner_lead"], entry=entry)
    assert DecisionConfirmation.objects.get(pk=confirmation.pk).confirmed_by == world.users["partner_lead"]


@pytest.mark.django_db
def test_the_app_role_works_the_other_tables_as_usual(world: World, as_app_role: str) -> None:
    user = world.users["officer"]
    user.full_name = "Renamed Officer"
    user.save()
    problem = ProblemFactory(force=world.force, owner=user)
    problem.delete()
    assert not type(problem).objects.filter(pk=problem.pk).exists()


@pytest.mark.django_db
def test_the_app_role_owns_the_crime_records_whose_indexes_an_import_rebuilds(as_app_role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'evaluation_crimerecord'")
        assert cursor.fetchone()[0] == as_app_role
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_auditevent'")
        assert cursor.fetchone()[0] != as_app_role


@pytest.mark.django_db
def test_the_app_role_runs_an_import_that_switches_a_new_crime_table_in_and_owns_it(as_app_role: str) -> None:
    import io

    from evaluation.models import CrimeImportRun, CrimeRecord, ImportState
    from evaluation.services.crime_import import crime_import_run
    from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

    with connection.cursor() as cursor:
        cursor.execute("SELECT 'evaluation_crimerecord'::regclass::oid")
        before = cursor.fetchone()[0]
    run = CrimeImportRun.objects.create(file_name="street.csv")

    run = crime_import_run(run=run, stream=io.BytesIO(police_csv([crime_row(crime_id=crime_id(1)), crime_row()])))

    assert (run.state, CrimeRecord.objects.count()) == (ImportState.DONE, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'evaluation_crimerecord'::regclass::oid")
        assert cursor.fetchone()[0] != before  # a first import loads a new table and switches it in
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'evaluation_crimerecord'")
        assert cursor.fetchone()[0] == as_app_role


@pytest.mark.django_db
def test_a_superuser_or_a_bad_name_is_refused_as_the_app_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        superuser = cursor.fetchone()[0]
    with pytest.raises(ValueError, match=re.escape(ROLE_IS_SUPERUSER.format(role=superuser))):
        app_role_grant(connection=connection, role=superuser)
    with pytest.raises(CommandError, match=re.escape(ROLE_NAME_INVALID)):
        call_command("grant_app_role", 'x"; DROP TABLE core_auditevent; --')
    with pytest.raises(CommandError, match="There is no role"):
        call_command("grant_app_role", "cg_test_no_such_role")


@pytest.mark.django_db
def test_a_role_that_is_a_member_of_the_owner_is_refused() -> None:
    role = _new_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_auditevent'")
        owner = cursor.fetchone()[0]
        cursor.execute(f'GRANT "{owner}" TO "{role}"')
    with pytest.raises(CommandError, match="owns"):
        call_command("grant_app_role", role)


# --- migrate with a separate owner role ------------------------------------------------------------


@pytest.fixture
def login_role(transactional_db: None) -> Iterator[str]:
    """A role that can sign in, committed (a connection of its own needs it); dropped afterwards."""
    role = _new_role(login=True)
    yield role
    connection.close()
    with connection.cursor() as cursor:
        # The grant handed it the crime records: give them back before the role goes.
        cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def test_migrate_runs_as_the_owner_and_grants_the_app_role(login_role: str, settings: Any) -> None:
    owner = connection.settings_dict["USER"]
    settings.MIGRATION_DATABASE = {**connection.settings_dict}
    connection.close()
    saved_user = connection.settings_dict["USER"]
    connection.settings_dict["USER"] = login_role  # the application's DATABASE_URL role
    try:
        call_command("migrate", verbosity=0)
        # Back as the application's role: it adds and reads, and can neither empty nor rewrite.
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == login_role
        event = audit_record(actor=None, verb="core.test.recorded")
        assert AuditEvent.objects.filter(pk=event.pk).exists()
        _assert_append_only_for_this_role("core_auditevent")
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved_user
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == owner


def test_migrate_refuses_an_owner_url_for_another_database(settings: Any) -> None:
    settings.MIGRATION_DATABASE = {**connection.settings_dict, "NAME": "somewhere_else"}
    with pytest.raises(CommandError, match="must name the same database"):
        call_command("migrate", verbosity=0)
