"""Journey in a real browser: a supervisor builds a survey from the trust-and-confidence template
and publishes it; a member of the public, on a phone-sized screen and without signing in, opens
the public link and answers; the supervisor sees the answer in the results chart and its table,
and records that a community priority was set from these results (an empty choice first shows the
error summary). axe-core finds no accessibility violations on the builder, the public form or the
results page, and no console (CSP) error is logged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from engagement.models import ChosenBy
from evaluation.models import Survey, SurveyResponse, SurveyStatus
from evaluation.services.survey_templates import TEMPLATES, TRUST_CONFIDENCE
from tests.accounts.factories import UserFactory
from tests.browser.conftest import (
    PageProblems,
    assert_accessible,
    assert_no_console_errors,
    open_from_menu,
    sign_in_browser,
)
from tests.engagement.factories import make_priority
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ITEMS = [item.text for item in TEMPLATES[TRUST_CONFIDENCE].questions if item.kind == "agreement"]


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert_no_console_errors(page)


def test_supervisor_builds_trust_survey_public_answers_on_a_phone_supervisor_sees_result(
    page: Page, browser: Browser, live_server: Any
) -> None:
    force = PoliceForceFactory(name="Northshire Police")
    today = timezone.localdate()
    eastgate = NeighbourhoodFactory(organisation=force, name="Eastgate")
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=force, full_name="Sam Sergeant")
    priority = make_priority(
        eastgate, by=supervisor, issue="Speeding on Eastgate Road.", chosen_by=ChosenBy.SURVEY, issue_date=today
    )
    template = TEMPLATES[TRUST_CONFIDENCE]

    # The supervisor builds a survey from the template.
    sign_in_browser(page, supervisor)
    open_from_menu(page, "Evaluation", "Surveys")
    expect(page.get_by_role("heading", name="Surveys", level=1)).to_be_visible()
    _checked(page)
    page.get_by_role("link", name=f"Start from the template “{template.title}”").click()
    expect(page.get_by_role("heading", name="New survey", level=1)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(template.title)
    _checked(page)
    page.get_by_label("Neighbourhood").select_option(label="Eastgate")
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes on").fill((today + datetime.timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Create the survey").click()
    expect(page.get_by_role("heading", name=template.title, level=1)).to_be_visible()
    for text in ITEMS:
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"Survey “{template.title}” published.")).to_be_visible()
    expect(page.get_by_alt_text("QR code of the public link")).to_be_visible()
    _checked(page)
    survey = Survey.objects.get()
    assert survey.status == SurveyStatus.PUBLISHED
    assert survey.neighbourhood.name == "Eastgate"
    public_link = page.locator("[data-public-link]").get_attribute("href")
    assert public_link
    assert survey.public_token in public_link

    # A member of the public answers on a phone, with no account.
    phone_context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    phone = phone_context.new_page()
    problems = PageProblems()
    phone.on("console", problems)
    phone.console_problems = problems  # type: ignore[attr-defined]
    phone.goto(public_link)
    expect(phone.get_by_role("heading", name=template.title, level=1)).to_be_visible()
    expect(phone.get_by_role("link", name="Sign out")).to_have_count(0)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _checked(phone)
    for text in ITEMS:
        phone.get_by_role("group", name=text).get_by_label("Agree", exact=True).check()
    phone.get_by_role("group", name="How old are you?").get_by_label("65 or over").check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you", level=1)).to_be_visible()
    _checked(phone)
    phone_context.close()
    assert SurveyResponse.objects.filter(survey=survey, respondent=None).count() == 1

    # The supervisor sees the answer in the results chart and its data table.
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name=f"Results: {template.title}", level=1)).to_be_visible()
    expect(page.locator("[data-response-count]")).to_have_text("1 response.")
    first = page.locator("[data-result]").first
    expect(first.locator("canvas")).to_have_attribute("data-drawn", "true")
    expect(first.get_by_role("row", name="Agree 1 100.0%")).to_be_visible()
    expect(first.get_by_text("Net agreement: 100.0%")).to_be_visible()
    _checked(page)

    # ... and records that a priority was set from these results.
    page.get_by_role("button", name="Link the priority").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Choose a priority from the list.")
    _checked(page)
    page.get_by_label("Priority set from these results").select_option(
        label=f"{priority}, Eastgate, set {priority.issue_date:%d %B %Y}"
    )
    page.get_by_role("button", name="Link the priority").click()
    expect(page.locator("[data-survey-priorities]").get_by_role("link", name=str(priority))).to_be_visible()
    _checked(page)

    # The round appears in the trust-and-confidence trend for Eastgate.
    page.goto("/surveys/trends/")
    expect(page.get_by_role("table", name="Eastgate: net agreement by round (%)")).to_be_visible()
    expect(page.locator("#trend-chart")).to_have_attribute("data-drawn", "true")
    _checked(page)
