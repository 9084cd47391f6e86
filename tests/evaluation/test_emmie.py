"""EMMIE for a problem's response: recorded by those who assess the problem, shown on the problem
page and in the printable summary."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from evaluation.models import EmmieAssessment, EmmieRating
from evaluation.services.assessment import emmie_save
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

FILLED = {
    "effect": "ASB calls fell by half in the target area.",
    "effect_rating": "2",
    "mechanism": "Fewer people drinking on the benches once the shop stopped selling high-strength lager.",
    "mechanism_rating": "2",
    "moderators": "Worked at the parade; the park, with no licensed shop nearby, did not change.",
    "moderators_rating": "1",
    "implementation": "Depended on the licensee's goodwill and outreach staffing.",
    "implementation_rating": "3",
    "economics": "About £2,000 of officer and partner time.",
    "economics_rating": "",
}


def test_an_officer_records_emmie_and_it_shows_on_the_page_and_the_summary(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    client = sign_in(Client(), world.users["officer"])

    response = client.post(reverse("assessment-emmie", kwargs={"pk": problem.pk}), FILLED)

    assert response.status_code == 302
    emmie = EmmieAssessment.objects.get(problem=problem)
    assert (emmie.effect_rating, emmie.implementation_rating, emmie.economics_rating) == (
        EmmieRating.MODERATE,
        EmmieRating.STRONG,
        None,
    )
    detail = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    summary = client.get(reverse("problem-summary", kwargs={"pk": problem.pk})).content.decode()
    for page in (detail, summary):
        assert "Fewer people drinking on the benches" in page
        assert "Not rated" in page
    assert AuditEvent.objects.filter(verb="evaluation.emmie.saved", target_id=str(problem.pk)).exists()


def test_an_unknown_rating_is_refused_and_nothing_is_saved(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    client = sign_in(Client(), world.users["analyst"])

    response = client.post(reverse("assessment-emmie", kwargs={"pk": problem.pk}), {**FILLED, "effect_rating": "9"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert "ASB calls fell by half in the target area." in page  # what was typed is kept
    assert not EmmieAssessment.objects.exists()


def test_a_partner_with_a_share_cannot_record_emmie(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    share(world, problem)

    with pytest.raises(PermissionDenied):
        emmie_save(actor=world.users["partner_lead"], problem=problem, effect="No.")
    response = sign_in(Client(), world.users["partner_lead"]).post(
        reverse("assessment-emmie", kwargs={"pk": problem.pk}), FILLED
    )

    assert response.status_code == 403
    assert not EmmieAssessment.objects.exists()


def test_an_outsider_gets_404(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])

    response = sign_in(Client(), world.users["unrelated_partner"]).get(
        reverse("assessment-emmie", kwargs={"pk": problem.pk})
    )

    assert response.status_code == 404
