"""The one way to record an audit event. Services call `audit_record` inside their transaction,
as late in it as they can: on PostgreSQL the event takes the audit chain's lock, held until the
transaction ends (core.audit_chain)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from core.audit_chain import CONTENT_FIELDS, GENESIS_HASH, content_hash, link_hash
from core.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import User

VERB_PATTERN = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")

# The client address of the request being served, set by core.middleware.AuditContextMiddleware so
# that services (which take the acting user, not the request) can record where an action came from.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _jsonable(detail: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(detail, cls=DjangoJSONEncoder))


def _event(*, actor: User | None, verb: str, target: models.Model | None, detail: dict[str, Any] | None) -> AuditEvent:
    if not VERB_PATTERN.match(verb):
        raise ValueError(f"Audit verb {verb!r} is not of the form app.entity.action")
    if actor is not None and not actor.is_authenticated:
        actor = None
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    event = AuditEvent(
        actor=actor,
        actor_organisation_id=getattr(actor, "organisation_id", None),
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        detail=_jsonable(detail or {}),
        ip=current_ip.get(),
        created_at=timezone.now(),
    )
    event.content_hash = content_hash(**{name: getattr(event, name) for name in CONTENT_FIELDS})
    return event


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Insert `events` at the end of the chain, in one INSERT."""
    if connection.vendor == "postgresql":
        # The trigger takes the chain's lock and sets seq, prev_hash and hash; RETURNING brings
        # them back (their database defaults make them returned fields).
        return AuditEvent.objects.bulk_create(events)
    # SQLite: transactions are IMMEDIATE (config.settings.base), so this one holds the database's
    # write lock from its start: no other writer can extend the chain between the read and the
    # INSERT. The newest event is one index probe on seq.
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = last or (0, GENESIS_HASH)
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = link_hash(seq=seq, prev_hash=prev_hash, content_hash=event.content_hash)
        return AuditEvent.objects.bulk_create(events)


def audit_record(
    *,
    actor: User | None,
    verb: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `verb` to `target`; `detail` holds before/after or other facts."""
    return _append([_event(actor=actor, verb=verb, target=target, detail=detail)])[0]


def audit_record_each(
    *, actor: User | None, verb: str, targets: Iterable[models.Model], detail: dict[str, Any] | None = None
) -> list[AuditEvent]:
    """Record that `actor` did `verb` to each of `targets` (the same `detail` for each), in one
    INSERT whatever their number: a list page that shows many records logs each of them in one
    query. Each event is a link of the chain, in the order of `targets`. Nothing is written when
    there are no targets."""
    events = [_event(actor=actor, verb=verb, target=target, detail=detail) for target in targets]
    return _append(events) if events else []


def recipient_of(user: User) -> dict[str, Any]:
    """Who received an export, a printable copy or a download (DPA 2018 s.62: a disclosure is
    logged with its recipients): the requesting user and their organisation, by id and by the
    names they had then. For an audit event's detail, as {"recipient": recipient_of(user)}."""
    return {
        "user": user.pk,
        "name": user.full_name,
        "organisation": user.organisation_id,
        "organisation_name": user.organisation.name,
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The before/after pairs of the fields that differ, for an audit event's detail."""
    return {
        key: {"before": before.get(key), "after": after.get(key)} for key in after if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """Field values for an audit event's before/after: foreign keys by id, many-to-many by sorted ids."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            data[name] = getattr(obj, f"{name}_id")
        else:
            data[name] = getattr(obj, name)
    return data


def audited_save[M: models.Model](*, actor: Any, obj: M, fields: tuple[str, ...], verb_prefix: str) -> M:
    """Validate and save a reference-data row (created or changed in the admin site), recording
    `<verb_prefix>.created` or `.updated` with the changed `fields`. The caller holds the
    transaction and any preparation of its own (a slug, trimmed names)."""
    creating = obj.pk is None
    before = {} if creating else snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        verb=f"{verb_prefix}.{'created' if creating else 'updated'}",
        target=obj,
        detail=changes(before, snapshot(obj, fields)),
    )
    return obj


LIST_SEARCHED_VERB = "core.list.searched"
# Parameters of a list page's address that say where the reader is, not what they searched for.
NOT_SEARCH_PARAMETERS = frozenset({"page"})
SEARCH_VALUE_MAX_LENGTH = 200


def audit_list_search(*, actor: User, page: str, parameters: Mapping[str, Any]) -> AuditEvent | None:
    """Record a search of a list page (DPA 2018 s.62: a search is a consultation of what it finds):
    the page's name and every search term and filter typed or chosen (`parameters`, the request's
    GET). A list opened without any, or only paged through, is not a search: nothing is written."""
    getlist = getattr(parameters, "getlist", None)
    filters: dict[str, Any] = {}
    for key in sorted(parameters):
        if key in NOT_SEARCH_PARAMETERS:
            continue
        raw = getlist(key) if getlist else [parameters[key]]
        # Capped: the address is typed by the client, and the log keeps what was asked, not a payload.
        values = [str(value)[:SEARCH_VALUE_MAX_LENGTH] for value in raw if str(value).strip()]
        if values:
            filters[key] = values[0] if len(values) == 1 else values
    if not filters:
        return None
    return audit_record(actor=actor, verb=LIST_SEARCHED_VERB, detail={"page": page, "filters": filters})
