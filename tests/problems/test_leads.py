"""Problem leads change hands: handover by the lead, acknowledgement by the incoming lead,
reassignment by a supervisor (one, several or all of an officer's problems), the problem team, and
what the people concerned are told (DESIGN.md section 4; issue 16)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.models import AuditEvent, Notification, Reminder
from core.reminders import reminders_send, sweep_run
from problems.models import (
    DecisionLogEntry,
    Handover,
    HandoverKind,
    Problem,
    ProblemFollower,
    ProblemTeamMember,
    Stage,
)
from problems.reminders import REVIEW_KINDS
from problems.selectors.access import CANNOT_EDIT, CANNOT_LEAD
from problems.services import leads as services
from problems.services.decisions import decision_record
from problems.services.following import problem_follow
from problems.services.problems import problem_review_record
from problems.services.stages import problem_advance_stage
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sara import ResponseActionFactory, problem_at
from tests.problems.factories_sharing import canary_problem, share

pytestmark = pytest.mark.django_db


def _colleague(world: World, *, is_active: bool = True, **fields: Any) -> User:
    fields.setdefault("role", Role.OFFICER)
    user = UserFactory(organisation=world.force, **fields)
    if not is_active:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.refresh_from_db()
    return user


def _client(user: User) -> Client:
    return sign_in(Client(), user)


def _hand_over(problem: Problem, to_user: User, actor: User | None = None, **fields: Any) -> Handover:
    fields.setdefault("note", "Street drinking is down since the alcohol-free zone; keep the shop watch going.")
    return services.problem_hand_over(actor=actor or problem.owner, problem=problem, to_user=to_user, **fields)


# --- handing over -------------------------------------------------------------------------------


def test_the_lead_hands_over_and_the_new_lead_gains_edit_rights_at_once(world: World) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world)
    problem = problem_at(Stage.ANALYSIS, ready=False, force=world.force, owner=officer_a)
    response = _client(officer_a).post(
        reverse("problem-handover", kwargs={"pk": problem.pk}),
        {
            "to_user": officer_b.pk,
            "handover_date": timezone.localdate().isoformat(),
            "note": "Analysis half done: the triangle is filled in, controllers still to find.",
            "outstanding_items": "Call the shop manager back.",
            "known_risks": "One resident has been threatened.",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.owner == officer_b
    handover = Handover.objects.get(problem=problem)
    assert (handover.kind, handover.from_user, handover.to_user, handover.made_by) == (
        HandoverKind.HANDOVER,
        officer_a,
        officer_b,
        officer_a,
    )
    assert handover.outstanding_items == "Call the shop manager back."
    assert handover.known_risks == "One resident has been threatened."
    assert handover.is_pending
    assert AuditEvent.objects.filter(verb="problems.problem.handed_over", target_id=str(problem.pk)).count() == 1
    analysis = reverse("problem-analysis", kwargs={"pk": problem.pk})
    # The old lead is refused on their next request, and told why (ownership, not their role).
    refused = _client(officer_a).get(analysis)
    assert refused.status_code == 403
    assert CANNOT_EDIT in refused.text
    assert "Your role does not allow" not in refused.text
    assert _client(officer_b).get(analysis).status_code == 200


def test_the_problem_page_shows_the_handover_awaiting_acknowledgement_until_the_new_lead_acknowledges(
    world: World,
) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world, full_name="Bea Incoming")
    problem = ProblemFactory(force=world.force, owner=officer_a)
    handover = _hand_over(problem, officer_b)
    page = _client(officer_a).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert "Handover awaiting acknowledgement" in page.text
    assert "Acknowledge the handover" not in page.text  # only the incoming lead sees the button
    # The incoming lead sees it on their home page, then acknowledges it from the problem page.
    home = _client(officer_b).get(reverse("home"))
    assert [h.pk for h in home.context["handovers_awaiting"]] == [handover.pk]
    page = _client(officer_b).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert "Acknowledge the handover" in page.text
    acknowledge = reverse("problem-handover-acknowledge", kwargs={"pk": handover.pk})
    assert _client(officer_b).post(acknowledge).status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None
    page = _client(officer_b).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert "Handover awaiting acknowledgement" not in page.text
    # The lead history: who, from, to, note, acknowledged when.
    assert "Lead history" in page.text
    assert "Street drinking is down since the alcohol-free zone" in page.text
    assert timezone.localtime(handover.acknowledged_at).strftime("%-d %b %Y") in page.text
    assert _client(officer_b).get(reverse("home")).context["handovers_awaiting"] == []
    assert AuditEvent.objects.filter(verb="problems.handover.acknowledged", target_id=str(handover.pk)).exists()


def test_only_the_incoming_lead_acknowledges_and_only_once(world: World) -> None:
    officer_b = _colleague(world)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    handover = _hand_over(problem, officer_b)
    with pytest.raises(PermissionDenied):
        services.handover_acknowledge(actor=world.users["supervisor"], handover=handover)
    services.handover_acknowledge(actor=officer_b, handover=handover)
    with pytest.raises(ValidationError, match=services.ACKNOWLEDGE_NOT_PENDING):
        services.handover_acknowledge(actor=officer_b, handover=handover)


def test_a_later_handover_supersedes_one_never_acknowledged(world: World) -> None:
    officer_b, officer_c = _colleague(world), _colleague(world)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    first = _hand_over(problem, officer_b)
    second = services.problem_hand_over(
        actor=world.users["supervisor"], problem=problem, to_user=officer_c, note="B is off sick: C takes it."
    )
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert not first.is_pending
    assert second.kind == HandoverKind.REASSIGNMENT
    assert second.is_pending
    with pytest.raises(ValidationError, match=services.ACKNOWLEDGE_NOT_PENDING):
        services.handover_acknowledge(actor=officer_b, handover=first)


def test_nothing_else_on_the_problem_changes_on_handover(world: World) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world)
    s = share(world, canary_problem(world))
    problem = s.problem
    decision_record(
        actor=officer_a,
        problem=problem,
        information="Complaints from residents.",
        threat_and_risk="Low threat, high community concern.",
        powers_and_policy="ASB Crime and Policing Act 2014.",
        options="Dispersal order; partnership problem-solving.",
        decision_and_action="Problem-solving with the council.",
        code_of_ethics="Proportionate and fair.",
    )
    ResponseActionFactory(problem=problem)
    problem_review_record(
        actor=officer_a,
        problem=problem,
        notes="On track.",
        next_review_date=timezone.localdate() + datetime.timedelta(7),
    )
    before = (
        DecisionLogEntry.objects.filter(problem=problem).count(),
        problem.actions.count(),
        problem.shares.filter(ended_at__isnull=True).count(),
        problem.reviews.count(),
    )
    problem.refresh_from_db()
    stage, review_date = problem.stage, problem.next_review_date
    _hand_over(problem, officer_b)
    problem.refresh_from_db()
    after = (
        DecisionLogEntry.objects.filter(problem=problem).count(),
        problem.actions.count(),
        problem.shares.filter(ended_at__isnull=True).count(),
        problem.reviews.count(),
    )
    assert before == after == (1, 1, 1, 1)
    assert (problem.stage, problem.next_review_date, problem.owner) == (stage, review_date, officer_b)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("other_force", services.HANDOVER_TO_OTHER_FORCE.split("{force}")[1]),
        ("inactive", "account is not active"),
        ("self", "already leads this problem"),
        ("analyst", "is not an officer or supervisor"),
    ],
)
def test_a_handover_to_the_wrong_person_is_refused_with_a_clear_message_and_changes_nothing(
    world: World, who: str, message: str
) -> None:
    officer = world.users["officer"]
    problem = ProblemFactory(force=world.force, owner=officer)
    target = {
        "other_force": UserFactory(role=Role.OFFICER, organisation=PoliceForceFactory(name="Southshire Police")),
        "inactive": _colleague(world, is_active=False),
        "self": officer,
        "analyst": world.users["analyst"],
    }[who]
    with pytest.raises(ValidationError, match=message):
        _hand_over(problem, target)
    # Through the page: the form refuses it, keeps what was typed, and nothing is recorded.
    response = _client(officer).post(
        reverse("problem-handover", kwargs={"pk": problem.pk}),
        {"to_user": target.pk, "handover_date": timezone.localdate().isoformat(), "note": "My careful note."},
    )
    assert response.status_code == 200
    assert "Choose an active officer of Northshire Police from the list." in response.text
    assert "My careful note." in response.text
    assert "data-error-summary" in response.text
    problem.refresh_from_db()
    assert problem.owner == officer
    assert not Handover.objects.exists()


def test_a_handover_needs_a_note_a_date_not_in_the_future_and_an_open_problem(world: World) -> None:
    officer_b = _colleague(world)
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    with pytest.raises(ValidationError, match="Write a handover note"):
        _hand_over(problem, officer_b, note="   ")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _hand_over(problem, officer_b, handover_date=timezone.localdate() + datetime.timedelta(days=1))
    closed = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="is closed"):
        _hand_over(closed, officer_b)
    assert not Handover.objects.exists()


def test_only_the_lead_and_supervisors_hand_over(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    bystander = _colleague(world)
    with pytest.raises(PermissionDenied, match=CANNOT_LEAD):
        services.problem_hand_over(actor=bystander, problem=problem, to_user=bystander, note="Mine now.")
    response = _client(bystander).get(reverse("problem-handover", kwargs={"pk": problem.pk}))
    assert response.status_code == 403
    assert CANNOT_LEAD in response.text


# --- reminders follow the lead ------------------------------------------------------------------


def test_review_reminders_reach_the_new_lead_after_a_handover_never_the_old(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world, email="incoming@police.test")
    today = timezone.localdate()
    problem = ProblemFactory(force=world.force, owner=officer_a, next_review_date=today)
    with django_capture_on_commit_callbacks(execute=False):
        sweep_run("problems.reviews", today=today)
    # This morning's reminder was made for A but not yet sent when A handed over.
    assert set(Reminder.objects.values_list("recipient__email", flat=True)) == {officer_a.email}
    _hand_over(problem, officer_b)
    with django_capture_on_commit_callbacks(execute=False):
        sweep_run("problems.reviews", today=today)
    rows = list(Reminder.objects.filter(kind__in=REVIEW_KINDS).values_list("pk", flat=True))
    assert set(Reminder.objects.values_list("recipient__email", flat=True)) == {officer_b.email}
    reminders_send(reminder_ids=rows)
    assert [message.to for message in mail.outbox] == [[officer_b.email]]


# --- reassignment by a supervisor ---------------------------------------------------------------


def _reassign_page(supervisor: User, lead: User, data: dict[str, Any]) -> Any:
    return _client(supervisor).post(reverse("problem-reassign"), {"lead": lead.pk, **data})


def test_a_supervisors_bulk_reassignment_moves_exactly_the_selected_problems(world: World) -> None:
    leaver, incoming = world.users["officer"], _colleague(world)
    problems = [ProblemFactory(force=world.force, owner=leaver) for _ in range(4)]
    chosen = problems[1:3]
    response = _reassign_page(
        world.users["supervisor"],
        leaver,
        {
            "scope": "selected",
            "problems": [p.pk for p in chosen],
            "to_user": incoming.pk,
            "note": "PC Leaver has moved to response; PC Incoming takes these.",
        },
    )
    assert response.status_code == 302
    owners = {p.pk: Problem.objects.get(pk=p.pk).owner for p in problems}
    assert {pk for pk, owner in owners.items() if owner == incoming} == {p.pk for p in chosen}
    assert {pk for pk, owner in owners.items() if owner == leaver} == {problems[0].pk, problems[3].pk}
    handovers = Handover.objects.all()
    assert {h.problem_id for h in handovers} == {p.pk for p in chosen}
    assert {h.note for h in handovers} == {"PC Leaver has moved to response; PC Incoming takes these."}
    assert {h.kind for h in handovers} == {HandoverKind.REASSIGNMENT}


def test_a_supervisor_reassigns_all_open_problems_of_an_inactive_officer(world: World) -> None:
    leaver, incoming = _colleague(world), _colleague(world)
    open_ones = [ProblemFactory(force=world.force, owner=leaver) for _ in range(3)]
    closed = ProblemFactory(force=world.force, owner=leaver, stage=Stage.CLOSED)
    User.objects.filter(pk=leaver.pk).update(is_active=False)
    supervisor = world.users["supervisor"]
    home = _client(supervisor).get(reverse("home"))
    assert {p.pk for p in home.context["led_by_inactive"]} == {p.pk for p in open_ones}
    assert f"{reverse('problem-reassign')}?lead={leaver.pk}" in home.text
    page = _client(supervisor).get(reverse("problem-reassign"), {"lead": leaver.pk})
    assert page.status_code == 200
    assert all(p.reference in page.text for p in open_ones)
    assert closed.reference not in page.text
    response = _reassign_page(supervisor, leaver, {"scope": "all", "to_user": incoming.pk, "note": "Leaver's cases."})
    assert response.status_code == 302
    assert set(Problem.objects.filter(owner=incoming).values_list("pk", flat=True)) == {p.pk for p in open_ones}
    assert Problem.objects.get(pk=closed.pk).owner == leaver
    assert _client(supervisor).get(reverse("home")).context["led_by_inactive"] == []


def test_bulk_reassignment_refuses_bad_input_and_changes_nothing(world: World) -> None:
    leaver, supervisor = world.users["officer"], world.users["supervisor"]
    problems = [ProblemFactory(force=world.force, owner=leaver) for _ in range(2)]
    elsewhere = ProblemFactory(owner=UserFactory(role=Role.OFFICER, organisation=PoliceForceFactory()))
    other_force_officer = elsewhere.owner
    cases = [
        ({"scope": "selected", "problems": [], "to_user": _colleague(world).pk, "note": "x"}, "Choose at least one"),
        (
            {"scope": "selected", "problems": [problems[0].pk], "to_user": other_force_officer.pk, "note": "x"},
            "from the list",
        ),
        (
            {"scope": "selected", "problems": [elsewhere.pk], "to_user": _colleague(world).pk, "note": "x"},
            "Choose problems",
        ),
        ({"scope": "all", "to_user": _colleague(world).pk, "note": ""}, "Write a handover note"),
    ]
    for data, message in cases:
        response = _reassign_page(supervisor, leaver, data)
        assert response.status_code == 200, data
        assert message in response.text, data
    assert set(Problem.objects.filter(owner=leaver).values_list("pk", flat=True)) == {p.pk for p in problems}
    assert not Handover.objects.exists()
    with pytest.raises(PermissionDenied):
        services.problems_reassign(actor=supervisor, problems=[elsewhere], to_user=_colleague(world), note="x")
    with pytest.raises(PermissionDenied):
        services.problems_reassign(actor=leaver, problems=problems, to_user=_colleague(world), note="x")


# --- the team -----------------------------------------------------------------------------------


def test_a_team_member_edits_sections_but_cannot_move_sign_off_or_hand_over(world: World) -> None:
    lead, member = world.users["officer"], _colleague(world)
    problem = problem_at(Stage.SCANNING, ready=True, force=world.force, owner=lead)
    scanning = reverse("problem-scanning", kwargs={"pk": problem.pk})
    assert _client(member).get(scanning).status_code == 403
    response = _client(lead).post(reverse("problem-team", kwargs={"pk": problem.pk}), {"user": member.pk})
    assert response.status_code == 302
    assert ProblemTeamMember.objects.filter(problem=problem, user=member).exists()
    assert _client(member).get(scanning).status_code == 200
    page = _client(member).get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert "Edit scanning" in page.text
    assert "Hand over" not in page.text
    for name in ("problem-handover", "problem-edit", "problem-share", "problem-team"):
        refused = _client(member).get(reverse(name, kwargs={"pk": problem.pk}))
        assert refused.status_code == 403, name
    with pytest.raises(PermissionDenied):
        problem_advance_stage(actor=member, problem=problem)
    # Taken off the team, they lose edit rights on their next request.
    remove = reverse("problem-team-remove", kwargs={"pk": problem.pk, "user_pk": member.pk})
    assert _client(lead).post(remove).status_code == 302
    assert _client(member).get(scanning).status_code == 403


def test_the_team_is_not_a_way_to_see_a_restricted_problem(world: World) -> None:
    lead, member = world.users["officer"], _colleague(world)
    problem = ProblemFactory(force=world.force, owner=lead, restricted=True)
    with pytest.raises(ValidationError, match="cannot see this restricted problem"):
        services.problem_team_add(actor=lead, problem=problem, user=member)
    problem.named_users.add(member)
    services.problem_team_add(actor=lead, problem=problem, user=member)
    assert _client(member).get(reverse("problem-scanning", kwargs={"pk": problem.pk})).status_code == 200


def test_only_active_officers_of_the_force_join_the_team(world: World) -> None:
    lead = world.users["officer"]
    problem = ProblemFactory(force=world.force, owner=lead)
    outsiders = [
        UserFactory(role=Role.OFFICER, organisation=PoliceForceFactory()),
        _colleague(world, is_active=False),
        world.users["partner_member"],
        world.users["analyst"],
    ]
    for outsider in outsiders:
        with pytest.raises(ValidationError, match="only active officers"):
            services.problem_team_add(actor=lead, problem=problem, user=outsider)
        response = _client(lead).post(reverse("problem-team", kwargs={"pk": problem.pk}), {"user": outsider.pk})
        assert "Choose an active officer of Northshire Police from the list." in response.text
    with pytest.raises(ValidationError, match="leads this problem already"):
        services.problem_team_add(actor=lead, problem=problem, user=lead)
    assert not ProblemTeamMember.objects.exists()


def test_handing_over_to_a_team_member_takes_them_off_the_team(world: World) -> None:
    lead, member = world.users["officer"], _colleague(world)
    problem = ProblemFactory(force=world.force, owner=lead)
    services.problem_team_add(actor=lead, problem=problem, user=member)
    _hand_over(problem, member)
    assert not ProblemTeamMember.objects.filter(problem=problem).exists()


# --- deactivation ---------------------------------------------------------------------------------


def test_deactivating_a_lead_in_the_admin_says_how_many_open_problems_and_links_to_reassignment(
    world: World,
) -> None:
    leaver = _colleague(world, full_name="Pat Leaver")
    for _ in range(2):
        ProblemFactory(force=world.force, owner=leaver)
    ProblemFactory(force=world.force, owner=leaver, stage=Stage.CLOSED)
    admin = world.users["administrator"]
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))
    client = _client(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [leaver.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Pat Leaver leads 2 open problems" in text
    assert f"{reverse('problem-reassign')}?lead={leaver.pk}" in text
    leaver.refresh_from_db()
    assert not leaver.is_active


# --- who is told ----------------------------------------------------------------------------------


def test_the_incoming_lead_and_the_followers_are_told_of_a_handover_and_the_email_carries_no_case_detail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    officer_b = _colleague(world, email="incoming@police.test")
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Drinking at Canary Parade")
    problem_follow(actor=world.users["supervisor"], problem=problem)
    with django_capture_on_commit_callbacks(execute=True):
        _hand_over(problem, officer_b)
    told = Notification.objects.filter(kind="problems.handed_over")
    assert set(told.values_list("recipient", flat=True)) == {officer_b.pk, world.users["supervisor"].pk}
    assert {n.title for n in told} == {f"{problem.reference} Drinking at Canary Parade: handed over"}
    reminder_ids = list(Reminder.objects.filter(recipient=officer_b).values_list("pk", flat=True))
    reminders_send(reminder_ids=reminder_ids)
    emails = [m for m in mail.outbox if m.to == [officer_b.email]]
    assert len(emails) == 1
    email = emails[0]
    assert email.subject == "A problem has been handed to you"
    bodies = [email.body, *(content for content, _ in email.alternatives)]
    assert any(reverse("problem-detail", kwargs={"pk": problem.pk}) in body for body in bodies)
    for text in (email.subject, *bodies):
        for detail in (problem.title, problem.description, problem.neighbourhood.name, "Street drinking is down"):
            assert detail not in text


def test_the_old_lead_may_stay_as_a_follower_and_is_then_told_of_stage_moves(world: World) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world)
    problem = problem_at(Stage.SCANNING, ready=True, force=world.force, owner=officer_a)
    response = _client(officer_a).post(
        reverse("problem-handover", kwargs={"pk": problem.pk}),
        {
            "to_user": officer_b.pk,
            "handover_date": timezone.localdate().isoformat(),
            "note": "Over to you.",
            "keep_following": "on",
        },
    )
    assert response.status_code == 302
    assert ProblemFollower.objects.filter(problem=problem, user=officer_a).exists()
    problem_advance_stage(actor=officer_b, problem=Problem.objects.get(pk=problem.pk))
    assert Notification.objects.filter(recipient=officer_a, kind="problems.stage_moved").count() == 1


def test_the_old_lead_who_does_not_keep_following_is_not_told(world: World) -> None:
    officer_a, officer_b = world.users["officer"], _colleague(world)
    problem = problem_at(Stage.SCANNING, ready=True, force=world.force, owner=officer_a)
    _hand_over(problem, officer_b)
    problem_advance_stage(actor=officer_b, problem=Problem.objects.get(pk=problem.pk))
    assert not ProblemFollower.objects.filter(user=officer_a).exists()
    assert not Notification.objects.filter(recipient=officer_a).exists()


def test_the_problem_list_links_supervisors_to_reassignment(world: World) -> None:
    link = reverse("problem-reassign")
    assert link in _client(world.users["supervisor"]).get(reverse("problem-list")).text
    assert link not in _client(world.users["officer"]).get(reverse("problem-list")).text


def test_a_partner_sees_who_led_when_but_not_the_handover_notes(world: World) -> None:
    # Handover notes are the lead organisation's working notes and often name people at risk; they
    # carry no data category, so a share discloses none of them (found after merging issue 18).
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    share(world, problem)
    colleague = _colleague(world, full_name="Owen Officer")
    _hand_over(
        problem,
        colleague,
        note="CANARY-NOTE the shop watch",
        outstanding_items="CANARY-OUTSTANDING call the landlord",
        known_risks="CANARY-RISK Ms Example is vulnerable",
    )
    url = reverse("problem-detail", args=[problem.pk])

    partner_page = _client(world.users["partner_member"]).get(url).content.decode()
    assert "Owen Officer" in partner_page
    assert "data-handover-withheld" in partner_page
    assert "CANARY" not in partner_page

    force_page = _client(world.users["supervisor"]).get(url).content.decode()
    for canary in ("CANARY-NOTE", "CANARY-OUTSTANDING", "CANARY-RISK"):
        assert canary in force_page
