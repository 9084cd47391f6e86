"""Consultation and disclosure (DPA 2018 s.62): every view of a problem's page or printable summary
is recorded once; the owner and the owning force's supervisors see who has seen or received it."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core.audit import audit_record
from core.models import AuditEvent
from problems.selectors.contributions import SEEN_PAGE_SIZE, disclosure_events_for_problem
from problems.selectors.page import problem_page_get_for_user, seen_panel_for
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


def _panel(problem: Any, user: Any, page: int = 1) -> str:
    """The panel as the problem page renders it, from the page's selector."""
    seen = seen_panel_for(user=user, problem=problem_page_get_for_user(user=user, pk=problem.pk), page=page)
    return render_to_string("problems/_disclosures.html", {"seen": seen})


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
    html = _panel(problem, world.users["officer"])
    assert f"Shared with {world.partner.name}" in html
    assert world.force.name in html
    assert html.index("Shared with") < html.index("Consulted")
    assert "Consulted: the printable summary" not in html


def test_the_panel_shows_twenty_events_a_page_and_pages_back_to_the_oldest(world: World) -> None:
    problem = _problem(world)
    for _ in range(SEEN_PAGE_SIZE * 2 + 3):
        problem_consulted(actor=world.users["analyst"], problem=problem, how="page")
    officer = world.users["officer"]
    first = seen_panel_for(user=officer, problem=problem_page_get_for_user(user=officer, pk=problem.pk))
    assert (len(first.events), first.has_newer, first.has_older) == (SEEN_PAGE_SIZE, False, True)
    last = seen_panel_for(user=officer, problem=problem_page_get_for_user(user=officer, pk=problem.pk), page=3)
    assert (len(last.events), last.has_newer, last.has_older) == (3, True, False)
    assert 'href="?seen=2#disclosures">Newer</a>' in _panel(problem, officer, page=3)
    assert "Older</a>" not in _panel(problem, officer, page=3)


def test_the_pages_of_the_panel_are_reached_from_the_problem_page_with_the_panel_open(world: World) -> None:
    problem = _problem(world)
    for _ in range(SEEN_PAGE_SIZE + 1):
        problem_consulted(actor=world.users["analyst"], problem=problem, how="page")
    client = _client(world, "officer")
    url = reverse("problem-detail", kwargs={"pk": problem.pk})
    first = client.get(url).content.decode()
    assert '<details class="mb-4" id="disclosures">' in first
    assert first.count("Consulted: the problem page") == SEEN_PAGE_SIZE
    second = client.get(url + "?seen=2").content.decode()
    assert '<details class="mb-4" id="disclosures" open>' in second
    assert second.count("Consulted: the problem page") == 1
    # A page number that is not one is the first page.
    assert client.get(url + "?seen=-4%00").content.decode().count("Consulted: the problem page") == SEEN_PAGE_SIZE


def test_the_users_own_views_of_the_page_are_one_line_not_a_row_each(world: World) -> None:
    problem = _problem(world)
    client = _client(world, "officer")
    url = reverse("problem-detail", kwargs={"pk": problem.pk})
    problem_consulted(actor=world.users["officer"], problem=problem, how="print")
    problem_consulted(actor=world.users["supervisor"], problem=problem, how="page")
    for _ in range(3):
        content = client.get(url).content.decode()
    assert "You viewed it 3 times, last on " in content
    # The officer's views of the page are counted, not listed; their printable copy and the
    # supervisor's view are listed.
    assert content.count("Consulted: the problem page") == 1
    assert "Consulted: the printable summary" in content
    # The supervisor's panel lists the officer's views one by one, and counts the supervisor's.
    supervisor_page = _client(world, "supervisor").get(url).content.decode()
    assert supervisor_page.count("Consulted: the problem page") == 3
    assert "You viewed it 2 times, last on " in supervisor_page


def test_the_panel_takes_one_query_with_one_or_many_events(world: World, django_assert_num_queries: Any) -> None:
    problem = _problem(world)
    users = [UserFactory(role=Role.ANALYST, organisation=world.force) for _ in range(5)]
    officer = world.users["officer"]
    problem_consulted(actor=users[0], problem=problem, how="page")
    fetched = problem_page_get_for_user(user=officer, pk=problem.pk)
    # One query: a page of the events with each actor and their organisation (one JOIN); the
    # user's own views were counted with the problem's row.
    with django_assert_num_queries(1):
        assert len(seen_panel_for(user=officer, problem=fetched).events) == 1
    for user in users[1:]:
        problem_consulted(actor=user, problem=problem, how="page")
    with django_assert_num_queries(1):
        assert len(seen_panel_for(user=officer, problem=fetched).events) == 5


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
