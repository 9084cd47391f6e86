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
its end, so audit-writing transactions are serialised over that window, and only over it: what
a transaction does before its first event runs in parallel as before. Services record their event
last or nearly so, and outside a transaction (a page logging a consultation) the window is the
INSERT alone. benchmarks/test_audit_chain.py measures it against the same trigger reduced to
numbering events from a sequence (two runs on the shared 2-core development machine, so noisy):
one writer in autocommit, 3.5-5.4 ms per event against 2.9-4.3 ms; four writers each committing 40
transactions with 2 ms of other work before their event, 0.90-1.02 s against 0.77-0.87 s; the
same with the work after the event (the lock held through it), 1.55-1.83 s against 0.70-0.89 s.
So a service that records its event and then does slow work (a large import, an email sent inside
the transaction) holds every other audit writer for that long: record the event at the end. It
also means that such a transaction, holding the lock, must not wait for a row lock held by
another transaction that is about to record an event (PostgreSQL would detect the deadlock and
abort one of them); recording the event last avoids that too.

Why not a periodic "sealer" that chains committed rows after the fact, with no lock on the write
path: the newest rows would be unprotected until it ran (a superuser could change them without a
trace), and ids are handed out before commit, so it would have to work out which rows below the
newest had committed before it could seal past them. The insert-time chain protects every row
from the moment it is committed, at the cost measured above.
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
            reason = (
                FIRST_NOT_GENESIS if prev_seq == 0 else EVENTS_MISSING.format(first=prev_seq + 1, last=row["seq"] - 1)
            )
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
        AuditEvent.objects.order_by("seq").values("id", *CONTENT_FIELDS, *CHAIN_FIELDS).iterator(chunk_size=chunk_size)
    )
    return chain_verify(rows)


def audit_chain_passes_through(*, seq: int, hash: str) -> bool:
    """Whether the event at position `seq` still has `hash`: a head noted after an earlier
    verification, which a chain cut short or rewritten since no longer holds."""
    from core.models import AuditEvent

    return AuditEvent.objects.filter(seq=seq, hash=hash.lower()).exists()
