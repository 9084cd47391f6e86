"""The record that someone consulted personal data (DPA 2018 s.62: logs of consultation and
disclosure): every subject-access search and export, and every look at the audit log and export
of it, is an audit event naming who, when, what was asked and, for an export, who received it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.audit import audit_record, recipient_of

if TYPE_CHECKING:
    from accounts.models import User
    from dataprotection.selectors.audit_log import AuditFilters
    from dataprotection.selectors.subject_access import SearchResult

SUBJECT_ACCESS_SEARCHED = "dataprotection.subject_access.searched"
SUBJECT_ACCESS_EXPORTED = "dataprotection.subject_access.exported"
AUDIT_LOG_SEARCHED = "dataprotection.audit_log.searched"
AUDIT_LOG_EXPORTED = "dataprotection.audit_log.exported"


def _found(result: SearchResult) -> dict[str, Any]:
    return {
        "term": result.term,
        "matches": len(result.matches),
        "by_kind": dict(result.counts),
        # Which records the search showed (their text was shown in snippets).
        "records": result.records,
        "truncated": result.truncated,
    }


def subject_access_searched(*, actor: User, result: SearchResult) -> None:
    audit_record(actor=actor, verb=SUBJECT_ACCESS_SEARCHED, detail=_found(result))


def subject_access_exported(*, actor: User, result: SearchResult) -> None:
    audit_record(actor=actor, verb=SUBJECT_ACCESS_EXPORTED, detail={**_found(result), "recipient": recipient_of(actor)})


def audit_log_searched(*, actor: User, filters: AuditFilters, page: int) -> None:
    audit_record(actor=actor, verb=AUDIT_LOG_SEARCHED, detail={"filters": filters.as_detail(), "page": page})


def audit_log_exported(*, actor: User, filters: AuditFilters, rows: int) -> None:
    audit_record(
        actor=actor,
        verb=AUDIT_LOG_EXPORTED,
        detail={"filters": filters.as_detail(), "rows": rows, "recipient": recipient_of(actor)},
    )
