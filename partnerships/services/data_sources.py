"""Every write to partner data sources. Each service takes the acting user first, runs in a
transaction and records an audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes
from partnerships.models import Agreement, DataCategory, DataSource, Organisation

if TYPE_CHECKING:
    from accounts.models import User

DATA_SOURCE_NAME_TAKEN = "This organisation already has a data source with this name."
DATA_SOURCE_AGREEMENT_NOT_PARTY = (
    "The organisation that holds the data is not a party to that agreement. "
    "Choose an agreement it is party to, or leave it empty."
)
DATA_SOURCE_EDITABLE_FIELDS = (
    "name",
    "description",
    "owner",
    "refresh_frequency",
    "data_format",
    "holds_personal_data",
    "categories",
    "agreement",
)


def _snapshot(source: DataSource) -> dict[str, Any]:
    return {
        "organisation": source.organisation_id,
        "name": source.name,
        "description": source.description,
        "owner": source.owner,
        "refresh_frequency": source.refresh_frequency,
        "data_format": source.data_format,
        "holds_personal_data": source.holds_personal_data,
        "categories": sorted(source.categories.values_list("pk", flat=True)) if source.pk else [],
        "agreement": source.agreement_id,
    }


def _check(source: DataSource) -> None:
    errors: dict[str, str] = {}
    taken = DataSource.objects.filter(organisation_id=source.organisation_id, name__iexact=source.name)
    if source.pk:
        taken = taken.exclude(pk=source.pk)
    if taken.exists():
        errors["name"] = DATA_SOURCE_NAME_TAKEN
    # Only an agreement the holder of the data signed up to can cover sharing it (ICO data sharing
    # code: each party is a controller of what it shares).
    if (
        source.agreement_id is not None
        and not Agreement.objects.filter(
            pk=source.agreement_id, parties__organisation_id=source.organisation_id
        ).exists()
    ):
        errors["agreement"] = DATA_SOURCE_AGREEMENT_NOT_PARTY
    if errors:
        raise ValidationError(errors)
    source.full_clean(validate_unique=False)


@transaction.atomic
def data_source_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    owner: str,
    refresh_frequency: str,
    data_format: str,
    description: str = "",
    holds_personal_data: bool = False,
    categories: Iterable[DataCategory] = (),
    agreement: Agreement | None = None,
) -> DataSource:
    """Record a data source an organisation holds, and the agreement (if any) that covers sharing it."""
    source = DataSource(
        organisation=organisation,
        name=name.strip(),
        owner=owner.strip(),
        refresh_frequency=refresh_frequency,
        data_format=data_format.strip(),
        description=description.strip(),
        holds_personal_data=holds_personal_data,
        agreement=agreement,
    )
    _check(source)
    source.save()
    source.categories.set(list(categories))
    audit_record(actor=actor, verb="partnerships.data_source.created", target=source, detail=_snapshot(source))
    return source


@transaction.atomic
def data_source_update(*, actor: User | None, data_source: DataSource, **fields: Any) -> DataSource:
    """Change a data source. Its organisation stays: a different holder is a different data source."""
    unknown = set(fields) - set(DATA_SOURCE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    source = DataSource.objects.select_for_update().get(pk=data_source.pk)
    before = _snapshot(source)
    categories = fields.pop("categories", None)
    for field in ("name", "owner", "data_format", "description"):
        if field in fields:
            fields[field] = fields[field].strip()
    for field, value in fields.items():
        setattr(source, field, value)
    _check(source)
    source.save()
    if categories is not None:
        source.categories.set(list(categories))
    diff = changes(before, _snapshot(source))
    if diff:
        audit_record(actor=actor, verb="partnerships.data_source.updated", target=source, detail=diff)
    return source
