"""Demo partnerships with dated members and stakeholder maps, and partners' data sources.

Runs in seed_records, after the accounts demo (the demo supervisor records the partnerships) and
after the contacts and agreements demos (a data source links the agreement between its holder and
the force, where there is one). Idempotent: a partnership whose name exists, or a data source whose
organisation already holds one of that name, is left alone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from partnerships.demo.organisations import FORCE
from partnerships.models import (
    Agreement,
    DataCategory,
    DataSource,
    EngagementStatus,
    MeetingCadence,
    ModelOfWorking,
    Organisation,
    Partnership,
    PatController,
    RefreshFrequency,
    SeldomHeardGroup,
    StakeholderKind,
)
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.services.data_sources import data_source_create
from partnerships.services.partnerships import partnership_create, partnership_member_add, partnership_member_end
from partnerships.services.stakeholders import stakeholder_add

COUNCIL = "Northshire City Council"
HOUSING = "Riverside Housing Association"
HEALTH = "Northshire Integrated Care Board"
YOUTH_JUSTICE = "Northshire Youth Justice Service"
RESIDENTS = "Eastgate Residents' Association"
UNIVERSITY = "Northshire University"
BUSINESS = "Northshire City Centre Business Improvement District"

D = datetime.date

# name -> details, members as (organisation, joined_on, left_on or None), stakeholders as dicts of
# stakeholder_add's arguments with "organisation" and "seldom_heard_group" given by name.
DEMO_PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "name": "Northshire Community Safety Partnership",
        "area": "Northshire",
        "model_of_working": ModelOfWorking.JOINT_PROBLEM_SOLVING,
        "meeting_cadence": MeetingCadence.QUARTERLY,
        "terms_of_reference": (
            "The statutory Community Safety Partnership under the Crime and Disorder Act 1998.\n"
            "Sets the partnership plan from the strategic assessment, agrees shared priorities and "
            "reviews the problem-solving plans each partner delivers part of."
        ),
        "members": [
            (FORCE, D(2019, 4, 1), None),
            (COUNCIL, D(2019, 4, 1), None),
            (HEALTH, D(2020, 6, 1), None),
            (YOUTH_JUSTICE, D(2019, 4, 1), None),
            (HOUSING, D(2021, 1, 15), None),
            (UNIVERSITY, D(2022, 9, 1), D(2024, 7, 31)),
        ],
        "stakeholders": [
            {
                "kind": StakeholderKind.ORGANISATION,
                "organisation": COUNCIL,
                "influence": 5,
                "interest": 5,
                "engagement_status": EngagementStatus.COLLABORATING,
            },
            {
                "kind": StakeholderKind.ORGANISATION,
                "organisation": HEALTH,
                "influence": 5,
                "interest": 2,
                "engagement_status": EngagementStatus.NOT_ENGAGED,
                "notes": "Emergency department data lead not yet met.",
            },
            {
                "kind": StakeholderKind.NAMED_ROLE,
                "name": "Chief Fire Officer, Northshire Fire and Rescue",
                "influence": 4,
                "interest": 3,
                "engagement_status": EngagementStatus.NOT_ENGAGED,
            },
            {
                "kind": StakeholderKind.ORGANISATION,
                "organisation": BUSINESS,
                "influence": 3,
                "interest": 4,
                "engagement_status": EngagementStatus.INFORMED,
                "pat_controller": PatController.MANAGER,
            },
            {
                "kind": StakeholderKind.COMMUNITY_GROUP,
                "name": "Northshire Youth Forum",
                "influence": 2,
                "interest": 5,
                "engagement_status": EngagementStatus.CONSULTED,
                "seldom_heard_group": "Young people",
            },
            {
                "kind": StakeholderKind.COMMUNITY_GROUP,
                "name": "Traveller Liaison Group",
                "influence": 2,
                "interest": 4,
                "engagement_status": EngagementStatus.INFORMED,
                "seldom_heard_group": "Gypsy, Roma and Traveller communities",
            },
        ],
    },
    {
        "name": "Eastgate Neighbourhood Partnership",
        "area": "Eastgate ward",
        "model_of_working": ModelOfWorking.CO_PRODUCTION,
        "meeting_cadence": MeetingCadence.MONTHLY,
        "terms_of_reference": (
            "Residents, the council, the housing association and the neighbourhood policing team decide "
            "Eastgate's priorities together and deliver the work side by side. Residents chair alternate meetings."
        ),
        "members": [
            (FORCE, D(2023, 1, 10), None),
            (COUNCIL, D(2023, 1, 10), None),
            (RESIDENTS, D(2023, 1, 10), None),
            (HOUSING, D(2023, 5, 2), None),
        ],
        "stakeholders": [
            {
                "kind": StakeholderKind.ORGANISATION,
                "organisation": RESIDENTS,
                "influence": 4,
                "interest": 5,
                "engagement_status": EngagementStatus.COLLABORATING,
            },
            {
                "kind": StakeholderKind.ORGANISATION,
                "organisation": HOUSING,
                "influence": 4,
                "interest": 4,
                "engagement_status": EngagementStatus.INVOLVED,
                "pat_controller": PatController.MANAGER,
            },
            {
                "kind": StakeholderKind.NAMED_ROLE,
                "name": "Ward councillor, Eastgate",
                "influence": 5,
                "interest": 3,
                "engagement_status": EngagementStatus.NOT_ENGAGED,
            },
            {
                "kind": StakeholderKind.COMMUNITY_GROUP,
                "name": "Eastgate Mosque committee",
                "influence": 3,
                "interest": 4,
                "engagement_status": EngagementStatus.INVOLVED,
                "seldom_heard_group": "Faith communities",
            },
            {
                "kind": StakeholderKind.COMMUNITY_GROUP,
                "name": "Older residents' lunch club",
                "influence": 1,
                "interest": 4,
                "engagement_status": EngagementStatus.CONSULTED,
                "seldom_heard_group": "Older people",
            },
            {
                "kind": StakeholderKind.NAMED_ROLE,
                "name": "Head teacher, Eastgate Primary School",
                "influence": 3,
                "interest": 3,
                "engagement_status": EngagementStatus.INFORMED,
                "pat_controller": PatController.GUARDIAN,
            },
        ],
    },
]

# (organisation, name, owner, refresh, format, personal data, category codes, description)
DEMO_DATA_SOURCES: list[tuple[str, str, str, str, str, bool, list[str], str]] = [
    (
        COUNCIL,
        "ASB case management reports",
        "Community Safety Team",
        RefreshFrequency.WEEKLY,
        "CSV extract",
        True,
        ["asb-reports", "location-data", "identity-contact"],
        "Anti-social behaviour reports made to the council, with location, type and case outcome.",
    ),
    (
        COUNCIL,
        "Street lighting faults",
        "Highways Team",
        RefreshFrequency.MONTHLY,
        "Spreadsheet",
        False,
        ["location-data"],
        "Reported and repaired street lighting faults by street.",
    ),
    (
        HOUSING,
        "Tenancy nuisance complaints",
        "Neighbourhood Services",
        RefreshFrequency.MONTHLY,
        "CSV extract",
        True,
        ["housing-tenancy", "asb-reports", "identity-contact"],
        "Complaints of nuisance by and against tenants, and the tenancy actions taken.",
    ),
    (
        HEALTH,
        "Emergency department assault data",
        "Public Health Intelligence",
        RefreshFrequency.MONTHLY,
        "Anonymised CSV (ISTV data set)",
        False,
        ["aggregate-crime-asb", "location-data"],
        "Assaults treated in the emergency department: date, time, place of injury and weapon, without names.",
    ),
    (
        YOUTH_JUSTICE,
        "Diversion referrals",
        "Prevention Team",
        RefreshFrequency.AD_HOC,
        "Referral forms (PDF)",
        True,
        ["identity-contact", "offending-history", "education-attendance"],
        "Young people referred for diversion, with the outcome of each referral.",
    ),
    (
        UNIVERSITY,
        "Student safety survey",
        "Student Services",
        RefreshFrequency.ANNUALLY,
        "Summary report (PDF)",
        False,
        ["aggregate-crime-asb"],
        "Annual survey of how safe students feel on and off campus.",
    ),
]


def _supervisor(force: Organisation) -> Any:
    """The force's demo supervisor, who records the partnerships; None if missing."""
    return get_user_model().objects.filter(organisation=force, role="supervisor", is_active=True).order_by("pk").first()


