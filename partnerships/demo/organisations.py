"""Demo organisations: one police force and partners of every sector."""

from __future__ import annotations

from typing import Any

from partnerships.models import Organisation, OrganisationKind, Sector
from partnerships.services import organisation_create

FORCE = "Northshire Police"
DEMO_ORGANISATIONS: list[tuple[str, str, str]] = [
    (FORCE, OrganisationKind.POLICE_FORCE, Sector.STATUTORY),
    ("Northshire City Council", OrganisationKind.PARTNER, Sector.STATUTORY),
    ("Riverside Housing Association", OrganisationKind.PARTNER, Sector.VOLUNTARY),
    ("Northshire Integrated Care Board", OrganisationKind.PARTNER, Sector.STATUTORY),
    ("Northshire Youth Justice Service", OrganisationKind.PARTNER, Sector.STATUTORY),
    ("Eastgate Residents' Association", OrganisationKind.PARTNER, Sector.COMMUNITY),
    ("Northshire University", OrganisationKind.PARTNER, Sector.ACADEMIC),
    ("Northshire City Centre Business Improvement District", OrganisationKind.PARTNER, Sector.PRIVATE),
]


def seed(*, stdout: Any) -> None:
    for name, kind, sector in DEMO_ORGANISATIONS:
        if not Organisation.objects.filter(name=name).exists():
            organisation_create(actor=None, name=name, kind=kind, sector=sector)
