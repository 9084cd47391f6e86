"""Choosing what a share may disclose: the author of an entry chooses its data category on its form
(empty: its part's usual category), a decision's when it is recorded, and the share form shows what
each agreement covers before it is sent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import DataCategory
from problems.forms.disclosure import CATEGORY_INVALID, USUAL_CATEGORY
from problems.models import Controller, DecisionLogEntry, DisclosurePart, Problem, ProblemUpdate, Stage
from problems.models.disclosure import DEFAULT_CATEGORY_CODES
from problems.models.sharing import ShareAccess
from tests.conftest import World, sign_in
from tests.partnerships.factories_agreements import category
from tests.problems.factories_decisions import NDM_ANSWERS
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import active_agreement, share

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str = "officer") -> Client:
    return sign_in(Client(), world.users[persona])


def _problem(world: World, stage: str = Stage.ANALYSIS) -> Problem:
    return problem_at(stage, force=world.force, owner=world.users["officer"])


def test_an_update_is_written_in_the_category_its_author_chooses(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    url = reverse("problem-update-create", kwargs={"pk": problem.pk})
    form = _client(world).get(url).text
    usual = DataCategory.objects.get(code=DEFAULT_CATEGORY_CODES[DisclosurePart.UPDATE])
    assert USUAL_CATEGORY.format(name=usual.name) in form
    safeguarding = category("safeguarding")
    response = _client(world).post(url, {"text": "Referred to children's services.", "data_category": safeguarding.pk})
    assert response.status_code == 302
    assert ProblemUpdate.objects.get(problem=problem).data_category == safeguarding


def test_a_partners_update_left_empty_is_in_the_usual_category(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    url = reverse("problem-update-create", kwargs={"pk": problem.pk})
    assert (
        _client(world, "partner_member").post(url, {"text": "Cleared the shelter.", "data_category": ""}).status_code
        == 302
    )
    assert ProblemUpdate.objects.get(problem=problem).data_category is None


def test_an_unknown_category_is_refused_and_what_was_typed_is_kept(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    url = reverse("problem-update-create", kwargs={"pk": problem.pk})
    response = _client(world).post(url, {"text": "Kept text", "data_category": "999999"})
    assert response.status_code == 200
    assert CATEGORY_INVALID in response.text
    assert "Kept text" in response.text
    assert not ProblemUpdate.objects.exists()


def test_a_decisions_category_is_chosen_when_it_is_recorded(world: World) -> None:
    problem = _problem(world)
    url = reverse("decision-create", kwargs={"pk": problem.pk})
    assert "It cannot be changed afterwards" in _client(world).get(url).text
    safeguarding = category("safeguarding")
    response = _client(world).post(url, {**NDM_ANSWERS, "data_category": safeguarding.pk})
    assert response.status_code == 302
    assert DecisionLogEntry.objects.get(problem=problem).data_category == safeguarding


def test_the_triangle_and_a_controller_take_the_category_chosen_and_the_change_is_audited(world: World) -> None:
    from core.models import AuditEvent

    problem = _problem(world)
    health = category("health")
    data = {"pat_offender": "o", "pat_victim": "v", "pat_location": "l", "triangle_category": health.pk}
    assert _client(world).post(reverse("problem-analysis", kwargs={"pk": problem.pk}), data).status_code == 302
    problem.refresh_from_db()
    assert problem.triangle_category == health
    event = AuditEvent.objects.filter(verb="problems.problem.analysis_updated").latest("pk")
    assert event.detail["triangle_category"] == {"before": None, "after": health.pk}
    url = reverse("controller-create", kwargs={"pk": problem.pk})
    response = _client(world).post(url, {"kind": "guardian", "who": "Parade manager", "data_category": health.pk})
    assert response.status_code == 302
    assert Controller.objects.get(problem=problem, who="Parade manager").data_category == health


def test_the_description_category_is_on_the_record_form_and_its_change_is_audited(world: World) -> None:
    from core.models import AuditEvent
    from problems.services.problems import problem_update

    problem = _problem(world)
    page = _client(world).get(reverse("problem-edit", kwargs={"pk": problem.pk})).text
    assert 'name="description_category"' in page
    health = category("health")
    problem_update(actor=world.users["officer"], problem=problem, description_category=health)
    problem.refresh_from_db()
    assert problem.description_category == health
    event = AuditEvent.objects.filter(verb="problems.problem.updated").latest("pk")
    assert event.detail["description_category"] == {"before": None, "after": health.pk}


def test_the_share_form_shows_what_each_agreement_covers_before_it_is_sent(world: World) -> None:
    active_agreement(world.force, world.partner, categories=[category("asb-reports"), category("safeguarding")])
    problem = _problem(world)
    page = _client(world).get(reverse("problem-share", kwargs={"pk": problem.pk})).text
    assert "What each agreement allows" in page
    assert "ASB reports and complaints; Safeguarding and vulnerability information" in page
    assert "Covers: ASB reports and complaints, Safeguarding and vulnerability information" in page
