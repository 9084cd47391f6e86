"""The audit log is tamper-evident (DESIGN.md section 5): each event carries a hash over its content
and the previous event's hash, and `verify_audit` names the first event that no longer matches,
even after a change made by a database superuser with the append-only triggers switched off."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from importlib import import_module
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from core.audit import audit_record, audit_record_each, current_ip
from core.audit_chain import (
    AUDIT_CHAIN_LOCK,
    CONTENT_CHANGED,
    CONTENT_FIELDS,
    EVENTS_MISSING,
    GENESIS_HASH,
    LINK_BROKEN,
    audit_chain_verify,
    content_hash,
)
from core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.processes import run_python

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", *args)
    return str(raised.value)


def _whole_numbers_as_integers(detail: dict[str, Any]) -> dict[str, Any]:
    return {key: int(v) if isinstance(v, float) and v.is_integer() else v for key, v in detail.items()}


def _recomputed_hash(event: AuditEvent, prev_hash: str) -> str:
    """The recipe of core.audit_chain's docstring, written out again from the docstring alone
    (for flat details and IPv4 addresses)."""
    content = {
        "actor_id": event.actor_id,
        "actor_organisation_id": event.actor_organisation_id,
        "created_at": event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "detail": _whole_numbers_as_integers(event.detail),
        "ip": bytes(map(int, event.ip.split("."))).hex() if event.ip else None,
        "target_id": event.target_id,
        "target_type": event.target_type,
        "verb": event.verb,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()
    return hashlib.sha256(f"{event.seq}:{prev_hash}:{digest}".encode("ascii")).hexdigest()


def _events(count: int) -> list[AuditEvent]:
    user = UserFactory()
    return [
        audit_record(actor=user, verb="core.test.recorded", target=user, detail={"n": n, "note": "café"})
        for n in range(count)
    ]


def _chain() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq"))


@contextmanager
def _triggers_off() -> Iterator[Any]:
    """As a database superuser who switches every trigger off for the rest of the transaction (the
    append-only triggers included), which no role of the application can do (core.db_roles)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


# --- A chain as written verifies ------------------------------------------------------------------


@pytest.mark.django_db
def test_each_event_links_to_the_one_before_by_the_documented_recipe() -> None:
    token = current_ip.set("192.0.2.10")
    try:
        _events(3)
    finally:
        current_ip.reset(token)

    chain = _chain()
    assert [event.seq for event in chain] == list(range(1, len(chain) + 1))
    prev_hash = GENESIS_HASH
    for event in chain:
        assert event.prev_hash == prev_hash
        assert event.hash == _recomputed_hash(event, prev_hash)
        prev_hash = event.hash
    assert chain[-1].ip == "192.0.2.10"


@pytest.mark.django_db
def test_the_returned_event_carries_its_place_in_the_chain_without_another_query(
    django_assert_num_queries: Any,
) -> None:
    first = audit_record(actor=None, verb="core.test.recorded")
    with django_assert_num_queries(1):  # the INSERT; its RETURNING brings seq, prev_hash and hash
        second = audit_record(actor=None, verb="core.test.recorded", detail={"ratio": 1.0, "big": 1e20, "x": 0.1})
    stored = AuditEvent.objects.get(pk=second.pk)
    assert (second.seq, second.prev_hash, second.hash) == (first.seq + 1, first.hash, stored.hash)
    # The numbers come back from jsonb as 1.0, 100000000000000000000 and 0.1: the same hash.
    assert stored.detail == {"ratio": 1.0, "big": 100000000000000000000, "x": 0.1}
    assert stored.hash == _recomputed_hash(stored, first.hash)
    assert "Verified 2 audit event(s): the chain is intact" in _verify()


@pytest.mark.django_db
def test_a_fresh_chain_verifies_and_names_its_head() -> None:
    events = _events(4)
    total = AuditEvent.objects.count()  # the factory's user's own events too
    assert total >= 4
    out = _verify("--chunk-size", "2")
    assert (
        f"Verified {total} audit event(s): the chain is intact. Head: position {total}, hash {events[-1].hash}" in out
    )
    assert f"--head {total}:{events[-1].hash}" in out


@pytest.mark.django_db
def test_bad_options_are_refused_with_a_message() -> None:
    assert "at least 1" in _verify_fails("--chunk-size", "0")
    assert "POSITION:HASH" in _verify_fails("--head", "forty-one")
    assert "POSITION:HASH" in _verify_fails("--head", "0:" + "a" * 64)


