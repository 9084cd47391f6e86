"""Organisations, created through the service so that each has its Group."""

from __future__ import annotations

from typing import Any

import factory

from partnerships.models import Neighbourhood, Organisation, OrganisationKind, Sector
from partnerships.services import organisation_create


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    kind = OrganisationKind.PARTNER
    sector = Sector.STATUTORY

    @classmethod
    def _create(cls, model_class: type[Organisation], *args: Any, **kwargs: Any) -> Organisation:
        return organisation_create(actor=None, **kwargs)


class PoliceForceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Police Force {n}")
    kind = OrganisationKind.POLICE_FORCE


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    """A neighbourhood of a police force (pass `organisation=world.force`)."""

    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    slug = factory.Sequence(lambda n: f"neighbourhood-{n}")
    organisation = factory.SubFactory(PoliceForceFactory)
    lsoa_codes = "E01000001\nE01000002"
