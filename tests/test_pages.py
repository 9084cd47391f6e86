"""Layout and pages: home per role, navigation by role, error pages that reveal nothing."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core.views import server_error
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

HOME_HEADINGS = {
    "officer": "Your problems",
    "supervisor": "Team overview",
    "analyst": "Analysis",
    "partner_member": "Shared with your organisation",
    "partner_lead": "Your organisation",
    "administrator": "Administration",
    "dpo": "Data protection",
}


@pytest.mark.parametrize(("persona", "heading"), HOME_HEADINGS.items())
def test_each_role_has_its_own_home_page(world: World, persona: str, heading: str) -> None:
    user = world.users[persona]
    response = sign_in(Client(), user).get(reverse("home"))
    assert response.status_code == 200
    assert f'<h1 class="mb-1">{heading}</h1>' in response.text
    assert user.organisation.name in response.text


def test_navigation_shows_administration_to_administrators_only(world: World) -> None:
    admin_page = sign_in(Client(), world.users["administrator"]).get(reverse("home")).text
    officer_page = sign_in(Client(), world.users["officer"]).get(reverse("home")).text
    assert f'href="{reverse("admin:index")}">Administration' in admin_page
    assert f'href="{reverse("admin:index")}">Administration' not in officer_page


def test_every_page_has_a_skip_link_to_main_content(client: Client) -> None:
    response = client.get(reverse("login"))
    assert '<a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>' in response.text
    assert '<main id="main"' in response.text


@override_settings(DEBUG=False)
def test_not_found_page_reveals_nothing_about_the_request(officer_client: Client) -> None:
    response = officer_client.get("/problems/secret-operation-nightjar/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "nightjar" not in response.text
    assert "urlpatterns" not in response.text.lower()


def test_server_error_page_reveals_nothing(rf) -> None:  # type: ignore[no-untyped-def]
    response = server_error(rf.get("/boom/?token=abc"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text
    assert "Traceback" not in text
    assert "token" not in text


def test_error_summary_links_each_error_to_its_field(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert "data-error-summary" in response.text
    assert 'href="#id_username"' in response.text
    assert 'href="#id_password"' in response.text


def test_login_page_offers_no_obstacle_to_paste(client: Client) -> None:
    # WCAG 3.3.8: nothing may stop a password manager or a paste.
    text = client.get(reverse("login")).text
    assert "onpaste" not in text
    assert 'autocomplete="current-password"' in text
    assert 'autocomplete="off"' not in text


def test_expired_form_says_so_instead_of_a_bare_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@example.test", "password": "x"})
    assert response.status_code == 403
    assert "The form had expired" in response.text


def test_navigation_marks_the_current_section_on_its_sub_pages(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])
    text = client.get(reverse("organisation-detail", kwargs={"pk": world.partner.pk})).text
    # The "Partners" menu is marked, and within it the Partners link.
    assert 'class="nav-link dropdown-toggle btn btn-link active" id="nav-partners"' in text
    assert (
        f'<a class="dropdown-item active" href="{reverse("organisation-list")}" aria-current="page">Partners</a>'
        in text
    )
    assert f'<a class="dropdown-item" href="{reverse("partnership-list")}">Partnerships</a>' in text
    assert f'<a class="dropdown-item" href="{reverse("agreement-list")}">Agreements</a>' in text
