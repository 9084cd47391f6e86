"""The audit log's hash chain (DESIGN.md section 5): each event carries a hash over its content and
the previous event's hash, so a change made to a stored event, even by a database superuser with
the append-only triggers switched off, shows up as the first event that no longer matches
(`python manage.py verify_audit`).

The recipe, to recompute it outside the application (any language with SHA-256 and JSON):

1. The content of an event is this JSON object, serialised with its keys sorted, no whitespace
   (separators "," and ":") and every non-ASCII character escaped as \\uXXXX, so that the
   serialisation is pure ASCII (Python: `json.dumps(obj, sort_keys=True, separators=(",", ":"),
   ensure_ascii=True)`):

       {"actor_id": <int or null>, "actor_organisation_id": <int or null>,
        "created_at": "<UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ, always six digits of microseconds>",
        "detail": <the detail object>, "ip": "<the address's bytes in lower-case hex (8 digits for
        IPv4, 32 for IPv6)>" or null, "target_id": "<string>", "target_type": "<string>",
        "verb": "<string>"}

   Inside `detail`, a number that is a whole number is written as an integer (1.0 as 1, 1e20 as
   100000000000000000000): PostgreSQL's jsonb keeps numbers as decimals and gives 1e20 back as an
   integer, so the integer form is the one both sides agree on. Other numbers are written as
   Python's `repr` of the float (the shortest form that reads back as the same double).
2. `content_hash` = lower-case hex SHA-256 of that ASCII text.
3. `hash` = lower-case hex SHA-256 of the ASCII text `"<seq>:<prev_hash>:<content_hash>"`, where
   `seq` is the event's position in the chain (1, 2, 3, ... in decimal) and `prev_hash` is the
   `hash` of the event with `seq` one less; for the first event, 64 zeros (GENESIS_HASH).

Each event stores `seq`, `prev_hash`, `content_hash` and `hash`. Walking the events in `seq`
order: a changed event fails step 2 or 3 (its content no longer gives its hashes); a deleted event
leaves a gap in `seq` and the next event's `prev_hash` names a hash that is no longer there; an
event slipped in without recomputing every later hash breaks the link after it. What a chain
alone cannot show is the removal of the newest events: `verify_audit` prints the newest `seq`
and `hash` (the head) so that it can be written down elsewhere (a ticket, a signed email), and a
later head that does not extend it shows the removal (README, "Verifying the audit log").

Who computes what. The application computes `content_hash` (core.audit) when it builds the
event. The chain position is decided at INSERT, under a lock, so that the chain is one line with
no forks although many web and Celery processes write at once:

- On PostgreSQL a BEFORE INSERT trigger (core migration 0008, `core_auditevent_chain`) takes a
  transaction-level advisory lock (`pg_advisory_xact_lock(AUDIT_CHAIN_LOCK)`), reads the newest
  event's `seq` and `hash`, and sets `seq`, `prev_hash` and `hash`; the INSERT's RETURNING clause
  brings them back, so an audit write costs no extra query. The lock is held until the writing
  transaction ends, so two writers cannot both extend the same event and the chain order is the
  commit order; the unique index on `seq` is the last guard (a writer in a REPEATABLE READ
  transaction, whose snapshot is older than the lock, fails with an IntegrityError instead of
  forking the chain). The trigger's read is one index probe on `seq`; the hashing is one SHA-256
  of under 200 bytes.
- On SQLite (the embedded default) the write lock is already the database's: transactions are
  IMMEDIATE (config.settings.base), so core.audit reads the newest event and links the new ones
  itself, inside a transaction.

The cost of the lock: every transaction that records an audit event holds it from that INSERT to
its commit, so audit-writing transactions are serialised over that window. Services record their
event last or nearly so, and outside a transaction (a page logging a consultation) the window is
the INSERT alone. benchmarks/test_audit_chain.py measures it: with 4 threads each recording 200
events in their own short transactions, on the CI machine (2 cores), the chained INSERT takes
0.4-0.6 ms, about 5% more than without the trigger, and the lock never queues more than one
waiter for long. A transaction that records an event and then does slow work (a large import)
holds every other audit writer for that long: such services record their event at the end. A
periodic "sealer" that chains committed rows after the fact would avoid the lock, but would leave
the newest rows unprotected until it ran, and must still work out which rows had committed in id
order; the insert-time chain protects every row from the moment it is committed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
# The advisory lock's key on PostgreSQL (one bigint; the crime import's two-integer locks live in a
# separate key space): "cgaudit" in ASCII. The trigger in core migration 0008 uses this number.
AUDIT_CHAIN_LOCK = int.from_bytes(b"cgaudit", "big")

CONTENT_CHANGED = "its content no longer matches its hash: the event was changed after it was written"
HASH_CHANGED = "its hash does not follow from its content and the previous hash: the chain was rewritten here"
EVENTS_MISSING = "events {first} to {last} of the chain are missing: deleted"
LINK_BROKEN = (
    "its previous hash does not match the event before it: an event before it was deleted, inserted or changed"
)
FIRST_NOT_GENESIS = "the first event does not start the chain: the events before it were deleted"


def _canonical_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical_number(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_number(item) for item in value]
    return value


def canonical_content(
    *,
    created_at: datetime,
    actor_id: int | None,
    actor_organisation_id: int | None,
    verb: str,
    target_type: str,
    target_id: str,
    detail: Any,
    ip: str | None,
) -> str:
    """The event's content as the ASCII text that `content_hash` is taken over (module docstring)."""
    content = {
        "actor_id": actor_id,
        "actor_organisation_id": actor_organisation_id,
        "created_at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "detail": _canonical_number(detail),
        "ip": ipaddress.ip_address(ip).packed.hex() if ip else None,
        "target_id": target_id,
        "target_type": target_type,
        "verb": verb,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def content_hash(**content: Any) -> str:
    """SHA-256 (hex) of `canonical_content(**content)`."""
    return hashlib.sha256(canonical_content(**content).encode("ascii")).hexdigest()


def link_hash(*, seq: int, prev_hash: str, content_hash: str) -> str:
    """The event's `hash`: SHA-256 (hex) of "<seq>:<prev_hash>:<content_hash>"."""
    return hashlib.sha256(f"{seq}:{prev_hash}:{content_hash}".encode("ascii")).hexdigest()


# The columns that content_hash covers, in the keyword names of canonical_content.
CONTENT_FIELDS = (
    "created_at",
    "actor_id",
    "actor_organisation_id",
    "verb",
    "target_type",
    "target_id",
    "detail",
    "ip",
)
CHAIN_FIELDS = ("seq", "prev_hash", "content_hash", "hash")


@dataclass(frozen=True)
class Mismatch:
    """The first event that no longer matches, and why."""

    id: int
    seq: int
    verb: str
    created_at: datetime
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_seq: int
    head_hash: str
    mismatch: Mismatch | None


def chain_verify(rows: Iterator[dict[str, Any]]) -> ChainReport:
    """Walk `rows` (each event's id, CONTENT_FIELDS and CHAIN_FIELDS, in `seq` order), recompute
    every hash and stop at the first event that no longer matches. Keeps one row in memory."""
    prev_seq, prev_hash, checked = 0, GENESIS_HASH, 0
    for row in rows:
        reason = None
        if row["seq"] != prev_seq + 1:
            reason = FIRST_NOT_GENESIS if prev_seq == 0 else EVENTS_MISSING.format(first=prev_seq + 1, last=row["seq"] - 1)
        elif row["prev_hash"] != prev_hash:
            reason = FIRST_NOT_GENESIS if prev_seq == 0 else LINK_BROKEN
        elif content_hash(**{name: row[name] for name in CONTENT_FIELDS}) != row["content_hash"]:
            reason = CONTENT_CHANGED
        elif link_hash(seq=row["seq"], prev_hash=row["prev_hash"], content_hash=row["content_hash"]) != row["hash"]:
            reason = HASH_CHANGED
        if reason is not None:
            mismatch = Mismatch(
                id=row["id"], seq=row["seq"], verb=row["verb"], created_at=row["created_at"], reason=reason
            )
            return ChainReport(checked=checked, head_seq=prev_seq, head_hash=prev_hash, mismatch=mismatch)
        prev_seq, prev_hash, checked = row["seq"], row["hash"], checked + 1
    return ChainReport(checked=checked, head_seq=prev_seq, head_hash=prev_hash, mismatch=None)


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Verify the whole audit log's chain, streaming it from the database in `seq` order."""
    from core.models import AuditEvent

    rows = (
        AuditEvent.objects.order_by("seq")
        .values("id", *CONTENT_FIELDS, *CHAIN_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    return chain_verify(rows)
