"""Reads of partner data sources, with their access rules.

Policy (brief, "Access policy"): police roles and administrators see every data source; partner
users see their own organisation's. Supervisors and administrators manage any; a partner lead
manages their own organisation's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.access import get_visible_or_404
from partnerships.models import Agreement, DataSource, Organisation

if TYPE_CHECKING:
    from accounts.models import User

DataSourceAction = Literal["view", "change"]


def can_see_all_data_sources(user: User) -> bool:
    return user.reads_whole_partner_registry


def can_manage_data_sources(user: User, organisation: Organisation | None = None) -> bool:
    """Whether `user` may add or change data sources: of `organisation`, or (without one) of any
    organisation at all (to decide whether to offer the "Add a data source" button)."""
    if user.is_supervisor or user.is_administrator:
        return True
    if not user.is_partner_lead:
        return False
    return organisation is None or organisation.pk == user.organisation_id


def _visible_q(user: User) -> Q:
    if can_see_all_data_sources(user):
        return Q()
    if user.is_partner:
        return Q(organisation_id=user.organisation_id)
    return Q(pk__in=[])


def data_source_list_visible_to(*, user: User, organisation: Organisation | None = None) -> QuerySet[DataSource]:
    """Data sources `user` may see, optionally of one organisation; each row with its organisation,
    agreement and categories. Two queries whatever the number of rows."""
    sources = (
        DataSource.objects.filter(_visible_q(user))
        .select_related("organisation", "agreement")
        .prefetch_related("categories")
        .order_by("organisation__name", "name")
    )
    if organisation is not None:
        sources = sources.filter(organisation=organisation)
    return sources


def data_source_filter_organisations(*, user: User) -> QuerySet[Organisation]:
    """The organisations offered in the list's filter: those `user` may see data sources of."""
    if can_see_all_data_sources(user):
        return Organisation.objects.order_by("name")
    if user.is_partner:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def data_source_get_for_user(*, user: User, pk: object, action: DataSourceAction = "view") -> DataSource:
    """One data source: Http404 if `user` may not see it, PermissionDenied if they may see it but not
    change it."""
    source = get_visible_or_404(
        DataSource.objects.filter(_visible_q(user)).select_related("organisation", "agreement"), pk=pk
    )
    if action == "change" and not can_manage_data_sources(user, source.organisation):
        raise PermissionDenied
    return source


def data_source_owner_choices(*, user: User) -> QuerySet[Organisation]:
    """Organisations whose data sources `user` may manage (the owner field of the form)."""
    if user.is_supervisor or user.is_administrator:
        return Organisation.objects.filter(active=True).order_by("name")
    if user.is_partner_lead:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def data_source_agreement_choices(*, user: User) -> QuerySet[Agreement]:
    """Agreements offered as covering a data source: those to which an organisation `user` may manage
    is a party. (The service checks the chosen one against the chosen owner.)"""
    owners = data_source_owner_choices(user=user)
    return Agreement.objects.filter(parties__organisation__in=owners).distinct().order_by("reference", "-version")
