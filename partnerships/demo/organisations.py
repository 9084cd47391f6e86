"""Demo organisations: one police force and partners of every sector, with their profiles."""

from __future__ import annotations

from typing import Any

from partnerships.models import Organisation, OrganisationKind, Sector
from partnerships.services import organisation_create, organisation_update

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

# Fictional details (example.org addresses, Ofcom drama phone numbers).
DEMO_PROFILES: dict[str, dict[str, Any]] = {
    FORCE: {
        "is_responsible_authority": True,
        "areas_covered": "Eastgate\nRiverside\nCity Centre\nNorthfield",
        "address": "Northshire Police Headquarters\n1 Station Road\nNorthshire NS1 1AA",
        "email": "neighbourhoods@police.example",
        "phone": "0118 496 0000",
        "website": "https://police.example",
    },
    "Northshire City Council": {
        "is_responsible_authority": True,
        "areas_covered": "Eastgate\nRiverside\nCity Centre\nNorthfield",
        "address": "Civic Centre\nMarket Square\nNorthshire NS1 2BB",
        "email": "community.safety@council.example",
        "phone": "0118 496 0100",
        "website": "https://council.example",
    },
    "Riverside Housing Association": {
        "areas_covered": "Riverside\nEastgate",
        "address": "Riverside House\n12 Quay Street\nNorthshire NS2 3CC",
        "email": "neighbourhoods@housing.example",
        "phone": "0118 496 0200",
        "website": "https://housing.example",
    },
    "Northshire Integrated Care Board": {
        "is_responsible_authority": True,
        "areas_covered": "All of Northshire",
        "address": "Health Offices\nInfirmary Lane\nNorthshire NS3 4DD",
        "email": "partnerships@health.example",
        "phone": "0118 496 0300",
        "website": "https://health.example",
    },
    "Northshire Youth Justice Service": {
        "areas_covered": "All of Northshire",
        "email": "office@youthjustice.example",
        "phone": "0118 496 0400",
    },
    "Eastgate Residents' Association": {
        "areas_covered": "Eastgate",
        "email": "secretary@residents.example",
    },
    "Northshire University": {
        "areas_covered": "City Centre\nUniversity Quarter",
        "address": "University Hall\nCollege Road\nNorthshire NS4 5EE",
        "email": "community@university.example",
        "website": "https://university.example",
    },
    "Northshire City Centre Business Improvement District": {
        "areas_covered": "City Centre",
        "email": "manager@bid.example",
        "phone": "0118 496 0700",
    },
}


def seed(*, stdout: Any) -> None:
    for name, kind, sector in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first()
        profile = DEMO_PROFILES.get(name, {})
        if organisation is None:
            organisation_create(actor=None, name=name, kind=kind, sector=sector, **profile)
            continue
        # Only empty fields are filled (and audited): a second run, or a profile edited since, is left alone.
        missing = {field: value for field, value in profile.items() if not getattr(organisation, field)}
        if missing:
            organisation_update(actor=None, organisation=organisation, **missing)