@pytest.mark.django_db
def test_an_empty_log_verifies() -> None:
    assert "Verified 0 audit event(s)" in _verify()


@pytest.mark.django_db
def test_bulk_recorded_events_are_links_of_the_chain_in_order(django_assert_num_queries: Any) -> None:
    users = [UserFactory() for _ in range(3)]
    before = audit_record(actor=None, verb="core.test.recorded")
    with django_assert_num_queries(1):
        events = audit_record_each(actor=users[0], verb="accounts.user.viewed", targets=users)
    after = audit_record(actor=None, verb="core.test.recorded")

    assert [e.seq for e in events] == [before.seq + 1, before.seq + 2, before.seq + 3]
    assert [e.prev_hash for e in events] == [before.hash, events[0].hash, events[1].hash]
    assert [e.target_id for e in events] == [str(user.pk) for user in users]
    assert after.prev_hash == events[-1].hash
    assert f"Verified {AuditEvent.objects.count()} audit event(s)" in _verify()


# --- Tampering is found ----------------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db
def test_an_event_changed_by_a_superuser_with_the_triggers_off_is_the_first_mismatch() -> None:
    events = _events(5)
    with _triggers_off() as cursor:
        cursor.execute("UPDATE core_auditevent SET detail = '{\"n\": 99}' WHERE id = %s", [events[2].pk])

    message = _verify_fails()
    assert f"{events[2].seq - 1} event(s) matched; the first that does not is event {events[2].pk}" in message
    assert (
        f"(chain position {events[2].seq}, core.test.recorded, recorded {events[2].created_at.isoformat()})" in message
    )
    assert CONTENT_CHANGED in message
    report = audit_chain_verify()
    assert report.mismatch is not None
    assert report.mismatch.id == events[2].pk


@postgresql_only
@pytest.mark.django_db
def test_an_event_changed_with_its_own_hashes_recomputed_breaks_the_link_to_the_next() -> None:
    events = _events(5)
    changed = AuditEvent.objects.get(pk=events[2].pk)
    changed.detail = {"n": 99}
    forged = _recomputed_hash(changed, changed.prev_hash)
    digest = content_hash(**{name: getattr(changed, name) for name in CONTENT_FIELDS})
    with _triggers_off() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET detail = '{\"n\": 99}', content_hash = %s, hash = %s WHERE id = %s",
            [digest, forged, changed.pk],
        )

    message = _verify_fails()
    assert f"the first that does not is event {events[3].pk} (chain position {events[3].seq}," in message
    assert LINK_BROKEN in message


@postgresql_only
@pytest.mark.django_db
def test_a_deleted_event_shows_as_a_gap_at_the_event_after_it() -> None:
    events = _events(5)
    with connection.cursor() as cursor:
        # The owner (the test's role) switches the one trigger off inside this transaction, as the
        # brief's superuser would; pending foreign-key checks must run first for ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")

    message = _verify_fails()
    assert f"{events[1].seq} event(s) matched; the first that does not is event {events[3].pk}" in message
    assert EVENTS_MISSING.format(first=events[2].seq, last=events[2].seq) in message


@postgresql_only
@pytest.mark.django_db
def test_a_deleted_event_renumbered_over_shows_as_a_broken_link() -> None:
    events = _events(5)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
        # Close the gap (through negatives: the unique index checks each row as it is updated).
        cursor.execute("UPDATE core_auditevent SET seq = -seq WHERE seq > %s", [events[2].seq])
        cursor.execute("UPDATE core_auditevent SET seq = -seq - 1 WHERE seq < 0")

    message = _verify_fails()
    assert f"event {events[3].pk} (chain position {events[2].seq}," in message
    assert LINK_BROKEN in message


@postgresql_only
@pytest.mark.django_db
def test_removing_the_newest_events_is_found_against_the_head_noted_earlier() -> None:
    events = _events(3)
    noted = f"{events[-1].seq}:{events[-1].hash.upper()}"
    assert "the chain is intact" in _verify("--head", noted)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])

    assert "the chain is intact" in _verify()  # the chain alone cannot tell
    message = _verify_fails("--head", noted)
    assert f"no longer passes through the head noted earlier (position {events[-1].seq}" in message


@postgresql_only
@pytest.mark.django_db
def test_deleting_the_first_events_is_found() -> None:
    events = _events(3)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq <= %s", [events[0].seq])

    message = _verify_fails()
    assert (
        f"0 event(s) matched; the first that does not is event {events[1].pk} (chain position {events[1].seq},"
        in message
    )
    assert "the events before it were deleted" in message


