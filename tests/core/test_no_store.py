"""Nothing shown to a signed-in user may be kept by the browser or a proxy: pages, CSV and PDF
exports, attachments (outside security test, issue 15 item 8). Static files and public pages keep
their own caching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import Audience
from tests.conftest import World, sign_in
from tests.evaluation.factories_impact import impact_world, report_params
from tests.evaluation.factories_surveys import make_survey
from tests.problems.factories import ProblemFactory
from tests.problems.factories_contributions import attachment

pytestmark = pytest.mark.django_db


def _never_stored(response: Any) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "no-cache", "private", "max-age=0", "must-revalidate"} <= directives


def test_the_home_page_and_a_problem_page_are_not_stored(client: Client, world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    sign_in(client, world.users["officer"])
    for url in (reverse("home"), reverse("problem-detail", kwargs={"pk": problem.pk})):
        response = client.get(url)
        assert response.status_code == 200
        assert _never_stored(response), url
        assert "Expires" in response


def test_a_redirect_to_a_signed_in_user_is_not_stored(client: Client, world: World) -> None:
    sign_in(client, world.users["officer"])
    response = client.get(reverse("login"))  # a signed-in user is sent on from the sign-in page
    assert response.status_code == 302
    assert _never_stored(response)


def test_a_streamed_csv_export_is_not_stored(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"], audience=Audience.PARTNER)
    sign_in(client, world.users["partner_lead"])
    response = client.get(reverse("survey-export", kwargs={"pk": survey.pk}))
    assert response.status_code == 200
    assert response.streaming
    assert _never_stored(response)


def test_a_csv_and_a_pdf_export_are_not_stored(client: Client, world: World) -> None:
    data = impact_world(world)
    sign_in(client, world.users["supervisor"])
    csv_response = client.get("/reports/impact/csv/", report_params(data.eastgate))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert _never_stored(csv_response)
    pdf_response = client.get("/reports/impact/pdf/", report_params(data.eastgate))
    assert pdf_response["Content-Type"] == "application/pdf"
    assert _never_stored(pdf_response)


def test_an_attachment_download_is_not_stored(client: Client, world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    added = attachment(problem=problem, actor=world.users["officer"])
    sign_in(client, world.users["officer"])
    response = client.get(reverse("problem-attachment-download", kwargs={"pk": added.pk}))
    assert response.status_code == 200
    assert _never_stored(response)
    b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_response_that_completes_sign_in_is_not_stored(client: Client, world: World) -> None:
    from tests.accounts.factories import PASSWORD, totp_code

    user = world.users["officer"]
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _never_stored(response)
    response = client.post(reverse("otp-verify"), {"code": totp_code(user)})
    assert response.status_code == 302
    assert _never_stored(response)


def test_the_public_sign_in_page_still_works(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in" in response.text
    # Django's never_cache on the sign-in view, unchanged.
    assert _never_stored(response)


def test_a_public_survey_page_to_an_anonymous_visitor_is_not_marked(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    response = client.get(reverse("survey-public", kwargs={"token": survey.public_token}))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_keep_their_own_caching(client: Client, world: World, signed_in: bool) -> None:
    if signed_in:
        sign_in(client, world.users["officer"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=")  # whitenoise's own
    assert "no-store" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
