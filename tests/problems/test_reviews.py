"""Reviews of open problems: a recorded entry (by whom, notes, next date) that sets the problem's
next review date, by default from its risk level; the review page with its history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.models import Problem, ReviewEntry, RiskLevel, Stage
from problems.services import problems as services
from tests.accounts.factories import UserFactory
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _problem(world: World, **kwargs: Any) -> Problem:
    kwargs.setdefault("next_review_date", _days(-2))
    return ProblemFactory(force=world.force, owner=world.users["officer"], **kwargs)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _state() -> tuple[Any, ...]:
    return (list(ReviewEntry.objects.values()), list(Problem.objects.values("pk", "next_review_date")))


# --- the service --------------------------------------------------------------------------------


@pytest.mark.parametrize(("risk", "days"), [(RiskLevel.HIGH, 14), (RiskLevel.MEDIUM, 28), (RiskLevel.LOW, 56)])
def test_review_sets_the_next_date_by_risk_level_by_default(world: World, risk: str, days: int) -> None:
    problem = _problem(world, risk_level=risk)
    review = services.problem_review_record(actor=world.users["officer"], problem=problem, notes="Quieter this week.")
    problem.refresh_from_db()
    assert review.next_review_date == problem.next_review_date == _days(days)
    assert (review.reviewed_by, review.notes) == (world.users["officer"], "Quieter this week.")


def test_review_with_a_chosen_date_updates_the_problem_and_is_audited(world: World) -> None:
    problem = _problem(world)
    supervisor = world.users["supervisor"]
    services.problem_review_record(actor=supervisor, problem=problem, notes="Checked.", next_review_date=_days(5))
    problem.refresh_from_db()
    assert problem.next_review_date == _days(5)
    event = AuditEvent.objects.get(verb="problems.review.recorded")
    assert event.actor == supervisor
    assert event.target_id == str(problem.pk)
    assert event.detail["next_review_date"] == {"before": _days(-2).isoformat(), "after": _days(5).isoformat()}


def test_any_officer_of_the_force_may_review_but_not_an_analyst(world: World) -> None:
    problem = _problem(world)
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    services.problem_review_record(actor=colleague, problem=problem, notes="Covered for the owner.")
    with pytest.raises(PermissionDenied):
        services.problem_review_record(actor=world.users["analyst"], problem=problem, notes="Not mine to do.")
    assert ReviewEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("notes", "next_date", "field", "message"),
    [
        ("  ", None, "notes", services.REVIEW_NOTES_REQUIRED),
        ("Fine.", 0, "next_review_date", services.REVIEW_DATE_NOT_IN_FUTURE),
        ("Fine.", -4, "next_review_date", services.REVIEW_DATE_NOT_IN_FUTURE),
        ("Fine.", 400, "next_review_date", None),
    ],
)
def test_invalid_review_is_refused_and_changes_nothing(
    world: World, notes: str, next_date: int | None, field: str, message: str | None
) -> None:
    problem = _problem(world)
    before = _state()
    with pytest.raises(ValidationError) as excinfo:
        services.problem_review_record(
            actor=world.users["officer"],
            problem=problem,
            notes=notes,
            next_review_date=None if next_date is None else _days(next_date),
        )
    expected = message or services.REVIEW_DATE_TOO_FAR.format(date=services.latest_review_date(timezone.localdate()))
    assert excinfo.value.message_dict[field] == [expected]
    assert _state() == before
    assert not AuditEvent.objects.filter(verb="problems.review.recorded").exists()


def test_a_year_ahead_is_the_latest_review_date(world: World) -> None:
    problem = _problem(world)
    latest = services.latest_review_date(timezone.localdate())
    services.problem_review_record(
        actor=world.users["officer"], problem=problem, notes="Long-term.", next_review_date=latest
    )
    problem.refresh_from_db()
    assert problem.next_review_date == latest


def test_a_year_from_29_february_is_28_february() -> None:
    assert services.latest_review_date(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_closed_problems_are_not_reviewed(world: World) -> None:
    problem = _problem(world, stage=Stage.CLOSED)
    with pytest.raises(ValidationError) as excinfo:
        services.problem_review_record(actor=world.users["supervisor"], problem=problem, notes="Closed.")
    assert excinfo.value.messages == [services.REVIEW_PROBLEM_CLOSED]
    assert not ReviewEntry.objects.exists()


# --- the review page ----------------------------------------------------------------------------


def test_review_page_shows_the_history_newest_first(world: World) -> None:
    problem = _problem(world)
    services.problem_review_record(actor=world.users["supervisor"], problem=problem, notes="First look.")
    services.problem_review_record(actor=world.users["officer"], problem=problem, notes="Second look.")
    response = _client(world, "officer").get(reverse("problem-review", args=[problem.pk]))
    assert response.status_code == 200
    text = response.text
    assert text.index("Second look.") < text.index("First look.")
    assert world.users["supervisor"].full_name in text
    assert "Record the review" in text


def test_officer_records_a_review_through_the_page(world: World) -> None:
    problem = _problem(world, risk_level=RiskLevel.HIGH)
    url = reverse("problem-review", args=[problem.pk])
    response = _client(world, "officer").post(url, {"notes": "Patrols doubled.", "next_review_date": ""})
    assert response.status_code == 302
    assert response["Location"] == url
    problem.refresh_from_db()
    assert problem.next_review_date == _days(14)
    assert ReviewEntry.objects.get().notes == "Patrols doubled."


def test_invalid_review_shows_the_error_summary_keeps_the_notes_and_changes_nothing(world: World) -> None:
    problem = _problem(world)
    before = _state()
    response = _client(world, "officer").post(
        reverse("problem-review", args=[problem.pk]),
        {"notes": "Typed notes kept", "next_review_date": _days(-1).isoformat()},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert services.REVIEW_DATE_NOT_IN_FUTURE in response.text
    assert "Typed notes kept" in response.text
    assert _state() == before


def test_review_page_with_a_bad_date_shows_a_message_not_an_error(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("problem-review", args=[problem.pk]), {"notes": "x", "next_review_date": "next Tuesday"}
    )
    assert response.status_code == 200
    assert "Enter a real date" in response.text
    assert not ReviewEntry.objects.exists()


def test_analyst_gets_403_on_the_review_page_and_cannot_post(world: World) -> None:
    problem = _problem(world)
    client = _client(world, "analyst")
    url = reverse("problem-review", args=[problem.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"notes": "Trying."}).status_code == 403
    assert not ReviewEntry.objects.exists()


def test_restricted_problem_review_page_is_not_found_for_other_officers(world: World) -> None:
    problem = _problem(world, restricted=True)
    other = sign_in(Client(), UserFactory(role=Role.OFFICER, organisation=world.force))
    url = reverse("problem-review", args=[problem.pk])
    assert other.get(url).status_code == 404
    assert other.post(url, {"notes": "Trying."}).status_code == 404
    assert not ReviewEntry.objects.exists()


def test_closed_problem_review_post_shows_the_message(world: World) -> None:
    problem = _problem(world, stage=Stage.CLOSED)
    response = _client(world, "supervisor").post(reverse("problem-review", args=[problem.pk]), {"notes": "Late."})
    assert response.status_code == 200
    assert services.REVIEW_PROBLEM_CLOSED in response.text
    assert not ReviewEntry.objects.exists()


def test_review_page_for_a_missing_problem_is_not_found(world: World) -> None:
    assert _client(world, "officer").get("/problems/999999/review/").status_code == 404
