"""Partnerships, memberships, stakeholder entries and data sources for tests, made through the
services so that each carries its audit trail and passes the same rules as real data."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from accounts.models import Role, User
from partnerships.models import (
    Agreement,
    AgreementParty,
    DataSource,
    ModelOfWorking,
    Organisation,
    Partnership,
    PartnershipMembership,
    RefreshFrequency,
    StakeholderEntry,
    StakeholderKind,
)
from partnerships.services.data_sources import data_source_create
from partnerships.services.partnerships import partnership_create, partnership_member_add, partnership_member_end
from partnerships.services.stakeholders import stakeholder_add
from tests.accounts.factories import UserFactory

_numbers = itertools.count(1)
LONG_AGO = datetime.date(2020, 1, 1)


def _creator(organisation: Organisation | None = None) -> User:
    existing = User.objects.filter(role=Role.SUPERVISOR).first()
    return existing or UserFactory(role=Role.SUPERVISOR)


def make_partnership(
    *,
    members: list[Organisation] | tuple[Organisation, ...] = (),
    name: str | None = None,
    created_by: User | None = None,
    model_of_working: str = ModelOfWorking.JOINT_PROBLEM_SOLVING,
    **fields: Any,
) -> Partnership:
    """A partnership whose `members` joined long ago and are current members today."""
    partnership = partnership_create(
        actor=created_by or _creator(),
        name=name or f"Test Partnership {next(_numbers)}",
        model_of_working=model_of_working,
        **fields,
    )
    for organisation in members:
        add_member(partnership, organisation)
    return partnership


def add_member(
    partnership: Partnership,
    organisation: Organisation,
    *,
    joined_on: datetime.date = LONG_AGO,
    left_on: datetime.date | None = None,
) -> PartnershipMembership:
    membership = partnership_member_add(
        actor=None, partnership=partnership, organisation=organisation, joined_on=joined_on
    )
    if left_on is not None:
        membership = partnership_member_end(actor=None, membership=membership, left_on=left_on)
    return membership


def make_stakeholder(partnership: Partnership, **fields: Any) -> StakeholderEntry:
    """A community group on the map unless told otherwise (influence 3, interest 3)."""
    fields.setdefault("kind", StakeholderKind.COMMUNITY_GROUP)
    if fields["kind"] != StakeholderKind.ORGANISATION:
        fields.setdefault("name", f"Community group {next(_numbers)}")
    fields.setdefault("influence", 3)
    fields.setdefault("interest", 3)
    return stakeholder_add(actor=None, partnership=partnership, **fields)


def make_agreement(*, parties: list[Organisation], title: str = "Test agreement") -> Agreement:
    """A bare draft agreement with its parties, written directly: only its parties matter here (the
    agreement services are another concept's, tested there)."""
    number = next(_numbers)
    agreement = Agreement.objects.create(reference=f"ISA-T{number:04d}", title=title, created_by=_creator())
    for organisation in parties:
        AgreementParty.objects.create(agreement=agreement, organisation=organisation)
    return agreement


def make_data_source(organisation: Organisation, **fields: Any) -> DataSource:
    fields.setdefault("name", f"Data source {next(_numbers)}")
    fields.setdefault("owner", "Community Safety Team")
    fields.setdefault("refresh_frequency", RefreshFrequency.MONTHLY)
    fields.setdefault("data_format", "CSV extract")
    return data_source_create(actor=None, organisation=organisation, **fields)
