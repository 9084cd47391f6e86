"""Who may use the data protection pages. Outsiders get 404 (DESIGN.md section 4): a page that a
user may not use does not exist for them.

- Subject-access search and the breach log: the force's data protection officer.
- The audit viewer: the DPO (every event of their force) and supervisors (their force's events,
  without the DPO's own work: see dataprotection.selectors.audit_log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from dataprotection.models import Breach

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


def can_search_subject_access(user: User) -> bool:
    return user.is_data_protection_officer


def can_read_audit_log(user: User) -> bool:
    return user.is_data_protection_officer or user.is_supervisor


def can_keep_breach_log(user: User) -> bool:
    return user.is_data_protection_officer


def require(allowed: bool) -> None:
    """404 unless `allowed`: the same answer for a page that does not exist."""
    if not allowed:
        raise Http404


def breach_get_for_user(*, user: User, pk: object, queryset: QuerySet[Breach] | None = None) -> Breach:
    """The breach if it is of the user's force and they keep its breach log; else 404."""
    require(can_keep_breach_log(user))
    rows = Breach.objects.all() if queryset is None else queryset
    try:
        return rows.get(pk=int(str(pk)), organisation_id=user.organisation_id)
    except (Breach.DoesNotExist, ValueError) as error:
        raise Http404 from error