def covering_agreement(organisation: Organisation, force: Organisation) -> Agreement | None:
    """An agreement to which both the organisation and the force are parties, one in force first."""
    candidates = list(
        Agreement.objects.filter(parties__organisation=organisation)
        .filter(parties__organisation=force)
        .distinct()
        .order_by("reference", "-version")
    )
    in_force = [agreement for agreement in candidates if agreement.status in IN_FORCE_STATUSES]
    return (in_force or candidates)[0] if candidates else None


def _seed_partnership(spec: dict[str, Any], *, actor: Any, organisations: dict[str, Organisation]) -> None:
    if Partnership.objects.filter(name=spec["name"]).exists():
        return
    partnership = partnership_create(
        actor=actor,
        name=spec["name"],
        area=spec["area"],
        model_of_working=spec["model_of_working"],
        meeting_cadence=spec["meeting_cadence"],
        terms_of_reference=spec["terms_of_reference"],
    )
    for name, joined_on, left_on in spec["members"]:
        if name not in organisations:
            continue
        membership = partnership_member_add(
            actor=actor, partnership=partnership, organisation=organisations[name], joined_on=joined_on
        )
        if left_on is not None:
            partnership_member_end(actor=actor, membership=membership, left_on=left_on)
    groups = {group.name: group for group in SeldomHeardGroup.objects.all()}
    for stakeholder in spec["stakeholders"]:
        fields = dict(stakeholder)
        if "organisation" in fields:
            if fields["organisation"] not in organisations:
                continue
            fields["organisation"] = organisations[fields["organisation"]]
        if "seldom_heard_group" in fields:
            fields["seldom_heard_group"] = groups.get(fields["seldom_heard_group"])
        stakeholder_add(actor=actor, partnership=partnership, **fields)


def seed(*, stdout: Any) -> None:
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    force = organisations.get(FORCE)
    if force is None:
        return
    supervisor = _supervisor(force)
    if supervisor is not None:  # a partnership records who created it
        for spec in DEMO_PARTNERSHIPS:
            _seed_partnership(spec, actor=supervisor, organisations=organisations)
    categories = {category.code: category for category in DataCategory.objects.all()}
    for org_name, name, owner, refresh, data_format, personal, codes, description in DEMO_DATA_SOURCES:
        organisation = organisations.get(org_name)
        if organisation is None or DataSource.objects.filter(organisation=organisation, name=name).exists():
            continue
        data_source_create(
            actor=supervisor,
            organisation=organisation,
            name=name,
            owner=owner,
            refresh_frequency=refresh,
            data_format=data_format,
            holds_personal_data=personal,
            categories=[categories[code] for code in codes if code in categories],
            description=description,
            agreement=covering_agreement(organisation, force),
        )