# --- The database keeps the chain whoever writes ---------------------------------------------------


@postgresql_only
@pytest.mark.django_db
def test_the_trigger_uses_the_documented_lock_and_refuses_an_event_without_its_content_hash() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('core_auditevent_chain'::regproc)")
        assert f"pg_advisory_xact_lock({AUDIT_CHAIN_LOCK})" in cursor.fetchone()[0]
    with pytest.raises(IntegrityError, match="needs its content_hash"), transaction.atomic():
        AuditEvent.objects.create(verb="core.test.recorded")
    assert not AuditEvent.objects.exists()


def _write_concurrently(writers: int, rounds: int) -> None:
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(name: int) -> None:
        try:
            start.wait()
            for n in range(rounds):
                # Its own transaction: an event, some work, a bulk of two, then the commit.
                with transaction.atomic():
                    event = audit_record(actor=None, verb="core.test.recorded", detail={"writer": name, "n": n})
                    AuditEvent.objects.filter(seq__lt=event.seq).count()
                    audit_record_each(actor=None, verb="core.test.viewed", targets=[event, event])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_writers_on_separate_connections_at_once_make_one_linear_chain() -> None:
    writers, rounds = 4, 15
    _write_concurrently(writers, rounds)

    chain = _chain()
    assert len(chain) == writers * rounds * 3
    assert [event.seq for event in chain] == list(range(1, len(chain) + 1))
    assert len({event.prev_hash for event in chain}) == len(chain)  # no event is extended twice
    assert f"Verified {len(chain)} audit event(s)" in _verify()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_the_open_transaction_that_wrote_before_it() -> None:
    # The chain follows the commit order: the second writer reads the newest event only after the
    # first writer's transaction has committed it.
    first_wrote, second_done = threading.Event(), threading.Event()
    release = threading.Event()

    def first() -> None:
        with transaction.atomic():
            audit_record(actor=None, verb="core.test.first")
            first_wrote.set()
            release.wait(10)
        connections.close_all()

    def second() -> None:
        first_wrote.wait(10)
        audit_record(actor=None, verb="core.test.second")
        second_done.set()
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_wrote.wait(10)
    assert not second_done.wait(0.5)  # blocked on the chain's lock
    release.set()
    for thread in threads:
        thread.join(10)
    assert second_done.is_set()
    assert [event.verb for event in _chain()] == ["core.test.first", "core.test.second"]
    assert "Verified 2 audit event(s)" in _verify()


# --- Events written before the chain existed --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_existing_events_in_id_order_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    backfill = import_module("core.migrations.0007_audit_chain_backfill")
    monkeypatch.setattr(backfill, "BATCH", 2)
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0005_append_only_refuses_truncate")])
    try:
        old_model = executor.loader.project_state([("core", "0005_append_only_refuses_truncate")]).apps.get_model(
            "core", "AuditEvent"
        )
        ids = [
            old_model.objects.create(verb="core.test.recorded", detail={"n": n, "f": 2.0}, ip="2001:DB8::1").pk
            for n in range(5)
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    chain = _chain()
    assert [event.pk for event in chain] == ids
    assert [event.seq for event in chain] == [1, 2, 3, 4, 5]
    assert "Verified 5 audit event(s)" in _verify()
    # New events continue the chain.
    assert audit_record(actor=None, verb="core.test.recorded").seq == 6
    assert "Verified 6 audit event(s)" in _verify()


# --- SQLite, the embedded default -------------------------------------------------------------------


def test_on_sqlite_the_application_chains_events_and_verify_finds_a_change(tmp_path: Path) -> None:
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from core.audit import audit_record, audit_record_each; from core.models import AuditEvent;"
        "from django.db import connection;"
        "first = audit_record(actor=None, verb='core.test.recorded', detail={'n': 1});"
        "audit_record_each(actor=None, verb='core.test.viewed', targets=[first, first]);"
        "call_command('verify_audit');"
        "connection.cursor().execute(\"UPDATE core_auditevent SET verb = 'core.test.forged' WHERE seq = 2\");"
        "call_command('verify_audit')"
    )
    result = run_python(
        "-c",
        script,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(tmp_path)},
        drop=frozenset({"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}),
        check=False,
    )
    assert "Verified 3 audit event(s): the chain is intact" in result.stdout, result.stderr
    assert result.returncode != 0
    assert "chain position 2, core.test.forged" in result.stderr
    assert CONTENT_CHANGED in result.stderr
