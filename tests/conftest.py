"""Shared fixtures: the personas of the access policy, and signing in with the second factor."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import Role, User
from partnerships.models import Organisation
from tests.accounts.factories import UserFactory, totp_device
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory


def sign_in(client: Client, user: User, *, verified: bool = True) -> Client:
    """Sign in as `user`; with `verified`, also as having passed the second factor."""
    client.force_login(user)
    session = client.session
    if verified:
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


@dataclass
class World:
    """A police force, a partner organisation it works with, an unrelated partner, and a user
    for every persona of the access matrix."""

    force: Organisation
    partner: Organisation
    unrelated: Organisation
    users: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(db: None) -> World:
    force = PoliceForceFactory(name="Northshire Police")
    partner = OrganisationFactory(name="Northshire City Council")
    unrelated = OrganisationFactory(name="Faraway Housing Trust")
    w = World(force=force, partner=partner, unrelated=unrelated)
    w.users = {
        "officer": UserFactory(email="officer@police.test", role=Role.OFFICER, organisation=force),
        "supervisor": UserFactory(email="supervisor@police.test", role=Role.SUPERVISOR, organisation=force),
        "analyst": UserFactory(email="analyst@police.test", role=Role.ANALYST, organisation=force),
        "administrator": UserFactory(email="admin@police.test", role=Role.ADMINISTRATOR, organisation=force),
        "dpo": UserFactory(email="dpo@police.test", role=Role.DATA_PROTECTION_OFFICER, organisation=force),
        "partner_member": UserFactory(email="member@council.test", role=Role.PARTNER_MEMBER, organisation=partner),
        "partner_lead": UserFactory(email="lead@council.test", role=Role.PARTNER_LEAD, organisation=partner),
        "unrelated_partner": UserFactory(email="lead@faraway.test", role=Role.PARTNER_LEAD, organisation=unrelated),
        "unverified": UserFactory(email="unverified@police.test", role=Role.OFFICER, organisation=force),
        "deactivated": UserFactory(email="leaver@police.test", role=Role.OFFICER, organisation=force),
    }
    return w


@pytest.fixture
def officer(world: World) -> User:
    return world.users["officer"]


@pytest.fixture
def officer_client(client: Client, officer: User) -> Client:
    return sign_in(client, officer)


def restore_reference_rows() -> None:
    """Recreate the rows data migrations create (data categories, seldom-heard groups, problem
    categories) where they
    are missing. The migration only creates what is missing, so this is idempotent."""
    import_module("partnerships.migrations.0003_reference_data").forwards(apps, None)
    import_module("problems.migrations.0002_categories_and_append_only_decisions").categories(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _test_database_flush() -> Iterator[None]:
    # A transactional test (browser, Celery worker, real concurrency) ends with a flush that
    # empties every table, data migrations' rows included; the flush puts those rows back
    # (restore_reference_rows), so every test, on whichever pytest-xdist worker and in whatever
    # order, starts from the database as the migrations leave it.
    #
    # Django's flush is one TRUNCATE of every table, which PostgreSQL carries out by making new
    # files for each of the hundred tables and their indexes: 1-3 s a test, minutes over the suite,
    # where a test leaves a handful of rows. As a superuser (the local test role) the harness
    # deletes the rows instead (about 0.1 s), with every trigger off for the flush's one
    # transaction (session_replication_role = replica): foreign keys are not checked, and the
    # append-only triggers (core migration 0004) do not refuse it. Another role falls back to
    # Django's TRUNCATE, which the append-only tables' statement trigger refuses unless the
    # transaction allows it: the setting is prepended to the flush's statements, which Django
    # runs in one transaction.
    from django.db.backends.postgresql.operations import DatabaseOperations

    from core.db_roles import ALLOW_TRUNCATE_SQL

    original = DatabaseOperations.sql_flush

    def is_superuser(ops: DatabaseOperations) -> bool:
        with ops.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            return bool(cursor.fetchone()[0])

    def sql_flush(
        self: DatabaseOperations, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if not tables:
            return []
        if not reset_sequences and is_superuser(self):
            deletes = [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))}" for t in tables]
            return ["SET LOCAL session_replication_role = replica", *deletes]
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [ALLOW_TRUNCATE_SQL, *statements]

    original_execute = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        original_execute(self, sql_list)
        restore_reference_rows()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def broker_down() -> Iterator[None]:
    """The Celery app pointed at a port where nothing listens, as when Redis is down."""
    from config.celery import app as celery_app
    from core import reminders as core_reminders

    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_write_url, celery_app._pool, celery_app.amqp._producer_pool)
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:1/0"
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    conf.broker_url, conf.broker_write_url, celery_app._pool, celery_app.amqp._producer_pool = saved
    core_reminders._broker_paused_until = 0.0


@pytest.fixture(autouse=True)
def _busy_cpu_when_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    # `make drills` (BUSY_CPU=<processes>) runs the worker tests and the drills with a busy loop
    # on every core: they wait on conditions, never on the machine being quick.
    busy = os.environ.get("BUSY_CPU", "")
    if busy and (request.node.get_closest_marker("celery_worker") or request.node.get_closest_marker("drill")):
        from tests.drills import busy_cpu

        with busy_cpu(int(busy) if busy.isdigit() else None):
            yield
    else:
        yield
