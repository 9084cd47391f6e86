"""The partnerships app's data, one module per concept."""

from __future__ import annotations

from partnerships.models.agreements import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    ControllerRole,
    LawfulBasis,
)
from partnerships.models.contacts import Contact, Handover
from partnerships.models.data import DataCategory, DataCategoryKind, DataSource, RefreshFrequency
from partnerships.models.neighbourhoods import Neighbourhood
from partnerships.models.organisations import Organisation, OrganisationKind, Sector
from partnerships.models.partnerships import (
    EngagementStatus,
    MeetingCadence,
    ModelOfWorking,
    Partnership,
    PartnershipMembership,
    PatController,
    SeldomHeardGroup,
    StakeholderEntry,
    StakeholderKind,
)

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementStatus",
    "Contact",
    "ControllerRole",
    "DataCategory",
    "DataCategoryKind",
    "DataSource",
    "EngagementStatus",
    "Handover",
    "LawfulBasis",
    "MeetingCadence",
    "ModelOfWorking",
    "Neighbourhood",
    "Organisation",
    "OrganisationKind",
    "Partnership",
    "PartnershipMembership",
    "PatController",
    "RefreshFrequency",
    "Sector",
    "SeldomHeardGroup",
    "StakeholderEntry",
    "StakeholderKind",
]
