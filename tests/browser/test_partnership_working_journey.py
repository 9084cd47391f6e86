"""Partnership working beyond consultation (issue 21), in a real browser: a council member refers
a fly-tipping problem to the force; the force's supervisor accepts it with the council as lead
agency; the council works it through analysis (the force moves its stage: it keeps the record);
the problem is on the partnership's next tasking meeting's agenda; a joint decision taken there
appears in the problem's decision log naming the organisations present. axe-core finds no
violation on any page visited, and no console (CSP) error is logged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from problems.models import Problem, Referral
from tests.browser.conftest import PageProblems, sign_in_browser
from tests.browser.sara_steps import checked, fill_the_triangle, move_on, open_form, save
from tests.conftest import World
from tests.partnerships.factories_agreements import category
from tests.problems.factories import force_neighbourhood
from tests.problems.factories_meetings import world_partnership
from tests.problems.factories_sharing import active_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fly-tipping behind the Mill Lane shops"


@pytest.fixture
def second_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A second person's browser, beside the first (the supervisor's, while the council works)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems)
    page.console_problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


def test_a_council_referral_becomes_a_council_led_problem_decided_at_a_tasking_meeting(
    page: Page, second_page: Page, world: World
) -> None:
    partnership = world_partnership(world)
    active_agreement(world.force, world.partner, categories=[category("asb-reports"), category("identity-contact")])
    force_neighbourhood(world.force, "Eastgate")
    council, supervisor = page, second_page

    # The council member refers the problem from their home page.
    sign_in_browser(council, world.users["partner_member"])
    panel = council.get_by_role("region", name="Your referrals")
    expect(panel).to_contain_text("Your organisation has not referred a problem yet.")
    checked(council)
    panel.get_by_role("link", name="Refer a problem").click()
    expect(council.get_by_role("heading", name="Refer a problem", level=1)).to_be_visible()
    checked(council)
    council.get_by_label("Police force").select_option(label=world.force.name)
    council.get_by_label("What is the problem?").fill(TITLE)
    council.get_by_label("Where is it?").fill("Mill Lane service road")
    council.get_by_label("Why refer it now?").fill("Twelve tips in a month and a bin fire last week.")
    council.get_by_label("What evidence is there?").fill("Cleansing crew logs; residents' photographs.")
    council.get_by_role("button", name="Send the referral").click()
    expect(council.get_by_text("Awaiting a decision")).to_be_visible()
    checked(council)
    referral = Referral.objects.get()

    # The supervisor accepts it, naming the council the lead agency.
    sign_in_browser(supervisor, world.users["supervisor"])
    supervisor.goto(f"/referrals/{referral.pk}/")
    expect(supervisor.get_by_role("heading", name=f"Referral: {TITLE}")).to_be_visible()
    checked(supervisor)
    supervisor.get_by_role("link", name="Accept").click()
    checked(supervisor)
    supervisor.get_by_label("Category").select_option(label="Anti-social behaviour")
    supervisor.get_by_label("Neighbourhood or ward").select_option(label="Eastgate")
    supervisor.get_by_label(category("identity-contact").name).check()
    supervisor.get_by_label("The referring organisation leads the problem (lead agency)").check()
    supervisor.get_by_role("button", name="Accept and log the problem").click()
    expect(supervisor.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    problem = Problem.objects.get(title=TITLE)
    expect(supervisor.locator("[data-lead-agency]")).to_contain_text(f"{world.partner.name} leads this problem")
    checked(supervisor)

    # The council sees the outcome, and works the problem: scanning, then (once the force has
    # moved it on) the analysis.
    council.goto("/")
    expect(council.get_by_role("region", name="Your referrals")).to_contain_text(f"Accepted ({problem.reference})")
    council.goto(f"/problems/{problem.pk}/")
    expect(council.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    checked(council)
    open_form(council, "Edit scanning", "Scanning")
    council.get_by_label("Problem statement").fill("Repeated fly-tipping behind the shops draws rats and fires.")
    council.get_by_label("Community: who in the community is affected?").fill("Residents and shopkeepers.")
    council.get_by_label("Harm: what harm does it cause?").fill("Fire risk, vermin, cost of clearance.")
    council.get_by_label("Expectation: do people expect the police to act?").fill("They expect the council to.")
    council.get_by_label("Events: what events or incidents make it up?").fill("Twelve tips in a month.")
    council.get_by_label("Recurring: does it keep happening?").fill("Every week.")
    council.get_by_label("Similarity: what do the events have in common?").fill("Same road, at night.")
    council.get_by_label("Evidence sources").fill("Cleansing logs.")
    save(council, TITLE)

    supervisor.reload()
    move_on(supervisor, problem.reference, "analysis", TITLE)

    council.reload()
    fill_the_triangle(council, TITLE)
    expect(council.get_by_text("Benches beside an off-licence.")).to_be_visible()

    # The next tasking meeting: its agenda holds the problem.
    supervisor.goto(f"/partnerships/{partnership.pk}/meetings/")
    checked(supervisor)
    supervisor.get_by_role("link", name="Hold a tasking meeting").click()
    checked(supervisor)
    supervisor.get_by_label("Date of the meeting").fill(timezone.localdate().isoformat())
    supervisor.get_by_label("Title").fill("March tasking")
    supervisor.get_by_role("group", name="Organisations that attended").get_by_label(world.force.name).check()
    supervisor.get_by_role("group", name="Organisations that attended").get_by_label(world.partner.name).check()
    supervisor.get_by_role("button", name="Record the meeting and build its agenda").click()
    expect(supervisor.get_by_role("heading", name="March tasking", level=1)).to_be_visible()
    agenda = supervisor.locator(".meeting-agenda")
    expect(agenda).to_contain_text(f"{problem.reference}: {TITLE}")
    checked(supervisor)

    # The council, leading the problem, records the joint decision taken at the meeting.
    meeting_url = supervisor.url
    council.goto(meeting_url)
    checked(council)
    council.get_by_role("link", name="Record a joint decision on item 1").click()
    expect(council.get_by_role("heading", name="Record a joint decision: item 1")).to_be_visible()
    checked(council)
    council.get_by_label("Information and intelligence").fill("Twelve tips in a month; bin fire.")
    council.get_by_label("Assessment of threat and risk").fill("Fire risk to the shops; vermin.")
    council.get_by_label("Powers and policy").fill("Environmental Protection Act 1990 s.33.")
    council.get_by_label("Options considered").fill("Cameras; gating the road; doing nothing.")
    council.get_by_label("Decision and action").fill("Gate the service road; police to patrol at night.")
    council.get_by_label("Code of Ethics consideration").fill("Proportionate; nobody is named.")
    council.get_by_role("button", name="Save").click()
    expect(council.get_by_text(f"The joint decision is in {problem.reference}'s decision log.")).to_be_visible()
    expect(council.locator("[data-meeting-decision]")).to_contain_text("Gate the service road")
    checked(council)

    # The problem's decision log names the organisations present.
    council.goto(f"/problems/{problem.pk}/#decision-log")
    entry = council.locator(".decision-entry").filter(has_text="Gate the service road")
    expect(entry).to_contain_text("Joint decision")
    expect(entry).to_contain_text(
        f"Organisations present: {', '.join(sorted([world.force.name, world.partner.name]))}."
    )
    checked(council)

    # The problem's stakeholder map, from the council's side: it adds the council itself.
    council.goto(f"/problems/{problem.pk}/")
    council.get_by_role("link", name="Stakeholder map").click()
    expect(council.get_by_role("heading", name=f"Stakeholder map: {problem.reference}")).to_be_visible()
    checked(council)
    council.get_by_role("link", name="Add a stakeholder").click()
    council.get_by_role("radio", name="Organisation").check()
    council.get_by_role("combobox", name="Organisation").select_option(label=world.partner.name)
    council.get_by_label("Influence").fill("5")
    council.get_by_label("Interest").fill("5")
    council.get_by_role("button", name="Add to the map").click()
    expect(council.get_by_text(f"{world.partner.name} is on the stakeholder map.")).to_be_visible()
    checked(council)

    # The partnership's health over time (no round yet) and the attendance at its meetings.
    supervisor.goto(f"/partnerships/{partnership.pk}/health/")
    expect(supervisor.get_by_role("heading", name=f"Partnership health: {partnership.name}")).to_be_visible()
    checked(supervisor)
    supervisor.goto(f"/partnerships/{partnership.pk}/")
    expect(supervisor.locator(f'[data-attendance="{world.partner.name}"]')).to_contain_text("Attended")
    expect(supervisor.locator("[data-health-panel]")).to_contain_text("No health-check round")
    checked(supervisor)

    # The printable agenda and minutes.
    supervisor.goto(meeting_url + "print/")
    expect(supervisor.get_by_role("heading", name=f"{partnership.name}: agenda and minutes")).to_be_visible()
    checked(supervisor)
