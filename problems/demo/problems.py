"""Demo problems for Northshire Police: about twenty, spread across every SARA stage, and one
worked example from scanning to closure (street drinking and anti-social behaviour around the
Eastgate parade of shops, worked with the council, a homelessness charity and a licensed shop).

Everything is written through the services, as officers and supervisors would, so the stage
history, reviews, decision log and audit trail are all real. Idempotent: a problem whose title
already exists is left alone."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from partnerships.demo.neighbourhoods import demo_point
from partnerships.models import Neighbourhood, Organisation, OrganisationKind, PatController, Sector
from partnerships.services import organisation_create
from problems.demo.worked_example import WORKED_EXAMPLE, seed_worked_example
from problems.models import (
    ActionStatus,
    DemandSourceKind,
    HypothesisStatus,
    InterventionKind,
    Problem,
    ProblemCategory,
    Stage,
)
from problems.services.decisions import decision_record
from problems.services.problems import problem_create, problem_review_record
from problems.services.sara import (
    action_add,
    controller_add,
    hypothesis_add,
    objective_add,
    objective_update,
    problem_aims_update,
    problem_analysis_update,
    problem_assessment_update,
    problem_scanning_update,
)
from problems.services.stages import problem_advance_stage, problem_sign_off

FORCE = "Northshire Police"
OFFICER = "officer@police.example"
SUPERVISOR = "supervisor@police.example"
COUNCIL = "Northshire City Council"
CHARITY = "Eastgate Homelessness Project"

# (title, category code, neighbourhood, source, risk level, stage reached, days since opened)
DEMO_PROBLEMS: list[tuple[str, str, str, str, str, str, int]] = [
    (
        "Fly-tipping and fires behind Mill Lane garages",
        "criminal-damage",
        "Riverside",
        "community_report",
        "low",
        "scanning",
        6,
    ),
    (
        "Cycle thefts from the railway station racks",
        "vehicle-crime",
        "City Centre",
        "crime_data",
        "medium",
        "scanning",
        10,
    ),
    ("Drug dealing reported near Northfield play park", "drugs", "Northfield", "public_meeting", "high", "scanning", 3),
    ("Nuisance motorbikes on Riverside towpath", "asb", "Riverside", "community_report", "medium", "scanning", 45),
    (
        "Graffiti on the underpass at Station Road",
        "criminal-damage",
        "City Centre",
        "partner_referral",
        "low",
        "scanning",
        14,
    ),
    (
        "Shed and garage burglaries on the Northfield allotments",
        "burglary",
        "Northfield",
        "crime_data",
        "medium",
        "analysis",
        35,
    ),
    (
        "Late-night disorder outside the Market Street bars",
        "violence",
        "City Centre",
        "crime_data",
        "high",
        "analysis",
        28,
    ),
    (
        "Catalytic converter thefts in Eastgate side streets",
        "vehicle-crime",
        "Eastgate",
        "crime_data",
        "medium",
        "analysis",
        40,
    ),
    (
        "Youths gathering and intimidating staff at Riverside library",
        "asb",
        "Riverside",
        "partner_referral",
        "medium",
        "analysis",
        75,
    ),
    (
        "Cuckooing of vulnerable tenants in Northfield flats",
        "drugs",
        "Northfield",
        "partner_referral",
        "high",
        "response",
        60,
    ),
    (
        "Thefts from cars at the university car parks",
        "vehicle-crime",
        "University Quarter",
        "crime_data",
        "medium",
        "response",
        55,
    ),
    (
        "Repeat criminal damage to Eastgate bus shelters",
        "criminal-damage",
        "Eastgate",
        "partner_referral",
        "low",
        "response",
        70,
    ),
    (
        "Begging and rough sleeping at the shopping centre entrance",
        "other",
        "City Centre",
        "community_report",
        "medium",
        "response",
        50,
    ),
    (
        "Distraction burglaries targeting older residents in Riverside",
        "burglary",
        "Riverside",
        "crime_data",
        "high",
        "assessment",
        110,
    ),
    (
        "Street robbery of students on College Road",
        "violence",
        "University Quarter",
        "crime_data",
        "high",
        "assessment",
        120,
    ),
    (
        "Speeding and car meets on the Northfield industrial estate",
        "asb",
        "Northfield",
        "public_meeting",
        "medium",
        "assessment",
        95,
    ),
    (
        "Shoplifting at the Eastgate convenience stores",
        "other",
        "Eastgate",
        "partner_referral",
        "medium",
        "closed",
        160,
    ),
    ("Needle litter in Riverside park", "drugs", "Riverside", "community_report", "medium", "closed", 150),
    ("Noise and parties at a holiday let on Quay Street", "asb", "Riverside", "community_report", "low", "closed", 140),
    # Closed years ago: problems.demo.retention backdates its closing so its retention review is due.
    (
        "Graffiti tags on the Old Market underpass",
        "criminal-damage",
        "Riverside",
        "community_report",
        "low",
        "closed",
        2400,
    ),
]

NDM_ROUTINE: dict[str, Any] = {
    "information": "Reports and crime data summarised in scanning; views of the neighbourhood team.",
    "threat_and_risk": "Continuing harm to residents if nothing is done; no immediate threat to life.",
    "powers_and_policy": "Force problem-solving policy; Anti-social Behaviour, Crime and Policing Act 2014.",
    "options": "Monitor only; patrols only; a problem-solving plan with partners.",
    "decision_and_action": "Work the problem through SARA with partners; review at the next tasking meeting.",
    "review": "At the next review date.",
    "code_of_ethics": "Proportionate and fair: support and prevention come before enforcement.",
}


# Who asked for each demo problem to be worked, by where it came from: the sources and the note.
DEMAND_BY_SOURCE: dict[str, tuple[list[str], str]] = {
    "community_report": (
        [DemandSourceKind.RESIDENT_COMPLAINT, DemandSourceKind.COUNCILLOR],
        "Complaints from residents to the neighbourhood team's inbox and at street briefings; a ward "
        "councillor passed on more by email.",
    ),
    "crime_data": (
        [DemandSourceKind.DATA_ANALYSIS, DemandSourceKind.OFFICER_OBSERVATION],
        "The monthly crime analysis flagged the rise; the neighbourhood team confirmed it on patrol.",
    ),
    "partner_referral": (
        [DemandSourceKind.PARTNER_REFERRAL],
        "Referred by the council's community safety team at the monthly partnership tasking meeting.",
    ),
    "public_meeting": (
        [DemandSourceKind.WARD_PANEL, DemandSourceKind.RESIDENT_COMPLAINT],
        "Voted a priority by the ward panel; residents raised it again at the next meeting.",
    ),
    "other": (
        [DemandSourceKind.OFFICER_OBSERVATION, DemandSourceKind.BUSINESS],
        "Noticed by officers on patrol; local businesses have raised it with the team since.",
    ),
}


def _demand(title: str, source: str) -> dict[str, Any]:
    """The demand and the problem as first reported, for problem_create."""
    sources, note = DEMAND_BY_SOURCE[source]
    return {
        "demand_sources": sources,
        "demand_note": note,
        "perceived_problem": f"{title}: those reporting it say it is getting worse and nothing is being done.",
    }


def _stage_index(stage: str) -> int:
    return [s.value for s in Stage].index(stage)


def _scan(problem: Problem, officer: User, title: str) -> Problem:
    return problem_scanning_update(
        actor=officer,
        problem=problem,
        problem_statement=f"{title}: repeated incidents over recent months that harm residents.",
        cheers_community="Residents, businesses and visitors in the neighbourhood.",
        cheers_harm="Fear of crime, loss and damage to property, and calls for service.",
        cheers_expectation="Residents raised it at the neighbourhood meeting and expect action.",
        cheers_events="Calls for service, crimes and partner reports described in the evidence.",
        cheers_recurring="Incidents recur every week at similar times.",
        cheers_similarity="The same places, times and, often, the same people.",
        evidence_sources="Police incident and crime records; partner reports; community feedback.",
    )


def _perceived_aim(problem: Problem, officer: User) -> Problem:
    return problem_aims_update(
        actor=officer, problem=problem, perceived_aim="Stop it happening, and see the police and council act on it."
    )


def _analyse(problem: Problem, officer: User, today: datetime.date) -> Problem:
    problem = problem_analysis_update(
        actor=officer,
        problem=problem,
        pat_offender="A small number of repeat offenders, some known to partners.",
        pat_victim="Local residents and businesses, some repeatedly.",
        pat_location="A few streets with poor lighting and little natural surveillance.",
        data_sources_used="Twelve months of incidents and crimes; partner data under the local agreement.",
    )
    problem = problem_scanning_update(
        actor=officer,
        problem=problem,
        defined_problem=(
            "Repeat incidents by a small number of known people, mostly between 18:00 and 23:00, on a few poorly "
            "lit streets with little natural surveillance."
        ),
    )
    problem = problem_aims_update(
        actor=officer,
        problem=problem,
        defined_aim="Reduce the evening incidents by a third by improving guardianship and lighting at the hotspot.",
        aim_evaluation=(
            "Incidents reported to the police in the six months before and after the response, compared with "
            "the rest of the neighbourhood; partners' reports of the same streets."
        ),
    )
    controller_add(
        actor=officer, problem=problem, kind=PatController.MANAGER, who="Council neighbourhood team", engaged=True
    )
    hypothesis_add(
        actor=officer,
        problem=problem,
        statement="Incidents cluster where there is little guardianship in the evening.",
        status=HypothesisStatus.SUPPORTED,
        evidence="Most incidents were between 18:00 and 23:00.",
    )
    objective_add(
        actor=officer,
        problem=problem,
        description="Reduce incidents by a third within six months.",
        measure="Incidents reported to the police",
        baseline="30 in the last quarter",
        target="20 a quarter",
        target_date=today + datetime.timedelta(days=180),
    )
    return problem


def _respond(problem: Problem, officer: User, council: Organisation, today: datetime.date, *, done: bool) -> Problem:
    status = ActionStatus.DONE if done else ActionStatus.IN_PROGRESS
    action_add(
        actor=officer,
        problem=problem,
        description="Targeted evening patrols at the hotspot.",
        intervention_kind=InterventionKind.ENFORCEMENT,
        responsible_organisation=problem.owning_organisation,
        responsible_user=officer,
        due_date=today + datetime.timedelta(days=30),
        status=status,
    )
    action_add(
        actor=officer,
        problem=problem,
        description="Improve lighting and cut back vegetation.",
        intervention_kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        responsible_organisation=council,
        responsible_person="Street lighting manager",
        due_date=today + datetime.timedelta(days=45),
        status=ActionStatus.DONE if done else ActionStatus.PLANNED,
    )
    return problem


def _assess(problem: Problem, officer: User) -> Problem:
    for objective in problem.objectives.all():
        objective_update(actor=officer, objective=objective, result="18 incidents in the last quarter.", met=True)
    return problem_assessment_update(
        actor=officer,
        problem=problem,
        process_evaluation="Delivered as planned, two weeks late for the lighting.",
        displacement="No sign of displacement to nearby streets.",
        lessons_learned="Early joint planning with the council made the difference.",
    )


def _work_to(problem: Problem, stage: str, people: dict[str, Any], today: datetime.date) -> None:
    officer, supervisor, council = people["officer"], people["supervisor"], people["council"]
    target = _stage_index(stage)
    problem = _scan(problem, officer, problem.title)
    problem = _perceived_aim(problem, officer)
    decision_record(actor=officer, problem=problem, **NDM_ROUTINE)
    if target < _stage_index(Stage.ANALYSIS):
        return
    problem = problem_advance_stage(actor=officer, problem=problem)
    problem = _analyse(problem, officer, today)
    if target < _stage_index(Stage.RESPONSE):
        return
    problem = problem_advance_stage(actor=officer, problem=problem)
    problem_review_record(actor=supervisor, problem=problem, notes="Plan agreed; partners engaged.")
    problem = _respond(problem, officer, council, today, done=target > _stage_index(Stage.RESPONSE))
    if target < _stage_index(Stage.ASSESSMENT):
        return
    problem = problem_advance_stage(actor=officer, problem=problem)
    problem = _assess(problem, officer)
    if target < _stage_index(Stage.CLOSED):
        return
    problem = problem_sign_off(actor=supervisor, problem=problem)
    problem_advance_stage(actor=officer, problem=problem, note="Objectives met; closed at the tasking meeting.")


def _charity() -> Organisation:
    charity = Organisation.objects.filter(name=CHARITY).first()
    if charity is None:
        charity = organisation_create(
            actor=None,
            name=CHARITY,
            kind=OrganisationKind.PARTNER,
            sector=Sector.VOLUNTARY,
            areas_covered="Eastgate\nCity Centre",
            email="outreach@homeless.example",
        )
    return charity


def seed(*, stdout: Any) -> None:
    force = Organisation.objects.get(name=FORCE)
    people: dict[str, Any] = {
        "officer": User.objects.get(email=OFFICER),
        "supervisor": User.objects.get(email=SUPERVISOR),
        "council": Organisation.objects.get(name=COUNCIL),
        "charity": _charity(),
    }
    today = timezone.localdate()
    existing = set(Problem.objects.filter(owning_organisation=force).values_list("title", flat=True))
    categories = {category.code: category for category in ProblemCategory.objects.all()}
    created = 0
    if WORKED_EXAMPLE not in existing:
        seed_worked_example(people, today)
        created += 1
    # The demo neighbourhoods (partnerships.demo, seeded first), by name.
    areas = {n.name: n for n in Neighbourhood.objects.filter(organisation=force)}
    for n, (title, category, neighbourhood, source, risk, stage, age) in enumerate(DEMO_PROBLEMS):
        if title in existing:
            continue
        latitude, longitude = demo_point(neighbourhood, n)
        problem = problem_create(
            actor=people["officer"],
            title=title,
            description=f"{title}. Reported repeatedly; see scanning for the evidence.",
            category=categories[category],
            neighbourhood=areas[neighbourhood],
            source=source,
            risk_level=risk,
            opened_on=today - datetime.timedelta(days=age),
            latitude=latitude,
            longitude=longitude,
            radius_m=300,
            **_demand(title, source),
        )
        _work_to(problem, stage, people, today)
        created += 1
    if created:
        stdout.write(f"Demo problems: {created} added.\n")
