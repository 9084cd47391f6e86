from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from problems.models import Problem, Stage
from tests.browser.conftest import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screenshot(page: Page) -> None:
    with open("/dev/null", "w") as null:  # noqa: PTH123
        call_command("seed_demo", stdout=null)
    officer = User.objects.get(email="officer@police.example")
    problem = Problem.objects.filter(stage=Stage.RESPONSE, owner=officer).order_by("pk").first()
    assert problem is not None
    page.set_viewport_size({"width": 1280, "height": 1500})
    sign_in_browser(page, officer, DEMO_PASSWORD)
    page.goto(f"/problems/{problem.pk}/")
    expect(page.get_by_role("region", name="Progress")).to_be_visible()
    page.screenshot(path="docs/problem-page.png")
