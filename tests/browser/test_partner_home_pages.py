"""The partner member's and partner lead's home pages in a real browser, with every panel filled
(shared problems, an overdue action, a draft to sign, an agreement due for review, contacts) and
with every panel empty: axe-core finds no accessibility violations, and no CSP violation is
logged."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import AgreementStatus
from problems.models.sharing import ShareAccess
from tests.browser.conftest import assert_accessible, assert_no_console_errors, sign_in_browser
from tests.conftest import World
from tests.partnerships.factories_agreements import complete_agreement
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_every_panel(world: World) -> None:
    today = timezone.localdate()
    contribute = share(world, access_level=ShareAccess.CONTRIBUTE, title="Drinking at the parade")
    share(world, access_level=ShareAccess.VIEW, title="Fly-tipping behind the flats")
    ResponseActionFactory(
        problem=contribute.problem,
        responsible_organisation=world.partner,
        due_date=today - datetime.timedelta(days=2),
        description="Fence the alley",
    )
    complete_agreement(parties=[world.force, world.partner], signed=False, title="Youth diversion referrals")
    complete_agreement(
        parties=[world.force, world.partner],
        status=AgreementStatus.ACTIVE,
        review_date=today + datetime.timedelta(days=7),
        title="Town centre ASB sharing",
    )
    SpocFactory(organisation=world.partner, name="Zoe Zed", spoc_topics="ASB in Eastgate")
    ContactFactory(organisation=world.partner, name="Aaron Able")


@pytest.mark.parametrize(
    ("persona", "heading", "panels"),
    [
        ("partner_member", "Shared with your organisation", ["Shared problems", "Your actions"]),
        ("partner_lead", "Your organisation", ["Shared problems", "Your actions", "Agreements", "Contacts"]),
    ],
)
def test_partner_home_pages_pass_axe_with_full_and_empty_panels(
    page: Page, world: World, persona: str, heading: str, panels: list[str]
) -> None:
    sign_in_browser(page, world.users[persona])
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_text("No problems are shared with your organisation at the moment.")).to_be_visible()
    assert_accessible(page)

    _fill_every_panel(world)
    page.goto("/")
    for title in panels:
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    expect(page.get_by_role("link", name="Fence the alley")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Drinking at the parade"))).to_be_visible()
    assert_accessible(page)
    assert_no_console_errors(page)
