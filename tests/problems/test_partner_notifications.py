"""Partners told what is theirs: a problem shared with an organisation, or an action assigned to
it, is told to its people in the app and by an email that says only that, with a link (no case
detail); an action assigned to an organisation that cannot see the problem warns the officer and
offers the share form; an organisation nobody can sign in to is named as such."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from core.models import Notification, Reminder, ReminderState
from core.reminders import reminders_send
from problems.models import Problem, ResponseAction, Stage
from problems.services.sara import action_add, action_update
from problems.services.sharing import share_revoke
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_contacts import SpocFactory
from tests.problems.factories_sara import ResponseActionFactory, problem_at
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db

TITLE = "Street drinking outside the Co-op"
DESCRIPTION = "Groups gather with cans from 6pm; Mrs Jones at number 12 has been threatened."
NEIGHBOURHOOD = "Eastgate Ward"


def _problem(world: World, stage: str = Stage.RESPONSE) -> Problem:
    return problem_at(
        stage,
        force=world.force,
        owner=world.users["officer"],
        title=TITLE,
        description=DESCRIPTION,
        neighbourhood=NEIGHBOURHOOD,
    )


def _titles(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def _send(capture: Any, call: Any) -> Any:
    """Run `call`, commit, and send whatever it queued (as the worker would)."""
    with capture(execute=False) as callbacks:
        result = call()
    assert callbacks, "the emails are queued after commit"
    reminders_send(reminder_ids=list(Reminder.objects.filter(state=ReminderState.DUE).values_list("pk", flat=True)))
    return result


def _assert_no_case_detail(problem: Problem) -> None:
    assert mail.outbox
    for message in mail.outbox:
        (html, _), *_ = message.alternatives
        for text in (message.subject, message.body, html):
            for detail in (problem.title, problem.description, problem.neighbourhood.name, "Mrs Jones", "Co-op"):
                assert detail not in text
            assert reverse("problem-detail", kwargs={"pk": problem.pk}) in text or text == message.subject


# --- a share ------------------------------------------------------------------------------------


def test_a_partner_organisations_users_are_told_of_a_share_without_case_detail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = _problem(world)
    member, lead = world.users["partner_member"], world.users["partner_lead"]
    leaver = UserFactory(role=Role.PARTNER_MEMBER, organisation=world.partner)
    User.objects.filter(pk=leaver.pk).update(is_active=False)

    _send(django_capture_on_commit_callbacks, lambda: share(world, problem))

    told = f"{problem.reference} {TITLE}: shared with Northshire City Council"
    assert _titles(member) == [told]
    assert _titles(lead) == [told]
    assert _titles(leaver) == []
    assert _titles(world.users["unrelated_partner"]) == []
    assert _titles(world.users["officer"]) == []  # the one who shared
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, lead.email])
    assert {message.subject for message in mail.outbox} == {"A problem has been shared with your organisation"}
    _assert_no_case_detail(problem)
    assert problem.reference not in mail.outbox[0].body


def test_a_spoc_with_an_account_is_told_and_one_without_is_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = _problem(world)
    partner = OrganisationFactory(name="Riverside Residents' Association")
    spoc_user = UserFactory(role=Role.PARTNER_LEAD, organisation=partner)
    SpocFactory(organisation=partner, user=spoc_user)
    SpocFactory(organisation=partner, user=None, email="no-account@riverside.test")

    _send(django_capture_on_commit_callbacks, lambda: share(world, problem, organisation=partner))

    assert [message.to for message in mail.outbox] == [[spoc_user.email]]
    assert _titles(spoc_user) == [f"{problem.reference} {TITLE}: shared with Riverside Residents' Association"]


def test_each_email_goes_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    problem = _problem(world)
    _send(django_capture_on_commit_callbacks, lambda: share(world, problem))
    sent = len(mail.outbox)
    reminders_send(reminder_ids=list(Reminder.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == sent == 2
    # One in-app notification each: the one made with the email, not another when it was sent.
    assert Notification.objects.filter(recipient=world.users["partner_member"]).count() == 1


def test_followers_are_told_of_a_share(world: World) -> None:
    from problems.services.following import problem_follow

    problem = _problem(world)
    problem_follow(actor=world.users["supervisor"], problem=problem)
    share(world, problem)
    assert _titles(world.users["supervisor"]) == [f"{problem.reference} {TITLE}: shared with Northshire City Council"]


# --- an action assigned ----------------------------------------------------------------------------


def _add_action(world: World, problem: Problem, organisation: Any) -> ResponseAction:
    return action_add(
        actor=world.users["officer"],
        problem=problem,
        description="Remove the bench",
        intervention_kind="situational",
        responsible_organisation=organisation,
        responsible_person="Parks team",
        due_date=problem.opened_on,
    )


def test_a_partner_organisations_users_are_told_of_an_action_assigned_to_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    problem = share(world, _problem(world)).problem
    Notification.objects.all().delete()
    mail.outbox.clear()
    Reminder.objects.all().delete()

    _send(django_capture_on_commit_callbacks, lambda: _add_action(world, problem, world.partner))

    told = f"{problem.reference} {TITLE}: action assigned to your organisation"
    assert _titles(world.users["partner_member"]) == [told]
    assert _titles(world.users["partner_lead"]) == [told]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.users["partner_member"].email, world.users["partner_lead"].email]
    )
    assert {message.subject for message in mail.outbox} == {"An action has been assigned to your organisation"}
    _assert_no_case_detail(problem)


def test_changing_the_responsible_organisation_tells_the_new_one_and_nothing_else_does(world: World) -> None:
    problem = share(world, _problem(world)).problem
    action = ResponseActionFactory(problem=problem, responsible_organisation=world.force)
    Notification.objects.all().delete()
    member = world.users["partner_member"]

    action_update(actor=world.users["officer"], action=action, description="Remove the bench by Friday")
    assert _titles(member) == []

    action_update(actor=world.users["officer"], action=action, responsible_organisation=world.partner)
    assert _titles(member) == [f"{problem.reference} {TITLE}: action assigned to your organisation"]


def test_followers_are_told_of_an_action_assigned_by_the_organisations_name(world: World) -> None:
    from problems.services.following import problem_follow

    problem = share(world, _problem(world)).problem
    problem_follow(actor=world.users["supervisor"], problem=problem)
    Notification.objects.all().delete()
    _add_action(world, problem, world.partner)
    assert _titles(world.users["supervisor"]) == [
        f"{problem.reference} {TITLE}: action assigned to Northshire City Council"
    ]


def test_an_organisation_that_cannot_see_the_problem_is_not_told(world: World) -> None:
    problem = _problem(world)
    _add_action(world, problem, world.partner)
    shared = share(world, _problem(world))
    share_revoke(actor=world.users["officer"], share=shared, reason="Done.")
    Notification.objects.all().delete()
    _add_action(world, shared.problem, world.partner)
    assert not Notification.objects.filter(recipient__organisation=world.partner).exists()
    assert not Reminder.objects.filter(kind="problems.action_assigned").exists()


# --- the officer is warned, and offered the share ------------------------------------------------


def _action_data(organisation: Any) -> dict[str, Any]:
    return {
        "description": "Remove the bench",
        "intervention_kind": "situational",
        "responsible_organisation": organisation.pk,
        "responsible_person": "Parks team",
        "responsible_user": "",
        "due_date": "2026-06-30",
        "status": "planned",
        "cancel_reason": "",
    }


def test_assigning_to_an_organisation_without_a_share_warns_with_the_share_link(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["officer"])

    response = client.post(reverse("action-create", kwargs={"pk": problem.pk}), _action_data(world.partner))

    assert response.status_code == 302
    share_url = f"{reverse('problem-share', kwargs={'pk': problem.pk})}?organisation={world.partner.pk}"
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "Northshire City Council cannot see this problem" in warnings[0]
    link = f'<a class="alert-link" href="{share_url}">Share this problem with Northshire City Council</a>'
    assert link in warnings[0]
    page = client.get(response["Location"])
    assert link in page.text

    # The share form opens with that organisation chosen.
    form = client.get(share_url)
    assert f'<option value="{world.partner.pk}" selected>' in form.text


def test_no_warning_when_the_organisation_can_see_the_problem(world: World) -> None:
    problem = share(world, _problem(world)).problem
    client = sign_in(Client(), world.users["officer"])
    for organisation in (world.partner, world.force):
        response = client.post(reverse("action-create", kwargs={"pk": problem.pk}), _action_data(organisation))
        assert response.status_code == 302
        assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"] == []


def test_editing_an_action_to_an_organisation_without_a_share_warns(world: World) -> None:
    problem = _problem(world)
    action = ResponseActionFactory(problem=problem, responsible_organisation=world.force)
    client = sign_in(Client(), world.users["officer"])
    response = client.post(reverse("action-edit", kwargs={"pk": action.pk}), _action_data(world.partner))
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "Share this problem with Northshire City Council" in warnings[0]


def test_a_share_form_link_with_a_bad_organisation_chooses_nothing(world: World) -> None:
    problem = _problem(world)
    client = sign_in(Client(), world.users["officer"])
    for value in ("abc", "999999", world.unrelated.pk):
        page = client.get(f"{reverse('problem-share', kwargs={'pk': problem.pk})}?organisation={value}")
        assert page.status_code == 200
    page = client.get(reverse("problem-share", kwargs={"pk": problem.pk}) + "?organisation=abc")
    assert '<option value="" selected>Choose an organisation</option>' in page.text


def test_the_choice_label_names_an_organisation_with_no_users(world: World) -> None:
    problem = _problem(world)
    OrganisationFactory(name="Riverside Residents' Association")
    page = sign_in(Client(), world.users["officer"]).get(reverse("action-create", kwargs={"pk": problem.pk}))
    assert "Riverside Residents&#x27; Association (no users yet)" in page.text
    assert "Northshire City Council (no users yet)" not in page.text
    assert ">Northshire City Council<" in page.text
