"""Steps the problem journeys share: open a form from the problem page, save it, move the problem
on; each page visited is checked with axe-core and for console (CSP) errors."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from partnerships.models import Organisation
from problems.models import Problem
from tests.browser.conftest import assert_accessible, assert_no_console_errors


def checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def open_form(page: Page, link: str | re.Pattern[str], heading: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    checked(page)


def save(page: Page, title: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)


def move_on(page: Page, reference: str, stage: str, title: str) -> None:
    page.get_by_role("button", name=f"Move to {stage}").click()
    expect(page.get_by_text(f"{reference} moved to {stage}.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)


# --- a street-drinking problem worked through SARA (the journeys' shared case) --------------------


def log_problem(page: Page, title: str) -> Problem:
    """Log the street-drinking problem from the form; returns it once its page is shown."""
    page.goto("/problems/new/")
    expect(page.get_by_role("heading", name="Log a problem")).to_be_visible()
    checked(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Groups drinking outside the shops every evening.")
    page.get_by_label("Category").select_option(label="Anti-social behaviour")
    page.get_by_label("Where it came from").select_option(label="Community report")
    page.get_by_label("High").check()
    page.get_by_label("Neighbourhood or ward").select_option(label="Eastgate")
    page.get_by_role("button", name="Log the problem").click()
    problem = Problem.objects.get(title=title)
    expect(page.get_by_text(f"Problem {problem.reference} logged.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    checked(page)
    return problem


def complete_scanning(page: Page, problem: Problem) -> None:
    """The problem statement and the six CHEERS answers, then the move to analysis."""
    open_form(page, "Edit scanning", "Scanning")
    page.get_by_label("Problem statement").fill("Daily street drinking at the parade intimidates shoppers.")
    page.get_by_label("Community: who in the community is affected?").fill("Shoppers, staff and residents.")
    page.get_by_label("Harm: what harm does it cause?").fill("Intimidation, noise and litter.")
    page.get_by_label("Expectation: do people expect the police to act?").fill("Raised at the residents' meeting.")
    page.get_by_label("Events: what events or incidents make it up?").fill("64 ASB calls last quarter.")
    page.get_by_label("Recurring: does it keep happening?").fill("Almost every day.")
    page.get_by_label("Similarity: what do the events have in common?").fill("Same benches, same hours.")
    page.get_by_label("Evidence sources").fill("Police calls; shopkeepers' logs.")
    save(page, problem.title)
    move_on(page, problem.reference, "analysis", problem.title)


def fill_the_triangle(page: Page, title: str) -> None:
    open_form(page, "Edit the problem analysis triangle", "Analysis: the problem analysis triangle")
    page.get_by_label("Offender: what is known").fill("About eight adults, some street homeless.")
    page.get_by_label("Victim or target: what is known").fill("Shop staff and shoppers.")
    page.get_by_label("Location: what is known").fill("Benches beside an off-licence.")
    save(page, title)


def add_controller_hypothesis_and_objective(page: Page, title: str, today: datetime.date) -> None:
    """The rest of the analysis: a controller, a hypothesis and an objective with its baseline."""
    open_form(page, "Add a controller", "Add a controller")
    page.get_by_label("Kind of controller").select_option(label="Manager (of places)")
    page.get_by_label("Who they are").fill("Licensee of Eastgate Wines")
    page.get_by_label("They are engaged").check()
    save(page, title)
    open_form(page, "Add a hypothesis", "Add a hypothesis")
    page.get_by_label("Hypothesis").fill("Cheap strong lager sold on the parade draws the group.")
    page.get_by_label("Status").select_option(label="Supported")
    save(page, title)
    open_form(page, "Add an objective", "Add an objective")
    page.get_by_label("Description").fill("Halve ASB calls about the parade.")
    page.get_by_label("Measure").fill("ASB calls to the police about the parade")
    page.get_by_label("Baseline").fill("64 a quarter")
    page.get_by_role("textbox", name=re.compile(r"^Target\W*$")).fill("32 a quarter")
    page.get_by_label("Target date").fill((today + datetime.timedelta(days=180)).isoformat())
    save(page, title)


def record_decision(page: Page, *, joint_with: str = "") -> None:
    """A decision in the National Decision Model log (joint with `joint_with`, if named)."""
    open_form(page, "Record a decision", "Record a decision")
    page.get_by_label("Information and intelligence").fill("64 ASB calls; shopkeepers' logs.")
    page.get_by_label("Assessment of threat and risk").fill("Daily intimidation; vulnerable drinkers.")
    page.get_by_label("Powers and policy").fill("Licensing Act 2003; ASB, Crime and Policing Act 2014.")
    page.get_by_label("Options considered").fill("Dispersal only; outreach and a licensing agreement.")
    page.get_by_label("Decision and action").fill("Outreach first, then a voluntary licensing agreement.")
    page.get_by_label("Code of Ethics consideration").fill("Support before enforcement.")
    if joint_with:
        page.get_by_label("Joint decision").check()
        page.get_by_label(joint_with).check()
    page.get_by_role("button", name="Save to the decision log").click()
    expect(page.get_by_text("The decision has been added to the decision log.")).to_be_visible()
    checked(page)


def respond_and_assess(page: Page, problem: Problem, partner: Organisation, today: datetime.date) -> None:
    """An action given to `partner` (which has no users yet) and marked done; the move to
    assessment; the objective's result and the lessons learned."""
    title = problem.title
    open_form(page, "Add a response action", "Add a response action")
    page.get_by_label("Description").fill("Weekly outreach sessions on the parade.")
    page.get_by_label("Kind of intervention").select_option(label="Support")
    page.get_by_label("Responsible organisation").select_option(label=f"{partner.name} (no users yet)")
    page.get_by_label("Responsible person").fill("Outreach team leader")
    page.get_by_label("Due date").fill((today + datetime.timedelta(days=30)).isoformat())
    save(page, title)
    # Links named by what they change (the visually hidden part follows a colon).
    open_form(page, re.compile(r"^Change\W+Weekly outreach sessions on the parade\.$"), "Change a response action")
    page.get_by_label("Status").select_option(label="Done")
    save(page, title)
    expect(page.get_by_role("row").filter(has_text="Weekly outreach sessions")).to_contain_text("Done")
    move_on(page, problem.reference, "assessment", title)
    open_form(
        page, re.compile(r"^Record result\W+Halve ASB calls about the parade\.$"), "Record the objective's result"
    )
    page.get_by_label("Result").fill("27 ASB calls in the last quarter.")
    page.get_by_label("Was the objective met?").select_option(label="Yes")
    save(page, title)
    open_form(page, "Edit the assessment", "Assessment")
    page.get_by_label("Process evaluation: was the response delivered as planned?").fill("Yes, as planned.")
    page.get_by_label("Lessons learned").fill("Outreach before enforcement built trust.")
    save(page, title)


def sign_off(page: Page, note: str) -> None:
    """The supervisor signs off the assessment on the problem page: a note, and the confirmation
    (refused without it, saying so)."""
    form = page.get_by_role("form", name="Sign off the assessment")
    form.get_by_role("button", name="Sign off the assessment").click()
    expect(page.get_by_text("Tick the box to confirm the sign-off.").first).to_be_visible()
    form = page.get_by_role("form", name="Sign off the assessment")
    form.get_by_label("Sign-off note (optional)").fill(note)
    form.get_by_label("I have read the assessment and its results and sign it off").check()
    form.get_by_role("button", name="Sign off the assessment").click()
    expect(page.get_by_text("You signed off the assessment.")).to_be_visible()
