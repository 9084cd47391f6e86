"""Demo neighbourhoods of the demo force, each worked by the Community Safety Partnership.

Runs after the partnerships demo. Idempotent: a neighbourhood whose name exists is left alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from partnerships.demo.organisations import FORCE
from partnerships.models import Neighbourhood, Organisation, Partnership
from partnerships.services.neighbourhoods import neighbourhood_save

CSP = "Northshire Community Safety Partnership"

# name -> LSOA codes (made up in the real format: E01 and six digits).
DEMO_NEIGHBOURHOODS: dict[str, list[str]] = {
    "Eastgate": ["E01099101", "E01099102", "E01099103"],
    "Riverside": ["E01099201", "E01099202"],
    "Northfield": ["E01099301", "E01099302"],
    "City Centre": ["E01099401", "E01099402"],
    # No LSOAs of its own in the demo's crime data: its problems are on the list all the same.
    "University Quarter": [],
}

# Where each demo neighbourhood lies (beside the demo crime data's LSOAs, evaluation.demo.crime), so
# that the demo's problems and engagement events are on the maps (issue 22).
DEMO_CENTRES: dict[str, tuple[str, str]] = {
    "Eastgate": ("52.1240", "-1.2300"),
    "Riverside": ("52.1520", "-1.1960"),
    "Northfield": ("52.2000", "-1.2480"),
    "City Centre": ("52.1310", "-1.2680"),
    "University Quarter": ("52.1420", "-1.2560"),
}


def demo_point(neighbourhood: str, n: int) -> tuple[Decimal, Decimal]:
    """The n-th demo place in `neighbourhood`: its centre, moved a few hundred metres by n."""
    latitude, longitude = (Decimal(value) for value in DEMO_CENTRES[neighbourhood])
    return latitude + Decimal("0.0021") * (n % 3 - 1), longitude + Decimal("0.0034") * (n // 3 % 3 - 1)


def seed(*, stdout: Any) -> None:
    force = Organisation.objects.get(name=FORCE)
    partnership = Partnership.objects.filter(name=CSP).first()
    created = 0
    for name, codes in DEMO_NEIGHBOURHOODS.items():
        if Neighbourhood.objects.filter(organisation=force, name=name).exists():
            continue
        neighbourhood_save(
            actor=None,
            neighbourhood=Neighbourhood(
                name=name, organisation=force, partnership=partnership, lsoa_codes="\n".join(codes)
            ),
        )
        created += 1
    stdout.write(f"Neighbourhoods: {created} created.")
