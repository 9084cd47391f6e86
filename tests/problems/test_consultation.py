"""Consultation and disclosure (DPA 2018 s.62): every view of a problem's page or printable summary
is recorded once; the owner and the owning force's supervisors see who has seen or received it."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core.audit import audit_record
from core.models import AuditEvent
from problems.selectors.contributions import disclosure_events_for_problem
from problems.services.contributions import CONSULTED_VERB, problem_consulted, problem_list_consulted
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import canary_problem, share

pytestmark = pytest.mark.django_db

PANEL_HEADING = "Who has seen or received this problem"


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _problem(world: World, **kwargs: Any) -> Any:
    return ProblemFactory(force=world.force, owner=world.users["officer"], **kwargs)


def _consultations(problem: Any) -> Any:
    return AuditEvent.objects.filter(verb=CONSULTED_VERB, target_type="problems.problem", target_id=str(problem.pk))


# --- recording ----------------------------------------------------------------------------------


def test_viewing_the_problem_page_records_exactly_one_consultation(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "analyst").get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    event = _consultations(problem).get()
    assert event.actor == world.users["analyst"]
    assert event.actor_organisation_id == world.force.pk
    assert event.detail == {"how": "page"}
    assert event.ip is not None


def test_each_view_of_the_page_is_a_separate_consultation(world: World) -> None:
    problem = _problem(world)
    client = _client(world, "officer")
    for _ in range(3):
        client.get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert _consultations(problem).count() == 3


def _recipient(user: Any) -> dict[str, Any]:
    return {
        "user": user.pk,
        "name": user.full_name,
        "organisation": user.organisation_id,
        "organisation_name": user.organisation.name,
    }


def test_viewing_the_printable_summary_records_one_consultation_by_print_naming_its_recipient(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "supervisor").get(reverse("problem-summary", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    event = _consultations(problem).get()
    # A printable copy leaves the system: its event names who received it (DPA 2018 s.62).
    assert event.detail == {"how": "print", "recipient": _recipient(world.users["supervisor"])}
    assert event.actor == world.users["supervisor"]


@pytest.mark.parametrize("url_name", ["problem-detail", "problem-summary"])
def test_an_outsider_gets_404_and_no_consultation_is_recorded(world: World, url_name: str) -> None:
    problem = _problem(world)
    response = _client(world, "partner_member").get(reverse(url_name, kwargs={"pk": problem.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=CONSULTED_VERB).exists()


def test_a_missing_problem_records_no_consultation(world: World) -> None:
    response = _client(world, "officer").get(reverse("problem-detail", kwargs={"pk": 999_999}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=CONSULTED_VERB).exists()


def test_a_refused_stage_move_records_no_consultation(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(reverse("problem-advance", kwargs={"pk": problem.pk}), {"note": ""})
    assert response.status_code == 200
    assert not _consultations(problem).exists()


def test_consulting_in_an_unknown_way_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="telepathy"):
        problem_consulted(actor=world.users["officer"], problem=_problem(world), how="telepathy")


# --- the panel ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_owner_and_supervisors_see_who_has_seen_the_problem(world: World, persona: str) -> None:
    problem = _problem(world)
    _client(world, "analyst").get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    response = _client(world, persona).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    content = response.content.decode()
    assert PANEL_HEADING in content
    assert world.users["analyst"].full_name in content
    assert "Consulted: the problem page" in content


@pytest.mark.parametrize("persona", ["analyst"])
def test_other_users_of_the_force_do_not_see_the_panel(world: World, persona: str) -> None:
    problem = _problem(world)
    response = _client(world, persona).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    assert PANEL_HEADING not in response.content.decode()


def test_an_officer_who_is_not_the_owner_does_not_see_the_panel(world: World) -> None:
    colleague = UserFactory(email="colleague@police.test", role=Role.OFFICER, organisation=world.force)
    problem = _problem(world)
    response = sign_in(Client(), colleague).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    assert PANEL_HEADING not in response.content.decode()


def test_the_panel_names_disclosures_with_their_recipients_newest_first(world: World) -> None:
    problem = _problem(world)
    problem_consulted(actor=world.users["analyst"], problem=problem, how="page")
    audit_record(
        actor=world.users["officer"],
        verb="problems.share.created",
        target=problem,
        detail={"recipients": [world.partner.name]},
    )
    # Events about other problems or other things are not listed.
    other = _problem(world)
    problem_consulted(actor=world.users["supervisor"], problem=other, how="print")
    audit_record(actor=world.users["officer"], verb="problems.problem.updated", target=problem)

    events = disclosure_events_for_problem(problem=problem)
    assert [event.verb for event in events] == ["problems.share.created", CONSULTED_VERB]
    html = Template("{% load contributions %}{% disclosure_panel problem user %}").render(
        Context({"problem": problem, "user": world.users["officer"]})
    )
    assert f"Shared with {world.partner.name}" in html
    assert world.force.name in html
    assert html.index("Shared with") < html.index("Consulted")
    assert "Consulted: the printable summary" not in html


def test_the_panel_shows_at_most_fifty_events(world: World) -> None:
    problem = _problem(world)
    for _ in range(52):
        problem_consulted(actor=world.users["analyst"], problem=problem, how="page")
    assert len(disclosure_events_for_problem(problem=problem)) == 50


def test_the_panel_takes_one_query_with_one_or_many_events(world: World, django_assert_num_queries: Any) -> None:
    problem = _problem(world)
    users = [UserFactory(role=Role.ANALYST, organisation=world.force) for _ in range(5)]
    problem_consulted(actor=users[0], problem=problem, how="page")
    template = Template("{% load contributions %}{% disclosure_panel problem user %}")
    # One query: the events with each actor and their organisation (one JOIN).
    with django_assert_num_queries(1):
        template.render(Context({"problem": problem, "user": world.users["officer"]}))
    for user in users[1:]:
        problem_consulted(actor=user, problem=problem, how="page")
    with django_assert_num_queries(1):
        template.render(Context({"problem": problem, "user": world.users["officer"]}))


# --- list pages that show a partner shared problems' titles ----------------------------------------


def _listed(problem: Any, page: str) -> Any:
    return _consultations(problem).filter(detail__how="list", detail__page=page)


def test_a_partner_viewing_shared_with_us_records_one_consultation_of_each_problem_on_the_page(world: World) -> None:
    first = share(world, canary_problem(world))
    second = share(world, canary_problem(world), agreement=first.agreement)
    unshared = canary_problem(world)
    response = _client(world, "partner_member").get(reverse("shared-with-us"))
    assert response.status_code == 200
    for shown in (first.problem, second.problem):
        event = _consultations(shown).get()
        assert event.actor == world.users["partner_member"]
        assert event.actor_organisation_id == world.partner.pk
        assert event.detail == {"how": "list", "page": "shared_with_us"}
    assert not _consultations(unshared).exists()


def test_a_partner_home_page_records_one_consultation_of_each_problem_its_panels_name(world: World) -> None:
    in_both = share(world, canary_problem(world))
    only_listed = share(world, canary_problem(world), agreement=in_both.agreement)
    ResponseActionFactory(problem=in_both.problem, responsible_organisation=world.partner)
    response = _client(world, "partner_lead").get(reverse("home"))
    assert response.status_code == 200
    assert in_both.problem.title in response.content.decode()
    # The problem named by both panels is recorded once.
    assert _listed(in_both.problem, "home").count() == 1
    assert _listed(only_listed.problem, "home").count() == 1
    assert _consultations(in_both.problem).count() == 1


def test_police_list_pages_record_no_consultation(world: World) -> None:
    _problem(world)
    client = _client(world, "officer")
    for name in ("problem-list", "shared-with-us", "home"):
        assert client.get(reverse(name)).status_code == 200
    assert not AuditEvent.objects.filter(verb=CONSULTED_VERB).exists()


def test_the_owner_sees_that_a_partner_saw_the_title_in_their_list(world: World) -> None:
    shared = share(world, canary_problem(world))
    _client(world, "partner_member").get(reverse("shared-with-us"))
    html = _client(world, "officer").get(reverse("problem-detail", kwargs={"pk": shared.problem_id})).content.decode()
    assert world.users["partner_member"].full_name in html
    assert "Consulted: its title, on “Shared with us”" in html


def test_listing_on_an_unknown_page_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="elsewhere"):
        problem_list_consulted(actor=world.users["partner_member"], problems=[_problem(world)], page="elsewhere")
