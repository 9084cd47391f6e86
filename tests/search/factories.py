"""A world in which one word ("quokka") is in a record of every kind the site search finds, and in
records that each persona must not find: a problem not shared, a restricted one, text a share
withholds, and another force's problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Role
from partnerships.services.organisations import organisation_update
from problems.models import Problem
from tests.accounts.factories import UserFactory
from tests.engagement.factories import make_event, make_priority, neighbourhood_for
from tests.partnerships.factories import PoliceForceFactory
from tests.partnerships.factories_agreements import category, complete_agreement
from tests.partnerships.factories_contacts import ContactFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import active_agreement, share

WORD = "quokka"


@dataclass
class Found:
    """What was built, by name, so that tests can say who finds what."""

    problems: dict[str, Problem] = field(default_factory=dict)
    records: dict[str, Any] = field(default_factory=dict)


def quokka_world(world: Any) -> Found:
    found = Found()
    officer = world.users["officer"]
    agreement = active_agreement(world.force, world.partner, title="Northshire estate data sharing")
    # Shared with the council, the word in its title (every viewer reads a title).
    found.problems["shared"] = share(world, title="Quokka murals defaced at the underpass", agreement=agreement).problem
    # Shared, the word only in a description and a problem statement whose category (names and
    # contact details) the share does not disclose, and in the analysis triangle (the same
    # category by default).
    found.problems["withheld"] = share(
        world,
        title="Noise from the late-night takeaway",
        description=f"Complaints name the {WORD} keeper at number 4.",
        description_category=category("identity-contact"),
        problem_statement=f"The {WORD} keeper's visitors shout at night.",
        statement_category=category("identity-contact"),
        pat_offender=f"The {WORD} keeper",
        agreement=agreement,
    ).problem
    # Shared, the word in a description the share discloses (ASB reports, the default category).
    found.problems["disclosed"] = share(
        world,
        title="Litter by the bus station",
        description=f"Residents report {WORD} stickers and litter every morning.",
        agreement=agreement,
    ).problem
    # Not shared with anyone.
    found.problems["unshared"] = ProblemFactory(force=world.force, owner=officer, title="Quokka lane car meets")
    # Restricted: another officer's, so only they, supervisors and named users see it.
    found.problems["restricted"] = ProblemFactory(
        force=world.force,
        owner=UserFactory(role=Role.OFFICER, organisation=world.force),
        title="Quokka close county lines",
        restricted=True,
    )
    # Another force's problem: nobody of Northshire finds it.
    other_force = PoliceForceFactory(name="Southshire Police")
    found.problems["other_force"] = ProblemFactory(force=other_force, title="Quokka park thefts")
    found.records["other_officer"] = UserFactory(
        email="officer@southshire.test", role=Role.OFFICER, organisation=other_force
    )

    organisation_update(actor=None, organisation=world.partner, areas_covered=f"{WORD.title()} ward\nRiverside")
    found.records["organisation"] = world.partner
    found.records["contact"] = ContactFactory(organisation=world.partner, name="Zara Quokka", job_title="ASB officer")
    found.records["agreement"] = complete_agreement(
        parties=[world.force, world.partner], title="Quokka estate information sharing"
    )
    neighbourhood = neighbourhood_for(world)
    found.records["event"] = make_event(
        neighbourhood, by=officer, place="Community centre", issues_raised=f"Parking by the {WORD} enclosure."
    )
    found.records["priority"] = make_priority(neighbourhood, by=officer, issue=f"Speeding on {WORD.title()} Road.")
    return found
