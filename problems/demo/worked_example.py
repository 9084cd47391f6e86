"""The demo's worked example, from scanning to closure: street drinking and anti-social behaviour
around the Eastgate parade of shops, worked with the council (licensing, community safety), a
homelessness charity (outreach) and a licensed shop (a controller of the place, and the voluntary
agreement it made). Every step goes through the services, so its history is real."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from partnerships.models import Neighbourhood, PatController
from problems.models import (
    ActionStatus,
    DemandSourceKind,
    HypothesisStatus,
    InterventionKind,
    ProblemCategory,
    ProblemSource,
    RiskLevel,
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

WORKED_EXAMPLE = "Street drinking and ASB around Eastgate parade of shops"


def seed_worked_example(people: dict[str, Any], today: datetime.date) -> None:
    """Scanning to closure with the council, the homelessness charity and a licensed shop."""
    officer, supervisor, council, charity = (
        people["officer"],
        people["supervisor"],
        people["council"],
        people["charity"],
    )
    problem = problem_create(
        actor=officer,
        title=WORKED_EXAMPLE,
        description=(
            "Groups drinking on the benches outside the Eastgate parade every afternoon and evening; "
            "shoppers and staff report shouting, urinating in doorways and intimidation."
        ),
        category=ProblemCategory.objects.get(code="asb"),
        neighbourhood=Neighbourhood.objects.get(organisation=officer.organisation, name="Eastgate"),
        address="Eastgate Parade, Eastgate Road, Northshire NS5 1AA",
        lsoa_code="E01012345",
        latitude=Decimal("52.123456"),
        longitude=Decimal("-1.234567"),
        radius_m=250,
        source=ProblemSource.COMMUNITY_REPORT,
        risk_level=RiskLevel.HIGH,
        opened_on=today - datetime.timedelta(days=200),
        demand_sources=[
            DemandSourceKind.WARD_PANEL,
            DemandSourceKind.RESIDENT_COMPLAINT,
            DemandSourceKind.BUSINESS,
            DemandSourceKind.COUNCILLOR,
        ],
        demand_note=(
            "Eastgate ward panel made it its priority in March; the parade's shopkeepers wrote to the inspector "
            "together, and a ward councillor forwarded residents' emails from the flats above the parade."
        ),
        perceived_problem=(
            "Drunken beggars taking over the parade: residents and shopkeepers say the police move them on and "
            "they are back within the hour, and that customers are staying away."
        ),
    )
    problem_aims_update(
        actor=officer,
        problem=problem,
        perceived_aim="Get the drinkers off the parade for good and make it safe to shop there again.",
    )
    problem = problem_scanning_update(
        actor=officer,
        problem=problem,
        problem_statement=(
            "Street drinking by a group of six to ten adults at Eastgate parade causes anti-social behaviour "
            "most days between 14:00 and 21:00, harming shoppers, staff and residents."
        ),
        cheers_community="Shoppers, shop staff and residents of the flats above the parade.",
        cheers_harm="Intimidation, noise, litter and urine in doorways; two shops report lost trade.",
        cheers_expectation="Raised at two residents' meetings and by the shopkeepers; they expect action.",
        cheers_events="64 calls for ASB in the last quarter, most of them about drinking groups.",
        cheers_recurring="Almost every day for over a year, worse in summer.",
        cheers_similarity="The same benches, the same hours, and largely the same people.",
        evidence_sources="Police ASB calls; council environmental health reports; shopkeepers' incident logs.",
    )
    decision_record(
        actor=officer,
        problem=problem,
        information="64 ASB calls in a quarter; shopkeepers' logs; residents' meeting minutes.",
        threat_and_risk="High: daily intimidation; some drinkers are vulnerable and street homeless.",
        powers_and_policy="Force problem-solving policy; Anti-social Behaviour, Crime and Policing Act 2014.",
        options="Dispersal orders only; patrols only; a problem-solving plan with partners.",
        decision_and_action="Open a problem-solving plan and analyse the problem with partners.",
        review="At the first review in two weeks.",
        code_of_ethics="Enforcement alone would move vulnerable people on without help; support first.",
    )
    problem = problem_advance_stage(actor=officer, problem=problem, note="Problem statement and CHEERS complete.")

    problem = problem_analysis_update(
        actor=officer,
        problem=problem,
        pat_offender="About eight adults, four of them street homeless with alcohol dependency.",
        pat_victim="Shop staff, shoppers and residents above the parade.",
        pat_location="Benches in front of the parade, beside an off-licence selling cheap high-strength lager.",
        data_sources_used="Police calls (12 months), council reports, outreach contacts, licensing records.",
    )
    problem = problem_scanning_update(
        actor=officer,
        problem=problem,
        defined_problem=(
            "About eight adults, four of them street homeless and alcohol dependent, drink on the parade's "
            "benches most days from 14:00 to 21:00, drawn by cheap single cans sold on the parade; the shouting, "
            "litter and urine in doorways intimidate staff, shoppers and residents."
        ),
    )
    problem = problem_aims_update(
        actor=officer,
        problem=problem,
        defined_aim=(
            "Halve the anti-social behaviour from street drinking at the parade, and get the street homeless "
            "drinkers into housing and alcohol support rather than moving them on."
        ),
        aim_evaluation=(
            "ASB calls about the parade for the six months before and after the response, against the rest of "
            "Eastgate as a comparison area and with a 200 m buffer for displacement; outreach records of support "
            "taken up; a repeat of the shopkeepers' survey."
        ),
    )
    controller_add(
        actor=officer,
        problem=problem,
        kind=PatController.HANDLER,
        who="Outreach workers, Eastgate Homelessness Project",
        engaged=True,
        notes="Know most of the group by name.",
    )
    controller_add(
        actor=officer,
        problem=problem,
        kind=PatController.MANAGER,
        who="Licensee of Eastgate Wines (the licensed shop on the parade)",
        engaged=True,
        notes="Agreed to meet the council's licensing team.",
    )
    controller_add(
        actor=officer,
        problem=problem,
        kind=PatController.GUARDIAN,
        who="Parade shop staff and the council's CCTV operators",
        engaged=False,
    )
    hypothesis_add(
        actor=officer,
        problem=problem,
        statement="Cheap single cans of high-strength lager sold on the parade draw the group there.",
        status=HypothesisStatus.SUPPORTED,
        evidence="Most cans found in litter picks were bought at Eastgate Wines.",
    )
    hypothesis_add(
        actor=officer,
        problem=problem,
        statement="The group would leave if the benches were removed.",
        status=HypothesisStatus.NOT_SUPPORTED,
        evidence="The group stood or sat on walls when benches were closed for repair.",
    )
    drinking = objective_add(
        actor=officer,
        problem=problem,
        description="Reduce ASB calls about street drinking at the parade by half within six months.",
        measure="ASB calls to the police about the parade",
        baseline="64 a quarter",
        target="32 a quarter",
        target_date=today - datetime.timedelta(days=20),
    )
    support = objective_add(
        actor=officer,
        problem=problem,
        description="Engage the street homeless drinkers with support services.",
        measure="People in the group taking up housing or alcohol support",
        baseline="0 of 4",
        target="3 of 4",
        target_date=today - datetime.timedelta(days=20),
    )
    problem_review_record(actor=supervisor, problem=problem, notes="Good analysis; agree the plan with partners.")
    problem = problem_advance_stage(actor=officer, problem=problem, note="Analysis and objectives agreed.")

    decision_record(
        actor=supervisor,
        problem=problem,
        information="Analysis shows cheap alcohol and unmet support needs draw the group to the parade.",
        threat_and_risk="Continuing harm to the community; risk to the health of vulnerable drinkers.",
        powers_and_policy="Licensing Act 2003 (licence review); Public Spaces Protection Order (ASB Act 2014).",
        options="Licence review straight away; voluntary agreement with the licensee; PSPO alone; outreach alone.",
        decision_and_action=(
            "Joint plan: outreach first, a voluntary agreement with the licensee to stop single-can sales, "
            "a PSPO consultation by the council, and targeted patrols."
        ),
        review="Joint review at the monthly partnership meeting.",
        code_of_ethics="Support before enforcement; the licensee is given the chance to act voluntarily.",
        is_joint=True,
        partner_organisations=[council, charity],
    )
    first = decision_record(
        actor=officer,
        problem=problem,
        information="The licensee agreed at the meeting on the parade.",
        threat_and_risk="Low risk that the agreement is not kept; licensing will check.",
        powers_and_policy="Licensing Act 2003: voluntary conditions.",
        options="Voluntary agreement or a licence review.",
        decision_and_action="Voluntary agreement signed for 12 months.",
        code_of_ethics="Proportionate: the least intrusive effective option.",
    )
    decision_record(
        actor=officer,
        problem=problem,
        information="The licensee agreed at the meeting on the parade.",
        threat_and_risk="Low risk that the agreement is not kept; licensing will check.",
        powers_and_policy="Licensing Act 2003: voluntary conditions.",
        options="Voluntary agreement or a licence review.",
        decision_and_action="Voluntary agreement signed for 6 months, not 12, with a review at the end.",
        review="Corrects the length of the agreement recorded in the earlier entry.",
        code_of_ethics="Proportionate: the least intrusive effective option.",
        corrects=first,
    )
    for description, kind, organisation, person, user in (
        (
            "Weekly outreach sessions on the parade, offering housing and alcohol support.",
            InterventionKind.SUPPORT,
            charity,
            "Outreach team leader",
            None,
        ),
        (
            "Voluntary agreement with Eastgate Wines (licensed shop) to stop selling single cans of strong lager.",
            InterventionKind.SITUATIONAL,
            council,
            "Licensing officer, with the licensee of Eastgate Wines",
            None,
        ),
        (
            "Consult on a Public Spaces Protection Order restricting drinking on the parade.",
            InterventionKind.ENFORCEMENT,
            council,
            "Community safety manager",
            None,
        ),
        (
            "Targeted patrols between 14:00 and 21:00, engaging before enforcing.",
            InterventionKind.ENFORCEMENT,
            problem.owning_organisation,
            "",
            officer,
        ),
    ):
        action_add(
            actor=officer,
            problem=problem,
            description=description,
            intervention_kind=kind,
            responsible_organisation=organisation,
            responsible_person=person,
            responsible_user=user,
            due_date=today - datetime.timedelta(days=60),
            status=ActionStatus.DONE,
        )
    action_add(
        actor=officer,
        problem=problem,
        description="Move the benches away from the off-licence frontage.",
        intervention_kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        responsible_organisation=council,
        responsible_person="Highways officer",
        due_date=today - datetime.timedelta(days=60),
        status=ActionStatus.CANCELLED,
        cancel_reason="Analysis showed the group would stay without the benches (hypothesis not supported).",
    )
    problem_review_record(actor=supervisor, problem=problem, notes="Every action done or cancelled; assess.")
    problem = problem_advance_stage(actor=officer, problem=problem, note="Response delivered.")

    objective_update(actor=officer, objective=drinking, result="27 ASB calls in the last quarter.", met=True)
    objective_update(
        actor=officer, objective=support, result="2 of 4 took up housing support; 1 is in alcohol treatment.", met=False
    )
    problem = problem_assessment_update(
        actor=officer,
        problem=problem,
        process_evaluation="Delivered as planned, except moving the benches, which was cancelled.",
        displacement="Some drinking moved to the park nearby for a month, then fell away.",
        diffusion_of_benefits="Calls about the next street also fell by a quarter.",
        lessons_learned=(
            "Outreach before enforcement built trust; a voluntary agreement with the licensee was quicker than "
            "a licence review; involve the homelessness charity from scanning."
        ),
    )
    decision_record(
        actor=supervisor,
        problem=problem,
        information="The assessment: calls fell from 64 to 27 a quarter; support taken up by three of four.",
        threat_and_risk="Low: the residual problem is managed by routine patrols and outreach.",
        powers_and_policy="Force problem-solving policy.",
        options="Keep the problem open; close it and monitor through routine tasking.",
        decision_and_action="Sign off the assessment and close the problem.",
        review="Reopen if calls rise above 40 a quarter.",
        code_of_ethics="Resources move to where the need is now greater.",
    )
    problem = problem_sign_off(
        actor=supervisor,
        problem=problem,
        note="Checked the before and after figures against the comparison area; results and lessons recorded.",
    )
    problem_advance_stage(actor=officer, problem=problem, note="Objectives largely met; closed.")
