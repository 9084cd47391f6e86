"""Every write in the partnerships app, one module per concept. Services take the acting user
first, run in a transaction and record an audit event. Import from the concept's module; the
organisation services are re-exported here because other apps use them."""

from __future__ import annotations

from partnerships.services.organisations import (
    ORGANISATION_EDITABLE_FIELDS,
    ORGANISATION_NAME_TAKEN,
    organisation_check_name_free,
    organisation_create,
    organisation_group_name,
    organisation_update,
)

__all__ = [
    "ORGANISATION_EDITABLE_FIELDS",
    "ORGANISATION_NAME_TAKEN",
    "organisation_check_name_free",
    "organisation_create",
    "organisation_group_name",
    "organisation_update",
]
